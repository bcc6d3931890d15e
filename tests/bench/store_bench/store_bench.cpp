// store_bench (issue 2): what encryption costs the store. Inserts the same activity spans, in the
// same batches (one add_spans call = one transaction), into the encrypted store
// (Store::open with a random 32-byte key) and into a plain database made by the same SQLCipher
// library without a key (Store::open_unencrypted_for_benchmark: same schema, same pragmas, 4 KiB
// pages). Encrypted and plain runs alternate (and swap which goes first) so that load from other
// processes on the machine falls on both alike; figures are medians over the repeats.
//
// Usage: store_bench [--spans N] [--batch B] [--repeats R] [--dir DIR] [--titles]
//   --spans   spans per run (default 200000)
//   --batch   spans per add_spans call, i.e. per transaction (default 1000)
//   --repeats encrypted/plain pairs (default 5)
//   --dir     where the databases are made (default $TMPDIR or /tmp); removed afterwards
//   --titles  give every span a window title (the activity-titles consent), else none
//
// Prints one line per run, then the medians and the ratio encrypted/plain (target <= 1.3).
// "insert" times the add_spans calls (SQLite's automatic WAL checkpoints fall inside them) on the
// wall clock, "cpu" this process's CPU time for the same calls (steadier when other programs share
// the cores); "+close" adds closing the database, which checkpoints the rest of the WAL.
// Exit status: 0 when the figures were measured (whatever they are), 1 on an error.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "../bench_timing.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/store/store.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using cairn::records::ActivitySpan;
using cairn::store::Store;

struct Args {
  std::size_t spans = 200000, batch = 1000, repeats = 5;
  std::filesystem::path dir;
  bool titles = false;
};

struct Run {
  double insert_s = 0, total_s = 0;  // wall clock
  double insert_cpu_s = 0;           // this process's CPU time (user + sys) for the inserts
  std::uintmax_t bytes = 0;  // database + WAL after close
};

using cairn::bench::cpu_seconds;
using cairn::bench::median;
using cairn::bench::seconds_since;

// A day's worth of realistic spans, repeated: a few applications, 5 s to 10 min each, an idle
// span now and then, local offset +01:00.
std::vector<ActivitySpan> make_spans(std::size_t n, bool titles) {
  static const char* classes[][2] = {{"code", "development"}, {"Slack", "communication"}, {"firefox", "browsing"},
                                     {"libreoffice-writer", "documents"}, {"zoom", "meetings"},
                                     {"ChatGPT", "ai-assistant"}, {"Nautilus", "other"}};
  std::mt19937_64 rng(42);
  std::vector<ActivitySpan> out;
  out.reserve(n);
  std::int64_t t = 1767225600;  // 2026-01-01T00:00:00Z
  for (std::size_t i = 0; i < n; ++i) {
    ActivitySpan s;
    s.start = t;
    s.end = t + 5 + static_cast<std::int64_t>(rng() % 600);
    s.utc_offset = 3600;
    if (rng() % 10 == 0) {
      s.idle = true;
      s.category = "idle";
    } else {
      const auto& c = classes[rng() % 7];
      s.app_class = c[0];
      s.category = c[1];
      if (titles) s.title = "Window title number " + std::to_string(rng() % 1000) + " - " + c[0];
    }
    out.push_back(std::move(s));
    t = out.back().end;
  }
  return out;
}

std::optional<Run> one_run(bool encrypted, const std::vector<ActivitySpan>& spans, const Args& a,
                           const std::filesystem::path& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto path = dir / "store.db";
  std::optional<Run> run = Run{};
  {
    auto key = cairn::crypto::SecretBytes(32);
    cairn::crypto::random_bytes(key.bytes());
    auto opened = encrypted ? Store::open(path, key, Store::Mode::create) : Store::open_unencrypted_for_benchmark(path);
    if (!opened.ok()) {
      std::fprintf(stderr, "store_bench: %s\n", opened.error().message.c_str());
      return std::nullopt;
    }
    std::optional<Store> store(std::move(*opened));
    const auto t0 = Clock::now();
    const double c0 = cpu_seconds();
    for (std::size_t i = 0; i < spans.size(); i += a.batch) {
      std::size_t n = std::min(a.batch, spans.size() - i);
      auto st = store->add_spans(std::span<const ActivitySpan>(spans.data() + i, n));
      if (!st.ok()) {
        std::fprintf(stderr, "store_bench: %s\n", st.error().message.c_str());
        return std::nullopt;
      }
    }
    run->insert_s = seconds_since(t0);
    run->insert_cpu_s = cpu_seconds() - c0;
    store.reset();  // sqlite3_close checkpoints what is left of the WAL into the file
    run->total_s = seconds_since(t0);
  }
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.is_regular_file()) run->bytes += e.file_size();
  std::filesystem::remove_all(dir);
  return run;
}

bool parse_size(const char* text, std::size_t& out) {
  char* end = nullptr;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (!text[0] || *end || v == 0 || v > 100000000ULL) return false;
  out = static_cast<std::size_t>(v);
  return true;
}

int usage(const char* why) {
  std::fprintf(stderr, "store_bench: %s\nusage: store_bench [--spans N] [--batch B] [--repeats R] [--dir DIR] [--titles]\n",
               why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string f = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (f == "--titles") { a.titles = true; continue; }
    if (!v) return usage(("missing value after " + f).c_str());
    ++i;
    if (f == "--spans") { if (!parse_size(v, a.spans)) return usage("--spans wants a positive count"); }
    else if (f == "--batch") { if (!parse_size(v, a.batch)) return usage("--batch wants a positive count"); }
    else if (f == "--repeats") { if (!parse_size(v, a.repeats)) return usage("--repeats wants a positive count"); }
    else if (f == "--dir") a.dir = v;
    else return usage(("unknown option " + f).c_str());
  }
  if (auto st = cairn::crypto::init(); !st.ok()) {
    std::fprintf(stderr, "store_bench: %s\n", st.error().message.c_str());
    return 1;
  }
  if (a.dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    a.dir = tmp && *tmp ? tmp : "/tmp";
  }
  const auto work = a.dir / ("cairn-store-bench-" + std::to_string(::getpid()));

  const auto spans = make_spans(a.spans, a.titles);
  std::printf("store_bench: %zu spans, %zu per transaction, %zu encrypted/plain pairs, in %s%s\n", a.spans, a.batch,
              a.repeats, a.dir.c_str(), a.titles ? ", with titles" : "");
  std::vector<double> enc_ins, plain_ins, enc_tot, plain_tot, pair_ratio, enc_cpu, plain_cpu;
  for (std::size_t r = 0; r < a.repeats; ++r) {
    Run enc{}, plain{};
    bool encrypted_first = r % 2 == 0;  // alternate the order so neither always runs on a warm cache
    for (int k = 0; k < 2; ++k) {
      bool encrypted = (k == 0) == encrypted_first;
      auto run = one_run(encrypted, spans, a, work);
      if (!run) return 1;
      (encrypted ? enc : plain) = *run;
      std::printf("  repeat %zu %-9s insert %7.3f s (%9.0f spans/s) cpu %7.3f s  +close %7.3f s  file %6.1f MiB\n",
                  r + 1, encrypted ? "encrypted" : "plain", run->insert_s, a.spans / run->insert_s, run->insert_cpu_s,
                  run->total_s, run->bytes / 1048576.0);
      std::fflush(stdout);
    }
    enc_ins.push_back(enc.insert_s);
    plain_ins.push_back(plain.insert_s);
    enc_tot.push_back(enc.total_s);
    plain_tot.push_back(plain.total_s);
    pair_ratio.push_back(enc.insert_s / plain.insert_s);
    enc_cpu.push_back(enc.insert_cpu_s);
    plain_cpu.push_back(plain.insert_cpu_s);
  }
  const double me = median(enc_ins), mp = median(plain_ins);
  const double ce = median(enc_cpu), cp = median(plain_cpu);
  std::printf("median encrypted: %9.0f spans/s (insert %.3f s, cpu %.3f s, +close %.3f s)\n", a.spans / me, me, ce,
              median(enc_tot));
  std::printf("median plain:     %9.0f spans/s (insert %.3f s, cpu %.3f s, +close %.3f s)\n", a.spans / mp, mp, cp,
              median(plain_tot));
  std::printf("ratio encrypted/plain cost: wall %.2fx (median of pairs %.2fx, %.2fx with close), cpu %.2fx;"
              " target <= 1.30x\n",
              me / mp, median(pair_ratio), median(enc_tot) / median(plain_tot), ce / cp);
  return 0;
}
