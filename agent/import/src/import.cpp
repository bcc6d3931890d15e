// The inbox import; see import.hpp for the exactly-once argument.
#include "cairn/import/import.hpp"

#include <unistd.h>

#include <ctime>

#include "cairn/base/files.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/inbox/batch.hpp"

namespace cairn::import {

using records::Instant;
// The inbox's batch format and lister (cairn_inbox), which this library consumes.
using inbox::Batch;
using inbox::kBatchMaxBytes;
using inbox::open_batch;
using inbox::pending_batches;

namespace {

void (*g_after_commit)() = nullptr;

Status set_aside(const std::filesystem::path& file) {
  auto dir = file.parent_path() / "rejected";
  CAIRN_TRY(fs::ensure_private_dir(dir));
  std::error_code ec;
  std::filesystem::rename(file, dir / file.filename(), ec);
  if (ec) return make_error(Errc::io, "cannot move a damaged batch aside: " + ec.message());
  return fs::sync_dir(file.parent_path());
}

// Consent changes made while locked: import each event once (by sequence number) and carry out
// the deletions that were requested.
Status import_consent_events(store::Store& store, const Paths& paths, store::ImportCounts& counts) {
  auto events = CAIRN_TRY(consent::read_events(consent::events_in(paths.config)));
  auto last = CAIRN_TRY(store.setting("consent.last_seq"));
  std::int64_t seen = last ? std::stoll(*last) : 0;
  for (const auto& e : events) {
    if (e.seq <= seen) continue;
    if (e.action == "delete-data") {
      if (auto src = records::source_from_name(e.source)) CAIRN_TRY(store.delete_source_data(*src, e.time));
    } else {
      CAIRN_TRY(store.log_consent({e.time, e.source, e.action, e.detail}));
    }
    CAIRN_TRY(store.set_setting("consent.last_seq", std::to_string(e.seq)));
    ++counts.consent_events;
  }
  return ok_status();
}

}  // namespace

void set_after_commit_hook_for_tests(void (*hook)()) { g_after_commit = hook; }

Result<ImportReport> import_inbox(store::Store& store, const Paths& paths, const crypto::UnlockedKeys& keys,
                                  const Progress& progress) {
  ImportReport report;
  auto inbox_keys = keys.inbox_keys();
  auto files = pending_batches(paths.inbox());
  std::size_t done = 0;

  // Batches are committed in groups (one transaction, then their files are removed): a daemon
  // writes a small batch a minute, and a transaction per file would spend most of the import in
  // commits. Exactly once still holds: every id is recorded in the group's transaction.
  struct Pending {
    std::filesystem::path file;
    Batch batch;
  };
  std::vector<Pending> group;
  std::size_t group_records = 0;
  auto commit_group = [&]() -> Status {
    if (group.empty()) return ok_status();
    std::vector<std::string> ids;
    for (const auto& p : group) ids.push_back(p.batch.id);
    std::size_t added = 0;
    store::ImportCounts counts;
    CAIRN_TRY(store.import_batches(ids, [&](store::Store& s, std::size_t i) -> Status {
      const auto& b = group[i].batch;
      CAIRN_TRY(s.add_spans(b.spans));
      CAIRN_TRY(s.add_commits(b.commits));
      CAIRN_TRY(s.add_meetings(b.meetings));
      ++added;
      counts.spans += static_cast<std::int64_t>(b.spans.size());
      counts.commits += static_cast<std::int64_t>(b.commits.size());
      counts.meetings += static_cast<std::int64_t>(b.meetings.size());
      return ok_status();
    }));
    report.batches += added;
    report.counts.spans += counts.spans;
    report.counts.commits += counts.commits;
    report.counts.meetings += counts.meetings;
    if (g_after_commit) g_after_commit();
    for (const auto& p : group)
      if (::unlink(p.file.c_str()) != 0 && errno != ENOENT)
        return make_error(Errc::io, "cannot remove an imported batch from the inbox");
    done += group.size();
    group.clear();
    group_records = 0;
    if (progress) progress(done, files.size());
    return ok_status();
  };

  if (progress) progress(0, files.size());
  for (const auto& file : files) {
    auto bytes = fs::read_file(file, kBatchMaxBytes);
    if (!bytes.ok() && bytes.error().code == Errc::not_found) { ++done; continue; }  // another importer took it
    auto batch = bytes.ok() ? open_batch(*bytes, inbox_keys) : Result<Batch>(bytes.error());
    if (!batch.ok()) {
      if (batch.error().code == Errc::io) return batch.error();
      CAIRN_TRY(set_aside(file));
      ++report.rejected;
      ++done;
      continue;
    }
    group_records += batch->spans.size() + batch->commits.size() + batch->meetings.size();
    group.push_back({file, std::move(batch).value()});
    if (group.size() >= 256 || group_records >= 20000) CAIRN_TRY(commit_group());
  }
  CAIRN_TRY(commit_group());
  if (!files.empty()) CAIRN_TRY(fs::sync_dir(paths.inbox()));
  CAIRN_TRY(store.rebuild_dirty_rollups());
  CAIRN_TRY(import_consent_events(store, paths, report.counts));
  // Retention: raw spans older than the consented period go; the day totals built from them stay.
  if (auto consent = consent::load(paths.consent()); consent.ok()) {
    Instant now = static_cast<Instant>(::time(nullptr));
    CAIRN_TRY(store.prune_spans_before(now - static_cast<Instant>(consent->retention_days) * 86400));
  }
  return report;
}

}  // namespace cairn::import
