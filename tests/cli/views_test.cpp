// The human views on real store files through the real CLI code: `week`, `apps`, `contributions`
// (list and Markdown), `log --date --goal`, `export --output`, and `consent list` / `status`
// with each source's settings. Records are planted in last week so every day is in the past.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "cairn/base/files.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/store/summary.hpp"
#include "cli_home.hpp"
#include "views.hpp"  // cli/src: time_per_app

using namespace cairn;
using test::CliHome;
using test::local_instant;
using test::offset_at;

namespace {

const char* kPass = "pw";

// Last week's Monday: 1 h of code, 30 min of firefox, 10 min idle; two commits (one AI); a 1:1.
std::int64_t plant_week(CliHome& h) {
  const std::int64_t monday = week_start_day(test::today_local()) - 7;
  h.with_store(kPass, [&](store::Store& s) {
    std::vector<records::ActivitySpan> spans{test::planted_span(monday, 9, 0, 60, "code", "development"),
                                             test::planted_span(monday, 10, 0, 30, "firefox", "browsing"),
                                             test::planted_span(monday, 10, 30, 10, "", "")};
    REQUIRE(s.add_spans(spans).ok());
    records::CommitRecord a{"app", std::string(40, 'a'), local_instant(monday, 11 * 3600), offset_at(monday, 11 * 3600), 10, 2, 1, true, "Claude", {}};
    records::CommitRecord b{"app", std::string(40, 'b'), local_instant(monday, 12 * 3600), offset_at(monday, 12 * 3600), 5, 0, 1, false, "", {}};
    REQUIRE(s.add_commits(std::vector{a, b}).ok());
    records::MeetingRecord m{std::string(64, 'c'), local_instant(monday, 14 * 3600), local_instant(monday, 14 * 3600 + 1800),
                             offset_at(monday, 14 * 3600), 2, true, true};
    REQUIRE(s.add_meetings(std::vector{m}).ok());
    REQUIRE(s.rebuild_rollups(monday, monday + 6).ok());
    REQUIRE(s.add_goal({0, "Faster CI", "Builds under ten minutes", "active"}, local_instant(monday, 8 * 3600)).ok());
  });
  return monday;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("week shows the panel's Week numbers from the rollups; apps shows time per application") {
  CliHome h("week");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  const auto monday = plant_week(h);
  REQUIRE(h.sh({kPass}, {"log", "Cut CI time \x1b[2Jfor the app team", "--date", day_string(monday), "--goal", "faster ci"}) == cli::kOk);
  REQUIRE(h.sh({kPass}, {"week", "--week", iso_week_string(monday)}) == cli::kOk);
  const std::string w = h.out;
  CHECK(w.rfind(iso_week_string(monday), 0) == 0);
  CHECK(has(w, "Active time        1 h 30 min"));
  CHECK(has(w, "Meetings           30 min         1 calendar meeting, 1 of them one-to-one"));
  CHECK(has(w, "Commits            2              17 lines changed"));
  CHECK(has(w, "AI-assisted        50 % of commits 1 of 2 commits carry an AI co-author trailer; 0 of 1 logged"));
  CHECK(has(w, "Development        1 h            67 %"));
  CHECK(has(w, "Browsing           30 min         33 %"));
  CHECK(has(w, "Cut CI time \\x1B[2Jfor the app team"));  // the ESC made visible, never sent raw
  CHECK_FALSE(has(w, "\x1b"));
  // This week holds nothing: said in plain words.
  REQUIRE(h.sh({kPass}, {"week"}) == cli::kOk);
  CHECK(has(h.out, "Nothing recorded this week"));
  CHECK(h.sh({kPass}, {"week", "--week", "2026-W60"}) == cli::kUsage);
  CHECK(h.sh({kPass}, {"week", "--week", iso_week_string(week_start_day(test::today_local()) + 7)}) == cli::kUsage);

  REQUIRE(h.sh({kPass}, {"apps", "--range", day_string(monday) + ".." + day_string(monday + 6)}) == cli::kOk);
  const auto code = h.out.find("   1 h    67 %  code  [development]\n");
  const auto firefox = h.out.find("30 min    33 %  firefox  [browsing]\n");
  CHECK(has(h.out, "1 h 30 min active"));
  CHECK(code != std::string::npos);
  CHECK(firefox != std::string::npos);
  CHECK(code < firefox);
  REQUIRE(h.sh({kPass}, {"apps", "--range", "today"}) == cli::kOk);
  CHECK(has(h.out, "No activity recorded"));
  CHECK(h.sh({kPass}, {"apps", "--range", "fortnight"}) == cli::kUsage);
}

TEST_CASE("time_per_app clips spans to the window, leaves idle out and sorts by time") {
  std::vector<records::ActivitySpan> spans(3);
  spans[0] = {100, 400, 0, false, "term", "development", {}};
  spans[1] = {0, 1000, 0, false, "mail", "communication", {}};
  spans[2] = {200, 900, 0, true, "", "idle", {}};
  auto apps = cli::time_per_app(spans, 200, 800);
  REQUIRE(apps.size() == 2);
  CHECK(apps[0].app == "mail");
  CHECK(apps[0].seconds == 600);
  CHECK(apps[1].app == "term");
  CHECK(apps[1].seconds == 200);
}

TEST_CASE("log --date backdates and --goal links by title or id; bad dates and unknown goals are refused") {
  CliHome h("log");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  const auto monday = plant_week(h);
  const auto today = test::today_local();
  REQUIRE(h.sh({kPass}, {"log", "Backdated", "--date", day_string(monday), "--goal", "Faster CI"}) == cli::kOk);
  CHECK(h.out == "Logged contribution #1 on " + day_string(monday) + ", linked to goal #1.\n");
  REQUIRE(h.sh({kPass}, {"log", "By id", "--goal", "#1", "--kind", "system"}) == cli::kOk);
  CHECK(h.sh({kPass}, {"log", "Tomorrow", "--date", day_string(today + 1)}) == cli::kUsage);
  CHECK(has(h.err, "is in the future"));
  CHECK(h.sh({kPass}, {"log", "Old", "--date", "1999-12-31"}) == cli::kUsage);
  CHECK(has(h.err, "before 2000"));
  CHECK(h.sh({kPass}, {"log", "Typo", "--date", "2026-02-30"}) == cli::kUsage);
  CHECK(has(h.err, "no such date"));
  CHECK(h.sh({kPass}, {"log", "Typo", "--date", "18/11/2026"}) == cli::kUsage);
  CHECK(h.sh({kPass}, {"log", "Nowhere", "--goal", "World peace"}) == cli::kUsage);
  CHECK(h.err == "cairn: no goal \"World peace\" (1 goal in your record; set goals in the panel's Goals view)\n");
  CHECK(h.sh({kPass}, {"log", "Nowhere", "--goal", "7"}) == cli::kUsage);

  REQUIRE(h.sh({kPass}, {"export", "--format", "json"}) == cli::kOk);
  auto doc = nlohmann::json::parse(h.out);
  REQUIRE(doc["contributions"].size() == 2);  // the refused ones left nothing
  for (auto& c : doc["contributions"]) CHECK(c["goal_id"] == 1);
  // The backdated entry counts on its own day's rollup, so `week` shows it in that week.
  REQUIRE(h.sh({kPass}, {"week", "--week", iso_week_string(monday)}) == cli::kOk);
  CHECK(has(h.out, "0 of 1 logged contributions"));
  CHECK(has(h.out, "Backdated"));
}

TEST_CASE("contributions lists goals and impact; --markdown writes a brag document, 0600 and never over a file") {
  CliHome h("contributions");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  const auto monday = plant_week(h);
  REQUIRE(h.sh({kPass}, {"log", "Cut CI time for the app team", "--date", day_string(monday), "--goal", "Faster CI",
                         "--skill", "ci", "--link", "https://example.org/pr/7", "--ai-assisted"}) == cli::kOk);
  REQUIRE(h.sh({kPass}, {"log", "Chose to delay the release", "--kind", "judgment"}) == cli::kOk);
  REQUIRE(h.sh({kPass}, {"contributions"}) == cli::kOk);
  CHECK(has(h.out, "2 contributions, everything"));
  CHECK(has(h.out, "#1  " + day_string(monday) + "  impact  AI-assisted  goal #1 \"Faster CI\"\n  Cut CI time for the app team\n"));
  CHECK(has(h.out, "evidence: https://example.org/pr/7"));
  CHECK(has(h.out, "judgment\n  Chose to delay the release"));
  REQUIRE(h.sh({kPass}, {"contributions", "--range", "today"}) == cli::kOk);
  CHECK(has(h.out, "1 contribution, today"));

  REQUIRE(h.sh({kPass}, {"contributions", "--markdown"}) == cli::kOk);
  const std::string md = h.out;
  CHECK(md.rfind("# What I did\n", 0) == 0);
  CHECK(has(md, "## Goal: Faster CI\n\nBuilds under ten minutes\n\n### Impact: what changed and for whom\n\n- **" +
                    day_string(monday) + "** \xE2\x80\x94 Cut CI time for the app team _(AI-assisted)_\n  - Skills: ci\n"
                    "  - Evidence: <https://example.org/pr/7>\n"));
  CHECK(has(md, "## Not linked to a goal\n\n### Judgment: the calls you made\n"));

  const auto file = h.dir / "brag.md";
  REQUIRE(h.sh({kPass}, {"contributions", "--markdown", "--output", file.string()}) == cli::kOk);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(fs::read_text_file(file, 1 << 20).value() == md);
  REQUIRE(fs::write_file_atomic(file, std::string("mine")).ok());
  CHECK(h.sh({kPass}, {"contributions", "--markdown", "--output", file.string()}) == cli::kFailure);
  CHECK(has(h.err, "already exists; nothing was written (--force replaces it)"));
  CHECK(fs::read_text_file(file, 1 << 20).value() == "mine");
  REQUIRE(h.sh({kPass}, {"contributions", "--markdown", "--output", file.string(), "--force"}) == cli::kOk);
  CHECK(fs::read_text_file(file, 1 << 20).value() == md);
  CHECK(h.sh({kPass}, {"contributions", "--output", file.string()}) == cli::kUsage);  // --output needs --markdown
}

TEST_CASE("export --output writes the record 0600 atomically and refuses to overwrite unless --force") {
  CliHome h("export");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  REQUIRE(h.sh({kPass}, {"log", "Shipped the importer"}) == cli::kOk);
  const auto file = h.dir / "record.json";
  REQUIRE(h.sh({kPass}, {"export", "--format", "json", "--output", file.string()}) == cli::kOk);
  CHECK(has(h.out, "readable by you only"));
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto doc = nlohmann::json::parse(fs::read_text_file(file, 1 << 24).value());
  CHECK(doc["contributions"][0]["text"] == "Shipped the importer");
  const auto before = fs::read_text_file(file, 1 << 24).value();
  REQUIRE(h.sh({kPass}, {"log", "Second"}) == cli::kOk);
  CHECK(h.sh({}, {"export", "--format", "json", "--output", file.string()}) == cli::kFailure);  // refused before the passphrase
  CHECK(fs::read_text_file(file, 1 << 24).value() == before);
  REQUIRE(h.sh({kPass}, {"export", "--format", "json", "--output", file.string(), "--force"}) == cli::kOk);
  CHECK(has(fs::read_text_file(file, 1 << 24).value(), "Second"));
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  for (const auto& e : std::filesystem::directory_iterator(h.dir)) CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
  REQUIRE(h.sh({}, {"export", "--help"}) == cli::kOk);
  CHECK(has(h.out, "others may read"));
}

TEST_CASE("consent list and status show each source's settings and how far back the calendar reaches") {
  CliHome h("consent");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  const auto ics = h.dir / "work.ics";
  REQUIRE(h.sh({}, {"consent", "grant", "git", "--repo", (h.dir / "repo").string() + "=app", "--email", "me@example.org"}) == cli::kOk);
  REQUIRE(h.sh({}, {"consent", "grant", "calendar", "--ics", ics.string()}) == cli::kOk);
  const std::string since = day_string(test::today_local() - consent::kCalendarHistoryDays);
  for (auto args : {std::vector<std::string>{"consent", "list"}, std::vector<std::string>{"status"}}) {
    REQUIRE(h.sh({}, args) == cli::kOk);
    CAPTURE(h.out);
    CHECK(has(h.out, "repository:      app (" + (h.dir / "repo").string() + ")"));
    CHECK(has(h.out, "your email:      me@example.org"));
    CHECK(has(h.out, "messages:        not kept"));
    CHECK(has(h.out, "calendar file:   " + ics.string()));
    CHECK(has(h.out, "history:         meetings since " + since + " (two years back)"));
    CHECK(has(h.out, "window titles:   not collected"));
  }
}
