// The command line's address and token file, checked in-process.
#include <doctest/doctest.h>

#include <filesystem>

#include "cairn/aggregator/args.hpp"
#include "cairn/base/files.hpp"
#include "temp_dir.hpp"

using namespace cairn;

TEST_CASE("--listen: ADDR:PORT split at the last colon; a bad port is a usage error") {
  auto a = aggregator::parse_listen("127.0.0.1:8440");
  REQUIRE(a.ok());
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 8440);
  auto v6 = aggregator::parse_listen("[::1]:0");
  REQUIRE(v6.ok());
  CHECK(v6->host == "[::1]");
  CHECK(v6->port == 0);
  CHECK(aggregator::parse_listen("127.0.0.1").error().message == "--listen is ADDR:PORT, e.g. 127.0.0.1:8440");
  for (const char* bad : {"host:", "host:http", "host:-1", "host:65536", "host:80x"}) {
    CAPTURE(bad);
    auto r = aggregator::parse_listen(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::usage);
    CHECK(r.error().message == "--listen port is not a number");
  }
}

TEST_CASE("token hashes: one per line, empty lines skipped, a missing file is an error") {
  const auto dir = test::fresh_dir("agg_args");
  REQUIRE(fs::write_file_atomic(dir / "hashes.txt", "aa\n\nbb\ncc").ok());
  auto h = aggregator::read_token_hashes(dir / "hashes.txt");
  REQUIRE(h.ok());
  CHECK(*h == std::vector<std::string>{"aa", "bb", "cc"});
  CHECK_FALSE(aggregator::read_token_hashes(dir / "missing.txt").ok());
}
