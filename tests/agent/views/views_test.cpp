// cairn_views: the brag document built from what a caller holds (the panel's journal) groups by
// goal and kind and carries every contribution; days_window is the CLI's window; private files
// are 0600 and never replace a file unless asked.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "cairn/base/clock.hpp"
#include "cairn/views/apps.hpp"
#include "cairn/views/brag.hpp"
#include "cairn/views/private_file.hpp"

using namespace cairn;

namespace {
records::Contribution contribution(std::int64_t id, std::int64_t time, records::ImpactKind kind, std::string text) {
  records::Contribution c;
  c.id = id;
  c.time = time;
  c.kind = kind;
  c.text = std::move(text);
  return c;
}
}  // namespace

TEST_CASE("brag_input: the panel's journal gives every contribution, by goal, oldest first, with outcomes") {
  const std::int64_t day = days_from_civil(2026, 11, 16);
  std::vector<records::Contribution> cs{contribution(2, day * 86400 + 7200, records::ImpactKind::system, "later one"),
                                        contribution(1, day * 86400 + 3600, records::ImpactKind::impact, "first one"),
                                        contribution(3, day * 86400 + 9000, records::ImpactKind::judgment, "for a goal")};
  cs[1].links = {"https://example.org/pr/7"};
  cs[2].goal_id = 5;
  store::Goal g;
  g.id = 5;
  g.current.title = "Faster builds";
  g.current.status = "active";
  std::vector<store::Outcome> outcomes{{1, 1, 0, 30, "held", "still used"}};
  auto in = views::brag_input(cs, {g}, outcomes, "all", "2026-12-02");
  REQUIRE(in.contributions.size() == 3);
  CHECK(in.contributions[0].id == 1);
  CHECK(in.contributions[2].id == 3);
  const auto md = views::brag_markdown(in);
  CHECK(md.find("_3 contributions, all, from my Cairn record (2026-12-02)._") != std::string::npos);
  CHECK(md.find("## Goal: Faster builds") < md.find("## Not linked to a goal"));
  CHECK(md.find("Evidence: <https://example.org/pr/7>") != std::string::npos);
  CHECK(md.find("After 30 days: held \xE2\x80\x94 still used") != std::string::npos);
  CHECK(md.find("first one") < md.find("later one"));
}

TEST_CASE("days_window and time_per_app: local days at an offset, idle left out, clipped, largest first") {
  const std::int64_t day = days_from_civil(2026, 11, 16);
  auto w = views::days_window(day, day + 6, 3600);
  CHECK(w.from == day * 86400 - 3600);
  CHECK(w.to == (day + 7) * 86400 - 3600);
  std::vector<records::ActivitySpan> spans(3);
  spans[0].start = w.from - 600, spans[0].end = w.from + 600, spans[0].app_class = "code", spans[0].category = "development";
  spans[1].start = w.from + 1000, spans[1].end = w.from + 4000, spans[1].app_class = "firefox", spans[1].category = "browsing";
  spans[2].start = w.from + 5000, spans[2].end = w.from + 9000, spans[2].idle = true;
  auto apps = views::time_per_app(spans, w.from, w.to);
  REQUIRE(apps.size() == 2);
  CHECK(apps[0].app == "firefox");
  CHECK(apps[0].seconds == 3000);
  CHECK(apps[1].seconds == 600);
}

TEST_CASE("write_private_output: 0600, refuses to replace unless forced, refuses a directory") {
  const auto dir = std::filesystem::temp_directory_path() / ("cairn_views_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "brag.md";
  REQUIRE(views::write_private_output(file, "one", false).ok());
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto again = views::write_private_output(file, "two", false);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == Errc::exists);
  CHECK(views::write_private_output(file, "two", true).ok());
  std::ifstream in(file);
  std::string text;
  std::getline(in, text);
  CHECK(text == "two");
  CHECK(views::write_private_output(dir, "x", true).error().code == Errc::usage);
  std::filesystem::remove_all(dir);
}
