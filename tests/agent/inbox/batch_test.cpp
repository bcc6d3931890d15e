// Inbox batches: encoding round trip, sealing, and every way a batch file can be damaged.
#include <doctest/doctest.h>

#include <algorithm>

#include "cairn/base/files.hpp"
#include "cairn/inbox/batch.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::inbox;

namespace {
Batch sample(int spans = 3) {
  Batch b;
  b.id = new_batch_id();
  b.created = 1700000000;
  for (int i = 0; i < spans; ++i)
    b.spans.push_back({1700000000 + i * 60, 1700000060 + i * 60, 3600, i % 2 == 1, i % 2 ? "" : "code",
                       i % 2 ? "idle" : "development", i == 0 ? std::optional<std::string>("a title") : std::nullopt});
  b.commits.push_back({"work", "abc123", 1700000100, 3600, 10, 2, 3, true, "Claude", std::nullopt});
  b.meetings.push_back({"uidhash", 1700000200, 1700002000, 3600, 4, true, false});
  return b;
}
}  // namespace

TEST_CASE("encode/decode round trip keeps every field") {
  REQUIRE(crypto::init().ok());
  auto b = sample();
  auto d = decode(encode(b)).value();
  CHECK(d.id == b.id);
  CHECK(d.created == b.created);
  REQUIRE(d.spans.size() == 3);
  CHECK(d.spans[0].title == std::optional<std::string>("a title"));
  CHECK_FALSE(d.spans[1].title.has_value());
  CHECK(d.spans[1].idle);
  CHECK(d.spans[2].utc_offset == 3600);
  CHECK(d.commits[0].ai_tool == "Claude");
  CHECK(d.commits[0].lines_added == 10);
  CHECK(d.meetings[0].attendees == 4);
  CHECK(d.meetings[0].recurring);
}

TEST_CASE("every truncation and trailing byte of the plaintext is rejected") {
  REQUIRE(crypto::init().ok());
  auto bytes = encode(sample());
  for (std::size_t n = 0; n < bytes.size(); ++n) CHECK_FALSE(decode(crypto::ByteView(bytes.data(), n)).ok());
  bytes.push_back(0);
  CHECK(decode(bytes).error().code == Errc::corrupt);
}

TEST_CASE("sealed batches open only with the inbox key and detect any damage") {
  REQUIRE(crypto::init().ok());
  auto keys = crypto::box_keypair();
  auto other = crypto::box_keypair();
  auto file = seal_batch(sample(), keys.public_key);
  CHECK(open_batch(file, keys).ok());
  CHECK(open_batch(file, other).error().code == Errc::corrupt);
  for (std::size_t i = 0; i < file.size(); i += 3) {
    auto bad = file;
    bad[i] ^= 0x20;
    CHECK_FALSE(open_batch(bad, keys).ok());
  }
  CHECK_FALSE(open_batch(crypto::Bytes(file.begin(), file.begin() + 40), keys).ok());
  CHECK_FALSE(open_batch(crypto::Bytes{}, keys).ok());
}

TEST_CASE("batch files hold no plaintext and sort by creation") {
  REQUIRE(crypto::init().ok());
  auto dir = test::fresh_dir("inbox/files");
  auto keys = crypto::box_keypair();
  std::vector<std::string> markers;
  for (int i = 0; i < 50; ++i) {
    Batch b = sample(1);
    b.created = 1700000000 + 50 - i;
    markers.push_back("BATCHMARKER" + std::to_string(i) + "Z");
    b.spans[0].app_class = markers.back();
    b.spans[0].title = "title " + markers.back();
    REQUIRE(write_batch(dir, b, keys.public_key).ok());
  }
  auto files = pending_batches(dir);
  REQUIRE(files.size() == 50);
  CHECK(std::is_sorted(files.begin(), files.end()));
  std::string disk = test::all_file_bytes(dir);
  for (const auto& m : markers) CHECK(disk.find(m) == std::string::npos);
  CHECK(disk.find("development") == std::string::npos);
  // Temporary files (a write that crashed) are never listed.
  REQUIRE(fs::write_file_atomic(dir / ".0000-x.batch.tmp-abc", std::string("partial")).ok());
  CHECK(pending_batches(dir).size() == 50);
}
