// import_bench (issue 3): how fast an unlock empties the inbox. Builds an inbox of real sealed
// batch files (inbox::write_batch to the vault's inbox public key) holding --spans activity spans
// spread over working days (09:00-17:00 local, +01:00, 5 s to 60 s each, so 100,000 spans are about
// a hundred working days), with a commit every ~200 spans and a meeting every ~500, then times
// import::import_inbox into a fresh encrypted store. Vault creation/unlock and opening the store
// are NOT timed (an unlock pays them once whatever the inbox holds).
//
// Each batch size in --per-batch is measured: 1000 spans per file (a long-offline daemon) and 20
// (one-minute batches as the daemon writes them during normal activity: 5,000 files). The sealed
// files are written once per size into a template folder and hard-linked into the inbox for each
// repeat (import removes what it imported), so every repeat imports the same bytes.
//
// Afterwards the rollup rebuild import_inbox ends with is timed again alone on the filled store
// (Store::rebuild_rollups over the same days, CPU time), to show how the time splits; and a what-if
// run imports the same files with ~1000 spans' worth of batches per transaction (see below).
//
// Usage: import_bench [--spans N] [--per-batch 1000,20] [--repeats R] [--dir DIR]
// Prints one line per repeat and the median spans/s per batch size, on the wall clock (what a person
// waits) and per CPU-second of this process (steadier on a shared machine); target >= 100,000/s.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cairn/base/files.hpp"
#include "cairn/base/paths.hpp"
#include "../bench_timing.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/inbox/batch.hpp"
#include "cairn/import/import.hpp"
#include "cairn/store/store.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace fsys = std::filesystem;
using namespace cairn;

struct Args {
  std::size_t spans = 100000, repeats = 3;
  std::vector<std::size_t> per_batch = {1000, 20};
  fsys::path dir;
};

using cairn::bench::cpu_seconds;
using cairn::bench::median;
using cairn::bench::seconds_since;

constexpr std::int32_t kOffset = 3600;
constexpr std::int64_t kFirstDay = 1767225600 + 4 * 86400;  // Mon 2026-01-05T00:00:00Z

// The collected records in time order, cut later into batches of any size.
struct Records {
  std::vector<records::ActivitySpan> spans;
  std::vector<records::CommitRecord> commits;    // commits[i] belongs after spans[commit_at[i]]
  std::vector<std::size_t> commit_at;
  std::vector<records::MeetingRecord> meetings;
  std::vector<std::size_t> meeting_at;
  std::int64_t first_day = 0, last_day = 0;  // local day numbers touched
};

Records make_records(std::size_t n) {
  static const char* classes[][2] = {{"code", "development"}, {"Slack", "communication"}, {"firefox", "browsing"},
                                     {"libreoffice-writer", "documents"}, {"zoom", "meetings"},
                                     {"ChatGPT", "ai-assistant"}, {"Nautilus", "other"}};
  std::mt19937_64 rng(7);
  Records r;
  r.spans.reserve(n);
  std::int64_t day = 0;  // working days since kFirstDay (weekends skipped)
  auto day_start = [&](std::int64_t d) {
    std::int64_t week = d / 5, wd = d % 5;
    return kFirstDay + (week * 7 + wd) * 86400 + 9 * 3600 - kOffset;  // 09:00 local
  };
  std::int64_t t = day_start(0);
  for (std::size_t i = 0; i < n; ++i) {
    if (t >= day_start(day) + 8 * 3600) t = day_start(++day);
    records::ActivitySpan s;
    s.start = t;
    s.end = t + 5 + static_cast<std::int64_t>(rng() % 56);
    s.utc_offset = kOffset;
    if (rng() % 12 == 0) {
      s.idle = true;
      s.category = "idle";
    } else {
      const auto& c = classes[rng() % 7];
      s.app_class = c[0];
      s.category = c[1];
    }
    t = s.end;
    r.spans.push_back(std::move(s));
    if (rng() % 200 == 0) {
      records::CommitRecord c;
      c.repo = "cairn";
      c.id = std::to_string(i) + "c0ffee";
      c.time = t;
      c.utc_offset = kOffset;
      c.lines_added = static_cast<std::int32_t>(rng() % 200);
      c.lines_removed = static_cast<std::int32_t>(rng() % 80);
      c.files_changed = 1 + static_cast<std::int32_t>(rng() % 6);
      c.ai_assisted = rng() % 4 == 0;
      if (c.ai_assisted) c.ai_tool = "Claude";
      r.commits.push_back(std::move(c));
      r.commit_at.push_back(i);
    }
    if (rng() % 500 == 0) {
      records::MeetingRecord m;
      m.uid = "meeting-" + std::to_string(i);
      m.start = t;
      m.end = t + 1800;
      m.utc_offset = kOffset;
      m.attendees = 2 + static_cast<std::int32_t>(rng() % 8);
      m.one_on_one = m.attendees == 2;
      m.recurring = rng() % 2 == 0;
      r.meetings.push_back(std::move(m));
      r.meeting_at.push_back(i);
    }
  }
  r.first_day = (r.spans.front().start + kOffset) / 86400;
  r.last_day = (r.spans.back().end + kOffset) / 86400;
  return r;
}

// Writes the records as sealed batches of per_batch spans into dir; returns the file count.
Result<std::size_t> write_inbox(const Records& r, std::size_t per_batch, const fsys::path& dir,
                                const crypto::BoxPublicKey& key) {
  std::size_t files = 0, ci = 0, mi = 0;
  for (std::size_t i = 0; i < r.spans.size(); i += per_batch) {
    inbox::Batch b;
    b.id = inbox::new_batch_id();
    std::size_t end = std::min(r.spans.size(), i + per_batch);
    b.spans.assign(r.spans.begin() + static_cast<std::ptrdiff_t>(i), r.spans.begin() + static_cast<std::ptrdiff_t>(end));
    for (; ci < r.commits.size() && r.commit_at[ci] < end; ++ci) b.commits.push_back(r.commits[ci]);
    for (; mi < r.meetings.size() && r.meeting_at[mi] < end; ++mi) b.meetings.push_back(r.meetings[mi]);
    b.created = b.spans.back().end;
    CAIRN_TRY(inbox::write_batch(dir, b, key));
    ++files;
  }
  return files;
}

bool parse_size(const std::string& text, std::size_t& out) {
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end || v == 0 || v > 100000000ULL) return false;
  out = static_cast<std::size_t>(v);
  return true;
}

int usage(const std::string& why) {
  std::fprintf(stderr, "import_bench: %s\nusage: import_bench [--spans N] [--per-batch 1000,20] [--repeats R] [--dir DIR]\n",
               why.c_str());
  return 2;
}

int fail(const Error& e) {
  std::fprintf(stderr, "import_bench: %s\n", e.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string f = argv[i];
    if (i + 1 >= argc) return usage("missing value after " + f);
    std::string v = argv[++i];
    if (f == "--spans") {
      if (!parse_size(v, a.spans)) return usage("--spans wants a positive count");
    } else if (f == "--repeats") {
      if (!parse_size(v, a.repeats)) return usage("--repeats wants a positive count");
    } else if (f == "--per-batch") {
      a.per_batch.clear();
      std::size_t start = 0;
      while (start <= v.size()) {
        std::size_t comma = std::min(v.find(',', start), v.size());
        std::size_t n = 0;
        if (!parse_size(v.substr(start, comma - start), n)) return usage("--per-batch wants counts like 1000,20");
        a.per_batch.push_back(n);
        start = comma + 1;
      }
    } else if (f == "--dir") {
      a.dir = v;
    } else {
      return usage("unknown option " + f);
    }
  }
  if (auto st = crypto::init(); !st.ok()) return fail(st.error());
  if (a.dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    a.dir = tmp && *tmp ? tmp : "/tmp";
  }
  const fsys::path work = a.dir / ("cairn-import-bench-" + std::to_string(::getpid()));
  fsys::remove_all(work);
  fsys::create_directories(work);

  // One vault for the whole run (its unlock is not what is measured).
  auto created = crypto::vault_create(work / "vault", crypto::SecretBytes::from(std::string_view("bench passphrase")),
                                      crypto::PwhashParams::minimum(), 1767225600);
  if (!created.ok()) return fail(created.error());
  const auto& keys = created->keys;
  const auto inbox_public = keys.inbox_keys().public_key;

  const Records records = make_records(a.spans);
  std::printf("import_bench: %zu spans, %zu commits, %zu meetings over %lld local days, %zu repeats, in %s\n",
              records.spans.size(), records.commits.size(), records.meetings.size(),
              static_cast<long long>(records.last_day - records.first_day + 1), a.repeats, a.dir.c_str());

  std::vector<std::string> summary;
  for (std::size_t per_batch : a.per_batch) {
    const fsys::path tmpl = work / ("template-" + std::to_string(per_batch));
    fsys::create_directories(tmpl);
    auto t_write = Clock::now();
    auto files = write_inbox(records, per_batch, tmpl, inbox_public);
    if (!files.ok()) return fail(files.error());
    std::printf("  %zu spans per batch: wrote %zu sealed files in %.1f s (write_batch, fsync each)\n", per_batch, *files,
                seconds_since(t_write));
    std::fflush(stdout);

    std::vector<double> rates, cpu_rates, rollup_times;
    for (std::size_t r = 0; r < a.repeats; ++r) {
      Paths paths{work / "home", work / "home" / "config"};
      fsys::remove_all(paths.data);
      fsys::create_directories(paths.inbox());
      for (const auto& e : fsys::directory_iterator(tmpl)) fsys::create_hard_link(e.path(), paths.inbox() / e.path().filename());

      auto opened = store::Store::open(paths.store(), keys.store_key(), store::Store::Mode::create);
      if (!opened.ok()) return fail(opened.error());
      auto& st = *opened;

      const auto t0 = Clock::now();
      const double c0 = cpu_seconds();
      auto report = import::import_inbox(st, paths, keys, nullptr);
      const double s = seconds_since(t0), cpu = cpu_seconds() - c0;
      if (!report.ok()) return fail(report.error());
      if (report->rejected != 0 || static_cast<std::size_t>(report->counts.spans) != records.spans.size() ||
          report->batches != *files) {
        std::fprintf(stderr, "import_bench: imported %zu batches (%zu rejected), %lld spans; expected %zu and %zu\n",
                     report->batches, report->rejected, static_cast<long long>(report->counts.spans), *files,
                     records.spans.size());
        return 1;
      }
      // The rollup rebuild that import_inbox ended with, once more alone, to show its share.
      const double c1 = cpu_seconds();
      if (auto rb = st.rebuild_rollups(records.first_day, records.last_day); !rb.ok()) return fail(rb.error());
      const double rollup_s = cpu_seconds() - c1;

      const double rate = static_cast<double>(report->counts.spans) / s;
      rates.push_back(rate);
      cpu_rates.push_back(static_cast<double>(report->counts.spans) / cpu);
      rollup_times.push_back(rollup_s);
      std::printf("    repeat %zu: %zu batches, %lld spans, %lld commits, %lld meetings in %.3f s = %.0f spans/s"
                  " (cpu %.3f s; rollup rebuild alone cpu %.3f s)\n",
                  r + 1, report->batches, static_cast<long long>(report->counts.spans),
                  static_cast<long long>(report->counts.commits), static_cast<long long>(report->counts.meetings), s,
                  rate, cpu, rollup_s);
      std::fflush(stdout);
    }
    // What-if for the store owner: the same sealed files opened the same way, but ~1000 spans'
    // worth of batches per transaction (one import_batch call with their records merged), then the
    // same rollup rebuild. Not exactly-once as written (one id per group): it only measures what
    // grouping transactions would save.
    std::vector<double> grouped_cpu_rates;
    for (std::size_t r = 0; r < a.repeats; ++r) {
      const fsys::path gdir = work / "grouped";
      fsys::remove_all(gdir);
      auto opened = store::Store::open(gdir / "store.db", keys.store_key(), store::Store::Mode::create);
      if (!opened.ok()) return fail(opened.error());
      auto& st = *opened;
      const auto inbox_keys = keys.inbox_keys();
      const std::size_t group = std::max<std::size_t>(1, 1000 / per_batch);
      const double c0 = cpu_seconds();
      auto batch_files = inbox::pending_batches(tmpl);
      for (std::size_t i = 0; i < batch_files.size(); i += group) {
        inbox::Batch merged;
        for (std::size_t j = i; j < std::min(batch_files.size(), i + group); ++j) {
          auto bytes = fs::read_file(batch_files[j], inbox::kBatchMaxBytes);
          if (!bytes.ok()) return fail(bytes.error());
          auto b = inbox::open_batch(*bytes, inbox_keys);
          if (!b.ok()) return fail(b.error());
          if (merged.id.empty()) merged.id = b->id;
          merged.spans.insert(merged.spans.end(), b->spans.begin(), b->spans.end());
          merged.commits.insert(merged.commits.end(), b->commits.begin(), b->commits.end());
          merged.meetings.insert(merged.meetings.end(), b->meetings.begin(), b->meetings.end());
        }
        auto imp = st.import_batch(merged.id, [&](store::Store& s2) -> Status {
          CAIRN_TRY(s2.add_spans(merged.spans));
          CAIRN_TRY(s2.add_commits(merged.commits));
          return s2.add_meetings(merged.meetings);
        });
        if (!imp.ok()) return fail(imp.error());
      }
      if (auto rb = st.rebuild_dirty_rollups(); !rb.ok()) return fail(rb.error());
      const double cpu = cpu_seconds() - c0;
      grouped_cpu_rates.push_back(static_cast<double>(records.spans.size()) / cpu);
      std::printf("    what-if %zu files per transaction: cpu %.3f s = %.0f spans per CPU-second\n", group, cpu,
                  static_cast<double>(records.spans.size()) / cpu);
      std::fflush(stdout);
    }
    fsys::remove_all(work / "grouped");
    char line[320];
    std::snprintf(line, sizeof line,
                  "median %5zu spans per batch (%5zu files): %9.0f spans/s wall, %9.0f per CPU-second (rollup rebuild"
                  " cpu %.3f s); target >= 100000; what-if grouped transactions %.0f per CPU-second",
                  per_batch, *files, median(rates), median(cpu_rates), median(rollup_times), median(grouped_cpu_rates));
    summary.push_back(line);
    fsys::remove_all(tmpl);
  }
  for (const auto& l : summary) std::printf("%s\n", l.c_str());
  fsys::remove_all(work);
  return 0;
}
