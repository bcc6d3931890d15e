// The end-to-end test world; see world.hpp.
#include "world.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>

#include "temp_dir.hpp"

namespace cairn::test {
namespace {

std::string ics_time(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Meetings relative to now: a 1:1 two days ago, a weekly group meeting that started ten days ago
// (two occurrences have happened), a weekly 1:1 that started five weeks ago (five occurrences,
// three of them older than the two weeks the calendar source used to reach), a meeting 800 days
// ago (beyond the two-year bound), an all-day event (not a meeting), and a future meeting.
std::string calendar_text(std::time_t now) {
  std::time_t day = now - now % 86400;
  auto ev = [](const std::string& uid, std::time_t s, std::time_t e, int attendees, const std::string& extra) {
    std::string t = "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:" + ics_time(s) + "\r\nDTSTART:" + ics_time(s) +
                    "\r\nDTEND:" + ics_time(e) + "\r\nSUMMARY:SECRET-MEETING-TITLE " + uid +
                    "\r\nDESCRIPTION:SECRET-DESCRIPTION\r\nORGANIZER:mailto:boss@example.org\r\n";
    for (int i = 1; i < attendees; ++i) t += "ATTENDEE:mailto:person" + std::to_string(i) + "@example.org\r\n";
    return t + extra + "END:VEVENT\r\n";
  };
  std::string s = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//cairn tests//EN\r\n";
  s += ev("one-on-one", day - 2 * 86400 + 10 * 3600, day - 2 * 86400 + 10 * 3600 + 1800, 2, "");
  s += ev("weekly", day - 10 * 86400 + 14 * 3600, day - 10 * 86400 + 15 * 3600, 5, "RRULE:FREQ=WEEKLY;COUNT=4\r\n");
  s += ev("weekly-1on1", day - 35 * 86400 + 9 * 3600, day - 35 * 86400 + 9 * 3600 + 1800, 2, "RRULE:FREQ=WEEKLY;COUNT=5\r\n");
  s += ev("too-old", day - 800 * 86400 + 9 * 3600, day - 800 * 86400 + 10 * 3600, 3, "");
  s += "BEGIN:VEVENT\r\nUID:allday\r\nDTSTAMP:" + ics_time(now) + "\r\nDTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20260102\r\nSUMMARY:Holiday\r\nEND:VEVENT\r\n";
  s += ev("future", day + 3 * 86400 + 9 * 3600, day + 3 * 86400 + 10 * 3600, 3, "");
  return s + "END:VCALENDAR\r\n";
}

}  // namespace

World::World(const std::string& name) : dir(fresh_dir("e2e/" + name)) {
  home = dir / "home";
  repo = dir / "repo";
  ics = dir / "calendar.ics";
  REQUIRE(cairn({"init", "--weak-passphrase-ok"}).status == 0);
  std::filesystem::create_directories(repo);
  REQUIRE(run({"/usr/bin/git", "init", "-q", repo.string()}).status == 0);
  commit("a.txt", "Add a");
  commit("b.txt", "Add b\n\nCo-authored-by: Claude <noreply@anthropic.com>");
  commit("c.txt", "Someone else's work", "other@example.org");
  std::ofstream(ics) << calendar_text(std::time(nullptr));
}

std::map<std::string, std::string> World::env() const {
  return {{"CAIRN_HOME", home.string()}, {"CAIRN_INSECURE_FAST_KDF", "1"}, {"CAIRN_AGENTD", AGENTD_EXE}};
}

Output World::cairn(std::vector<std::string> args, const std::string& input) const {
  args.insert(args.begin(), CAIRN_EXE);
  return run(args, input, env());
}

nlohmann::json World::export_json() const {
  auto o = cairn({"export", "--format", "json"});
  REQUIRE(o.status == 0);
  return nlohmann::json::parse(o.out);
}

void World::commit(const std::string& file, const std::string& message, const std::string& email) const {
  std::ofstream(repo / file) << file << " " << std::rand() << "\n";
  std::map<std::string, std::string> e{{"GIT_AUTHOR_NAME", "Someone"}, {"GIT_AUTHOR_EMAIL", email},
                                       {"GIT_COMMITTER_NAME", "Someone"}, {"GIT_COMMITTER_EMAIL", email}};
  REQUIRE(run({"/usr/bin/git", "-C", repo.string(), "add", file}, "", e).status == 0);
  REQUIRE(run({"/usr/bin/git", "-C", repo.string(), "commit", "-q", "-m", message}, "", e).status == 0);
}

std::unique_ptr<Child> World::start_agent() const {
  return std::make_unique<Child>(std::vector<std::string>{CAIRN_EXE, "agent", "--scan", SCAN_EXE, "--verbose"}, env(),
                                 (dir / "agent.log").string());
}

std::unique_ptr<Child> World::start_desktop(int seconds, const std::string& classes) const {
  return std::make_unique<Child>(std::vector<std::string>{FAKE_DESKTOP_EXE, "--classes", classes, "--switch-every", "1",
                                                          "--input-every", "1", "--duration", std::to_string(seconds)},
                                 env(), (dir / "desktop.log").string());
}

void World::set_batch_interval(int seconds) const {
  std::ofstream(home / "config" / "consent.conf", std::ios::app) << "batch-interval = " << seconds << "\n";
}

std::size_t World::pending_batches() const {
  std::size_t n = 0;
  for (auto& e : std::filesystem::directory_iterator(home / "inbox"))
    if (e.path().extension() == ".batch") ++n;
  return n;
}

}  // namespace cairn::test
