// End to end: grant sources, run the real daemon against Xvfb, a real repository and a real .ics
// file, stop it, import with the passphrase, and find the expected spans, commits and meetings in
// `cairn export`; then revoke and show that nothing more is collected.
#include <doctest/doctest.h>

#include <signal.h>

#include <ctime>
#include <set>

#include "temp_dir.hpp"
#include "world.hpp"

using namespace cairn::test;

TEST_CASE("collect, import, export; then revoke and nothing more is collected") {
  World w("collect");
  REQUIRE(w.cairn({"consent", "grant", "activity"}, "").status == 0);
  REQUIRE(w.cairn({"consent", "grant", "git", "--repo", w.repo.string() + "=work", "--email", "me@example.org"}, "").status == 0);
  REQUIRE(w.cairn({"consent", "grant", "calendar", "--ics", w.ics.string()}, "").status == 0);
  w.set_batch_interval(1);

  auto desktop = w.start_desktop(7);
  sleep_ms(300);
  auto agent = w.start_agent();
  sleep_ms(6000);
  agent->signal(SIGTERM);
  REQUIRE(agent->wait() == 0);
  desktop->wait();
  CHECK(w.pending_batches() > 0);

  // The inbox holds no plaintext of what was collected.
  auto inbox = all_file_bytes(w.home / "inbox");
  for (const char* s : {"firefox", "slack", "development", "work", "me@example.org"}) CHECK(inbox.find(s) == std::string::npos);

  auto doc = w.export_json();
  CHECK(w.pending_batches() == 0);
  std::set<std::string> classes, categories;
  for (auto& s : doc["activity_spans"]) {
    classes.insert(s["app_class"]);
    categories.insert(s["category"]);
    CHECK_FALSE(s.contains("title"));  // titles were not consented
  }
  CHECK(classes.count("code"));
  CHECK(classes.count("firefox"));
  CHECK(classes.count("slack"));
  CHECK(categories.count("development"));
  CHECK(categories.count("browsing"));
  CHECK(categories.count("communication"));

  REQUIRE(doc["commits"].size() == 2);  // the third commit is someone else's
  int ai = 0;
  for (auto& c : doc["commits"]) {
    CHECK(c["repo"] == "work");
    CHECK_FALSE(c.contains("message"));
    if (c["ai_assisted"] == true) {
      ++ai;
      CHECK(c["ai_tool"] == "Claude");
    }
  }
  CHECK(ai == 1);

  // The 1:1 two days ago, the weekly meeting's occurrences that already happened (10 and 3 days
  // ago) and the weekly 1:1's five (35 to 7 days ago: the calendar reaches back two years, not two
  // weeks); not the meeting 800 days ago, not the all-day event, not the future meeting.
  auto& meetings = doc["meetings"];
  CHECK(meetings.size() == 8);
  int one_on_ones = 0, recurring = 0;
  for (auto& m : meetings) {
    one_on_ones += m["one_on_one"] == true;
    recurring += m["recurring"] == true;
  }
  CHECK(one_on_ones == 6);
  CHECK(recurring == 7);
  std::string earliest = meetings[0]["start"].get<std::string>();  // ISO 8601 UTC: sorts as text
  for (auto& m : meetings) earliest = std::min(earliest, m["start"].get<std::string>());
  const std::time_t five_weeks_ago = std::time(nullptr) - 34 * 86400;
  std::tm tm{};
  gmtime_r(&five_weeks_ago, &tm);
  char bound[32];
  std::strftime(bound, sizeof bound, "%Y-%m-%dT%H:%M:%SZ", &tm);
  CHECK(earliest < std::string(bound));
  auto text = doc.dump();
  CHECK(text.find("SECRET-MEETING-TITLE") == std::string::npos);
  CHECK(text.find("SECRET-DESCRIPTION") == std::string::npos);
  CHECK(text.find("person1@example.org") == std::string::npos);
  CHECK(doc["consent_log"].size() == 3);

  // Revoke everything: a running agent stops; a new commit and new activity are not collected.
  const auto spans_before = doc["activity_spans"].size();
  auto agent2 = w.start_agent();
  auto desktop2 = w.start_desktop(5);
  sleep_ms(1500);
  for (const char* s : {"activity", "git", "calendar"}) REQUIRE(w.cairn({"consent", "revoke", s}, "").status == 0);
  sleep_ms(1200);  // "within one second"
  const auto batches_after_revoke = w.pending_batches();
  w.commit("d.txt", "After revoking");
  sleep_ms(3000);
  agent2->signal(SIGTERM);
  REQUIRE(agent2->wait() == 0);
  desktop2->wait();
  CHECK(w.pending_batches() == batches_after_revoke);  // nothing sealed after the revocation
  auto doc2 = w.export_json();
  CHECK(doc2["commits"].size() == 2);
  CHECK(doc2["meetings"].size() == 8);
  // At most the 1.5 s before the revocation were collected.
  CHECK(doc2["activity_spans"].size() <= spans_before + 3);
  CHECK(doc2["consent_log"].size() == 6);
}
