// Crash tests: SIGKILL the daemon at random moments while it collects, and the importer at random
// moments while it imports, over 20 rounds each. The store stays readable, nothing is imported
// twice, no half-written batch is ever read, and the only loss is bounded by the batch interval.
#include <doctest/doctest.h>

#include <signal.h>

#include <random>

#include "temp_dir.hpp"
#include "world.hpp"

using namespace cairn::test;

namespace {
std::int64_t covered_seconds(const nlohmann::json& doc) {
  std::int64_t total = 0;
  for (auto& s : doc["activity_spans"]) {
    std::tm a{}, b{};
    strptime(s["start"].get<std::string>().c_str(), "%Y-%m-%dT%H:%M:%SZ", &a);
    strptime(s["end"].get<std::string>().c_str(), "%Y-%m-%dT%H:%M:%SZ", &b);
    total += timegm(&b) - timegm(&a);
  }
  return total;
}
}  // namespace

TEST_CASE("SIGKILL during collection and during import: no loss beyond a batch, no duplicates") {
  World w("crash");
  REQUIRE(w.cairn({"consent", "grant", "activity"}, "").status == 0);
  w.set_batch_interval(1);
  std::mt19937 rng(20261122);
  const int rounds = 20;
  auto desktop = w.start_desktop(rounds * 4 + 30);
  sleep_ms(300);
  double ran_seconds = 0;
  for (int i = 0; i < rounds; ++i) {
    auto agent = w.start_agent();
    int ms = 1200 + static_cast<int>(rng() % 2300);
    sleep_ms(ms);
    agent->signal(SIGKILL);
    CHECK(agent->wait() == 128 + SIGKILL);
    ran_seconds += ms / 1000.0;
  }
  // Every file in the inbox is a complete batch (temporary files never count as batches).
  const auto batches = w.pending_batches();
  REQUIRE(batches > static_cast<std::size_t>(rounds));

  // Keep a copy of the whole home: the clean import to compare with.
  auto clean = w.dir / "clean-home";
  std::filesystem::copy(w.home, clean, std::filesystem::copy_options::recursive);

  // Kill the importer at random moments.
  for (int i = 0; i < rounds; ++i) {
    // The passphrase comes on stdin (Child gives /dev/null), so a shell pipes it in.
    Child piped({"/bin/sh", "-c", std::string("echo pw | ") + CAIRN_EXE + " import"}, w.env());
    sleep_ms(5 + static_cast<int>(rng() % 60));
    piped.signal(SIGKILL);
    piped.wait();
    auto check = w.cairn({"verify"});
    REQUIRE(check.status == 0);  // the store stays readable after every kill
  }
  auto doc = w.export_json();  // completes the import
  CHECK(w.pending_batches() == 0);

  // Import the untouched copy cleanly: the same spans, none twice, none lost.
  auto clean_env = w.env();
  clean_env["CAIRN_HOME"] = clean.string();
  auto clean_out = run({CAIRN_EXE, "export", "--format", "json"}, "pw\n", clean_env);
  REQUIRE(clean_out.status == 0);
  auto clean_doc = nlohmann::json::parse(clean_out.out);
  CHECK(doc["activity_spans"] == clean_doc["activity_spans"]);
  CHECK(doc["activity_spans"].size() > 0);

  // Loss bound: each SIGKILL may lose what was not yet sealed, at most one batch interval (1 s)
  // plus the span in progress (the desktop switches every second) plus a second of start-up.
  const auto covered = covered_seconds(doc);
  MESSAGE("ran " << ran_seconds << " s in " << rounds << " rounds; " << covered << " s of activity kept, "
                 << doc["activity_spans"].size() << " spans from " << batches << " batches");
  CHECK(static_cast<double>(covered) >= ran_seconds - rounds * 3.0);
  desktop->signal(SIGTERM);
  desktop->wait();
}
