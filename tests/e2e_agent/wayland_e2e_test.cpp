// End to end on sway (CTest label "wayland"): the real cairn-agentd collects from a headless sway
// session through the wlroots backend, exactly as e2e_agent_test does on X11: spans recorded with
// the right app ids and categories, nothing twice, no titles without consent, and a revocation
// stops collection. sway, the daemon and the consent commands run as the unprivileged test user
// (sway refuses root); the import runs as the test itself. Skipped (77) when a program is missing.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "compositors.hpp"
#include "temp_dir.hpp"
#include "world.hpp"

using namespace cairn::test;
using cairn::activity::testing::Sway;

namespace {

const bool kPrograms = [] {
  if (auto m = cairn::activity::testing::missing_program({"sway", "swaymsg", "foot", "wtype"})) {
    std::cout << "SKIPPED: " << *m << " is not installed (scripts/deps.sh installs it)\n";
    std::exit(77);
  }
  return true;
}();

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p);
  return {std::istreambuf_iterator<char>(f), {}};
}

// The session user owns the Cairn home, as a real employee would. It must also be able to reach
// it: test-tmp/ and the folders between it and the home get their search bit for others (never
// read), because whichever test created them first decided their mode, and a test that ran the CLI
// in-process (harden_process: umask 077) leaves them 0700 (in a whole-suite run, order-dependent).
void give_home_to(const World& w, const Sway& sway) {
  if (!sway.user().switch_to) return;
  const auto tmp_root = std::filesystem::path(CAIRN_BINARY_DIR) / "test-tmp";
  for (auto p = w.dir.parent_path(); p.string().rfind(tmp_root.string(), 0) == 0; p = p.parent_path())
    std::filesystem::permissions(p, std::filesystem::perms::others_exec, std::filesystem::perm_options::add);
  for (auto& e : std::filesystem::recursive_directory_iterator(w.dir))
    REQUIRE(::chown(e.path().c_str(), sway.user().uid, sway.user().gid) == 0);
  REQUIRE(::chown(w.dir.c_str(), sway.user().uid, sway.user().gid) == 0);
}

std::map<std::string, std::string> agent_env(const World& w, const Sway& sway) {
  auto e = w.env();
  e["XDG_CURRENT_DESKTOP"] = "sway";
  e["XDG_SESSION_TYPE"] = "wayland";
  e["DISPLAY"] = ":77";  // XWayland's, never the session
  e["WAYLAND_DISPLAY"] = sway.wayland_display();
  return e;
}

// Switches focus between the windows every second, typing into each, for `seconds`.
void work(Sway& sway, int seconds) {
  const char* apps[] = {"code", "firefox", "Slack"};
  for (int i = 0; i < seconds; ++i) {
    sway.focus(apps[i % 3]);
    sway.type("x");
    sleep_ms(1000);
  }
}

std::string consent(Sway& sway, const World& w, const std::vector<std::string>& args) {
  std::vector<std::string> argv{CAIRN_EXE, "consent"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out;
  const int status = sway.run(argv, &out, agent_env(w, sway));
  INFO("cairn consent said: ", out);
  REQUIRE(status == 0);
  return out;
}

}  // namespace

TEST_CASE("sway: collect, import, export; then revoke and nothing more is collected") {
  World w("wayland-collect");
  auto sway = Sway::start();
  REQUIRE_MESSAGE(sway, "sway did not start");
  for (const char* app : {"code", "firefox", "Slack"}) REQUIRE(sway->open_window(app, std::string("SECRET-TITLE ") + app));
  give_home_to(w, *sway);
  consent(*sway, w, {"grant", "activity"});
  w.set_batch_interval(1);

  pid_t agent = sway->spawn({AGENTD_EXE, "--scan", SCAN_EXE, "--verbose"}, agent_env(w, *sway), (w.dir / "agent.log").string());
  sleep_ms(500);
  work(*sway, 6);
  REQUIRE(sway->finish(agent, SIGTERM) == 0);
  CHECK(w.pending_batches() > 0);
  // The status file said which backend collected (and the daemon wrote "stopped" on exit).
  auto status = slurp(w.home / "activity-status");
  CHECK(status.find("state=stopped") != std::string::npos);
  auto log = slurp(w.dir / "agent.log");
  CHECK(log.find("wlroots Wayland (sway)") != std::string::npos);

  auto inbox = all_file_bytes(w.home / "inbox");
  for (const char* s : {"firefox", "Slack", "development", "SECRET-TITLE"}) CHECK(inbox.find(s) == std::string::npos);

  auto doc = w.export_json();
  std::set<std::string> classes, categories;
  std::set<std::string> starts;
  for (auto& s : doc["activity_spans"]) {
    if (s["idle"] == true) continue;
    classes.insert(s["app_class"]);
    categories.insert(s["category"]);
    CHECK_FALSE(s.contains("title"));  // titles were not consented
    CHECK(starts.insert(s["start"].dump()).second);  // nothing twice
  }
  CHECK(classes.count("code"));
  CHECK(classes.count("firefox"));
  CHECK(classes.count("Slack"));
  CHECK(categories.count("development"));
  CHECK(categories.count("browsing"));
  CHECK(categories.count("communication"));
  CHECK(doc.dump().find("SECRET-TITLE") == std::string::npos);

  // Revoke while the agent runs: it stops collecting at once.
  const auto spans_before = doc["activity_spans"].size();
  agent = sway->spawn({AGENTD_EXE, "--scan", SCAN_EXE}, agent_env(w, *sway), (w.dir / "agent2.log").string());
  work(*sway, 2);
  consent(*sway, w, {"revoke", "activity"});
  sleep_ms(1200);
  const auto batches_after_revoke = w.pending_batches();
  work(*sway, 3);
  REQUIRE(sway->finish(agent, SIGTERM) == 0);
  CHECK(w.pending_batches() == batches_after_revoke);
  CHECK(slurp(w.home / "activity-status").find("state=off") != std::string::npos);
  auto doc2 = w.export_json();
  CHECK(doc2["activity_spans"].size() <= spans_before + 3);
}
