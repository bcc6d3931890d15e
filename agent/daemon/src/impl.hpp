// The daemon's private state, shared by daemon.cpp (the loop) and collect.cpp (what it collects).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <vector>

#include "cairn/activity/open.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/scan/protocol.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/daemon/daemon.hpp"
#include "watch.hpp"

namespace cairn::daemon {

using records::Instant;

struct Daemon::Impl {
  Impl(const Options& o, const Clock& c) : opt(o), clock(c) {}
  Options opt;
  const Clock& clock;
  crypto::BoxPublicKey inbox_key{};
  consent::State consent;
  activity::CategoryRules rules = activity::CategoryRules::defaults();
  std::unique_ptr<activity::ActivitySource> monitor;  // the backend chosen for the session
  Instant x_retry_at = 0;
  activity::Session session;    // what the last open_monitor() detected
  std::string last_open_error;  // so a lasting reason is logged once
  Watcher watcher;
  int signal_fd = -1, timer_fd = -1;

  // Collected but not yet sealed.
  std::vector<records::ActivitySpan> spans;
  std::vector<records::CommitRecord> commits;
  std::vector<records::MeetingRecord> meetings;
  std::map<std::string, std::string> git_states;  // repo path -> state to persist after the batch
  std::set<std::string> sent_meetings;             // keys of meetings already sealed
  std::set<std::string> new_sent_meetings;
  std::map<std::string, std::string> calendar_seen;  // .ics path -> its "mtime size" when last read in full
  Instant scan_at = 0;    // 0: no scan scheduled
  Instant last_scan = 0;  // when the last scan ran

  std::filesystem::path state_dir() const { return opt.paths.data / "agent-state"; }
  void log(const std::string& line) const;

  // collect.cpp
  Status load_consent();
  void apply_consent(const consent::State& before);
  void open_monitor();
  // status.cpp: the plain activity status file `cairn status` and the panel read (docs/formats.md).
  void write_activity_status(const std::string& state, const std::string& backend, const std::string& detail);
  void close_monitor(bool keep_spans);
  void rearm_watches();
  void run_scans();
  // The calendar request's start: two years back when a file is new or changed since it was last
  // read in full, else the recent past only (a rescan then just picks up meetings that ended).
  Instant calendar_from(Instant now, const std::vector<std::string>& stamps) const;
  void take_calendar_results(scan::ScanResponse& resp, const std::vector<std::string>& stamps, Instant now);
  Status flush_batch();
  Status load_sent_meetings();
};

}  // namespace cairn::daemon
