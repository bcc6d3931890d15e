// `cairn activity mark` on real store files through the real CLI code: a stretch marked as a break
// or moved to a category changes what `apps` and `week` show; nonsense is refused in one line,
// before any passphrase is asked for, and changes nothing.
#include <doctest/doctest.h>

#include "cairn/store/summary.hpp"
#include "cli_home.hpp"

using namespace cairn;
using test::CliHome;
using test::local_instant;
using test::offset_at;

namespace {

const char* kPass = "pw";

// Last week's Monday: 09:00-10:00 code, 10:00-10:30 firefox.
std::int64_t plant(CliHome& h) {
  const std::int64_t monday = week_start_day(test::today_local()) - 7;
  h.with_store(kPass, [&](store::Store& s) {
    std::vector<records::ActivitySpan> spans{test::planted_span(monday, 9, 0, 60, "code", "development"),
                                             test::planted_span(monday, 10, 0, 30, "firefox", "browsing")};
    REQUIRE(s.add_spans(spans).ok());
    REQUIRE(s.rebuild_rollups(monday, monday + 6).ok());
  });
  return monday;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("activity mark turns a stretch into a break or another category, and apps and week follow") {
  CliHome h("activity-mark");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  const auto monday = plant(h);
  const std::string d = day_string(monday);
  REQUIRE(h.sh({kPass}, {"activity", "mark", "--from", d + " 09:30", "--to", "10:15", "--as", "break"}) == cli::kOk);
  CHECK(has(h.out, "09:30\xE2\x80\x93" "10:15 as a break: 2 recorded stretches changed, 2 of them cut at the edges."));
  REQUIRE(h.sh({kPass}, {"apps", "--range", d + ".." + d}) == cli::kOk);
  CHECK(has(h.out, "45 min active"));
  CHECK(has(h.out, "30 min    67 %  code  [development]"));
  CHECK(has(h.out, "15 min    33 %  firefox  [browsing]"));
  REQUIRE(h.sh({kPass}, {"week", "--week", iso_week_string(monday)}) == cli::kOk);
  CHECK(has(h.out, "Active time        45 min"));

  // The firefox quarter hour was reading documentation.
  REQUIRE(h.sh({kPass}, {"activity", "mark", "--from", d + " 10:15", "--to", d + " 10:30", "--as", "documents"}) == cli::kOk);
  CHECK(has(h.out, "1 recorded stretch changed, 0 of them cut"));
  REQUIRE(h.sh({kPass}, {"apps", "--range", d + ".." + d}) == cli::kOk);
  CHECK(has(h.out, "firefox  [documents]"));
  h.with_store(kPass, [&](store::Store& s) {
    auto r = s.rollups(monday, monday);
    REQUIRE(r.ok());
    REQUIRE(r->size() == 1);
    CHECK(r->front().active_seconds == 45 * 60);
    CHECK(r->front().idle_seconds == 45 * 60);
    CHECK(r->front().category_seconds[3] == 15 * 60);
    CHECK(r->front().category_seconds[5] == 0);
    auto marks = s.activity_marks();
    REQUIRE(marks.ok());
    CHECK(marks->size() == 2);
  });
  REQUIRE(h.sh({kPass}, {"verify"}) == cli::kOk);
}

TEST_CASE("activity mark refuses nonsense in one line without asking for the passphrase") {
  CliHome h("activity-refuse");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  const auto monday = plant(h);
  const std::string d = day_string(monday);
  const std::string tomorrow = day_string(test::today_local() + 1);
  const std::vector<std::vector<std::string>> bad{
      {"--from", d + " 10:00", "--to", "09:00", "--as", "break"},                      // reversed
      {"--from", d + " 10:00", "--to", "10:00", "--as", "break"},                      // empty
      {"--from", tomorrow + " 10:00", "--to", "11:00", "--as", "break"},               // future
      {"--from", "2026-01-01 00:00", "--to", "2026-03-01 00:00", "--as", "break"},     // over 31 days
      {"--from", d + " 09:00", "--to", "10:00", "--as", "gaming"},                     // no such category
      {"--from", d + " 9:00", "--to", "10:00", "--as", "break"},                       // malformed
      {"--from", d + " 25:00", "--to", "10:00", "--as", "break"},                      // no such time
  };
  for (auto args : bad) {
    args.insert(args.begin(), {"activity", "mark"});
    CHECK(h.sh({}, args) == cli::kUsage);  // no input: a passphrase prompt would fail otherwise
    CHECK(h.err.rfind("cairn: ", 0) == 0);
    CHECK(h.err.find('\n') == h.err.size() - 1);
  }
  CHECK(h.sh({}, {"activity", "mark", "--from", d + " 09:00", "--to", "10:00", "--as", "gaming"}) == cli::kUsage);
  CHECK(has(h.err, "unknown category \"gaming\""));
  h.with_store(kPass, [&](store::Store& s) {
    auto marks = s.activity_marks();
    REQUIRE(marks.ok());
    CHECK(marks->empty());
    auto r = s.rollups(monday, monday);
    REQUIRE(r.ok());
    CHECK(r->front().active_seconds == 90 * 60);
  });
  REQUIRE(h.sh({}, {"activity", "mark", "--help"}) == cli::kOk);
  CHECK(has(h.out, "--as"));
}
