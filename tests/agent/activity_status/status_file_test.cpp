// The activity status file: round trip, one line, a gone daemon, damaged and missing files.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "cairn/activity_status/status_file.hpp"
#include "cairn/base/files.hpp"

using namespace cairn::activity_status;

TEST_CASE("the status file round-trips and says why nothing is collected") {
  auto dir = std::filesystem::path(std::getenv("CAIRN_TEST_TMP") ? std::getenv("CAIRN_TEST_TMP") : "/tmp") /
             ("status-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = status_file_path(dir);
  StatusFile s{"unavailable", "gnome", "GNOME Wayland: the Cairn shell extension is not enabled\nsecond line", 1700000000,
               ::getpid()};
  REQUIRE(write_status_file(path, s).ok());
  auto back = read_status_file(path);
  REQUIRE(back.ok());
  CHECK(back->state == "unavailable");
  CHECK(back->backend == "gnome");
  CHECK(back->detail == "GNOME Wayland: the Cairn shell extension is not enabled second line");  // one line
  CHECK(describe_status(*back).rfind("not collecting: GNOME Wayland", 0) == 0);
  back->pid = 0x7ffffff0;  // no such process: the agent is gone
  CHECK(describe_status(*back).rfind("the agent is not running", 0) == 0);
  REQUIRE(cairn::fs::write_file_atomic(path, std::string("state=collecting\n")).ok());
  CHECK(read_status_file(path).error().code == cairn::Errc::corrupt);  // no version
  CHECK(read_status_file(dir / "absent").error().code == cairn::Errc::not_found);
  std::filesystem::remove_all(dir);
}
