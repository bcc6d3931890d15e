// aggregator_bench: reports per second a leader ingests from concurrent HTTP clients on loopback,
// each report verified and opened by the leader, forwarded in batches to the helper (its own HTTP
// server, same machine, same two cores) and verified and opened there too, both recorded in
// SQLCipher. In the same run, on one thread: the time libsodium alone needs for the same
// cryptographic work per report (the crypto-bound rate): both aggregators verify the device's
// signature and each opens its own share. The target is at least half of that rate. One
// aggregator's part alone (one check, one open) is printed beside it.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/aggregator/server.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/share/envelope.hpp"
#include "cairn/share/plan.hpp"
#include "../bench_timing.hpp"

using namespace cairn;
using Clock = std::chrono::steady_clock;

namespace {
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
aggregator::Response post(aggregator::Aggregator& a, const std::string& path, const std::string& body) {
  return a.handle({"POST", path, body, "", ""});
}
}  // namespace

int main(int argc, char** argv) {
  const int reports = argc > 1 ? std::atoi(argv[1]) : 3000;
  const int clients = argc > 2 ? std::atoi(argv[2]) : 16;
  const int periods = 12;  // one report per device per period: reports / 12 devices
  if (!crypto::init().ok()) return 1;
  auto dir = std::filesystem::path(CAIRN_BINARY_DIR) / "bench-tmp" / "aggregator_bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  if (!aggregator::Aggregator::init(dir / "leader", {aggregator::Role::leader, "Bench", "", "http://127.0.0.1:1"}, 0).ok()) return 1;
  auto leader = aggregator::Aggregator::open(dir / "leader").value();
  const auto org = leader->info().value().org_key;
  if (!aggregator::Aggregator::init(dir / "helper", {aggregator::Role::helper, "", crypto::to_base64(org), ""}, 0).ok()) return 1;
  auto helper = aggregator::Aggregator::open(dir / "helper").value();

  aggregator::Server hs(*helper), ls(*leader);
  const int hport = hs.bind("127.0.0.1", 0).value();
  const int lport = ls.bind("127.0.0.1", 0).value();
  std::thread ht([&] { (void)hs.run(); }), lt([&] { (void)ls.run(); });
  if (!leader->configure("http://127.0.0.1:" + std::to_string(lport), "http://127.0.0.1:" + std::to_string(hport),
                         crypto::to_base64(helper->info().value().box_key)).ok())
    return 1;

  const int devices_n = (reports + periods - 1) / periods;
  auto tokens = leader->create_tokens("bench", static_cast<std::uint32_t>(devices_n), 0).value();
  std::vector<std::string> hashes;
  for (const auto& t : tokens) hashes.push_back(t.hash);
  (void)helper->allow_tokens("bench", hashes, 0);
  std::vector<crypto::SignKeyPair> devices;
  for (const auto& t : tokens) {
    auto tok = share::parse_token(t.token).value();
    devices.push_back(crypto::sign_keypair());
    auto body = share::encode_enroll(share::make_enroll(tok.secret, "bench", devices.back()));
    if (post(*leader, "/v1/enroll", body).status != 201 || post(*helper, "/v1/enroll", body).status != 201) return 1;
  }
  aggregator::PlanRequest pr;
  pr.id = "bench";
  pr.team = "bench";
  pr.purpose = "benchmark";
  pr.cadence = "month";
  pr.k = 10;
  pr.budget = {1.0, 1e-6, dp::BudgetScope::per_release};
  pr.metrics = {"contributions_by_kind", "focus_hours"};
  auto plan = leader->create_plan(pr, 0).value().plan;
  if (!leader->publish_plan("bench").ok()) return 1;

  // Reports prepared ahead (device work, not timed).
  std::vector<std::string> bodies;
  std::vector<share::Envelope> envs;
  for (int r = 0; r < reports; ++r) {
    const int d = r % devices_n, p = r / devices_n;
    const std::string period = (p + 1 < 10 ? "2026-0" : "2026-") + std::to_string(p + 1);
    share::ReportContext ctx{plan.id, period, share::new_report_id(), devices[d].public_key};
    dp::ChainHead head;
    head.length = static_cast<std::uint64_t>(p + 1);
    std::vector<std::int64_t> y(plan.coordinates(), 250);
    auto e = share::make_envelope(ctx, head, share::split(y), {plan.leader.box_key, plan.helper.box_key}, devices[d]);
    auto b = share::encode(e);
    bodies.emplace_back(b.begin(), b.end());
    envs.push_back(std::move(e));
  }
  // Ledger order per device matters (the chain only grows): send period by period.
  // Each client sends the reports of its own devices in period order (like a device would), so the
  // helper's witness sees every device's ledger chain grow.
  std::atomic<int> ok{0}, failed{0};
  const double c0 = bench::cpu_seconds();
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      httplib::Client cl("127.0.0.1", lport);
      cl.set_keep_alive(true);
      cl.set_tcp_nodelay(true);
      for (int p = 0; p < periods; ++p)
        for (int d = c; d < devices_n; d += clients) {
          const int i = p * devices_n + d;
          if (i >= reports) continue;
          auto res = cl.Post("/v1/reports", bodies[static_cast<std::size_t>(i)], "application/octet-stream");
          if (res && res->status == 201) ++ok;
          else ++failed;
        }
    });
  for (auto& t : threads) t.join();
  const double t_ingest = seconds_since(t0);
  const double cpu_ingest = bench::cpu_seconds() - c0;

  // The same reports, crypto only, on one thread: what both aggregators must do per report
  // (each verifies the device signature, each opens its own share), and one aggregator's half.
  const auto t1 = Clock::now();
  int verified = 0;
  for (const auto& body : bodies) {
    auto e = share::parse_envelope(crypto::as_bytes(body));
    if (e.ok() && share::verify_envelope(*e).ok()) ++verified;
  }
  const double t_verify = seconds_since(t1);
  // Opening needs the aggregators' secret keys; time crypto_box_seal_open of same-size shares under
  // a fresh key pair (identical cost: one X25519 scalar multiplication plus XSalsa20-Poly1305).
  const auto kp = crypto::box_keypair();
  std::vector<crypto::Bytes> sealed_leader, sealed_helper;
  for (const auto& e : envs) {
    sealed_leader.push_back(crypto::seal(kp.public_key, crypto::Bytes(e.leader_sealed.size() - crypto::kSealOverheadBytes, 1)));
    sealed_helper.push_back(crypto::seal(kp.public_key, crypto::Bytes(e.helper_sealed.size() - crypto::kSealOverheadBytes, 1)));
  }
  const auto t2 = Clock::now();
  int opened = 0;
  for (const auto& s : sealed_leader) opened += crypto::seal_open(kp, s).ok();
  const double t_open_leader = seconds_since(t2);
  const auto t2h = Clock::now();
  for (const auto& s : sealed_helper) opened += crypto::seal_open(kp, s).ok();
  const double t_open_helper = seconds_since(t2h);
  const double t_crypto = 2 * t_verify + t_open_leader + t_open_helper;  // both aggregators' share
  const double t_crypto_one = t_verify + t_open_leader;                  // the leader's alone

  // The same ingestion without HTTP: a second leader/helper pair called directly from threads, to
  // separate the transport's cost from the checks, crypto and SQLCipher commits.
  double t_direct = 0;
  int direct_ok = 0;
  {
    auto d2 = dir / "direct";
    if (!aggregator::Aggregator::init(d2 / "leader", {aggregator::Role::leader, "Bench", "", "http://127.0.0.1:1"}, 0).ok()) return 1;
    auto l2 = aggregator::Aggregator::open(d2 / "leader").value();
    if (!aggregator::Aggregator::init(d2 / "helper", {aggregator::Role::helper, "", crypto::to_base64(l2->info()->org_key), ""}, 0).ok())
      return 1;
    auto h2 = aggregator::Aggregator::open(d2 / "helper").value();
    struct Direct final : aggregator::HelperLink {
      aggregator::Aggregator* h;
      aggregator::Response post(const std::string& path, const std::string& body, const std::string& sig) override {
        return h->handle({"POST", path, body, sig, ""});
      }
    };
    auto link = std::make_unique<Direct>();
    link->h = h2.get();
    if (!l2->configure(std::nullopt, std::string("http://127.0.0.1:2"), crypto::to_base64(h2->info()->box_key)).ok()) return 1;
    l2->set_helper_link(std::move(link));
    auto toks = l2->create_tokens("bench", static_cast<std::uint32_t>(devices_n), 0).value();
    std::vector<std::string> hs2;
    for (const auto& t : toks) hs2.push_back(t.hash);
    (void)h2->allow_tokens("bench", hs2, 0);
    for (std::size_t i = 0; i < toks.size(); ++i) {
      auto tok = share::parse_token(toks[i].token).value();
      auto body = share::encode_enroll(share::make_enroll(tok.secret, "bench", devices[i]));
      (void)post(*l2, "/v1/enroll", body);
      (void)post(*h2, "/v1/enroll", body);
    }
    auto pr2 = pr;
    auto plan2 = l2->create_plan(pr2, 0).value().plan;
    if (!l2->publish_plan("bench").ok()) return 1;
    std::vector<std::string> b2;
    for (int r = 0; r < reports; ++r) {
      const int d = r % devices_n, p = r / devices_n;
      const std::string period = (p + 1 < 10 ? "2026-0" : "2026-") + std::to_string(p + 1);
      share::ReportContext ctx{plan2.id, period, share::new_report_id(), devices[d].public_key};
      dp::ChainHead head;
      head.length = static_cast<std::uint64_t>(p + 1);
      std::vector<std::int64_t> y(plan2.coordinates(), 250);
      auto b = share::encode(share::make_envelope(ctx, head, share::split(y), {plan2.leader.box_key, plan2.helper.box_key}, devices[d]));
      b2.emplace_back(b.begin(), b.end());
    }
    std::atomic<int> dok{0};
    const auto t3 = Clock::now();
    std::vector<std::thread> ts;
    for (int c = 0; c < clients; ++c)
      ts.emplace_back([&, c] {
        for (int p = 0; p < periods; ++p)
          for (int d = c; d < devices_n; d += clients) {
            const int i = p * devices_n + d;
            if (i < reports && post(*l2, "/v1/reports", b2[static_cast<std::size_t>(i)]).status == 201) ++dok;
          }
      });
    for (auto& t : ts) t.join();
    t_direct = seconds_since(t3);
    direct_ok = dok.load();
  }

  std::printf("reports: %d from %d concurrent clients over HTTP on loopback (%d accepted, %d refused)\n", reports, clients,
              ok.load(), failed.load());
  std::printf("leader ingest (verify, open, forward to helper which verifies and opens, both store): %.3f s = %.0f reports/s\n",
              t_ingest, ok.load() / t_ingest);
  std::printf("  CPU during ingest (clients, leader and helper in this process): %.3f s = %.0f us per report, %.2f cores busy\n",
              cpu_ingest, 1e6 * cpu_ingest / reports, cpu_ingest / t_ingest);
  std::printf("libsodium alone, one thread, the crypto of both aggregators (2 signature checks + 2 opens per report): "
              "%.3f s = %.0f reports/s (%d verified, %d opened)\n",
              t_crypto, reports / t_crypto, verified, opened);
  std::printf("  of which one aggregator's part (1 check + 1 open): %.3f s = %.0f reports/s\n", t_crypto_one,
              reports / t_crypto_one);
  std::printf("same ingestion without HTTP (threads call leader and helper directly): %.3f s = %.0f reports/s (%d accepted)\n",
              t_direct, direct_ok / t_direct, direct_ok);
  std::printf("ratio ingest / crypto-bound rate: %.2f (target >= 0.5); against one aggregator's crypto alone: %.2f\n",
              (ok.load() / t_ingest) / (reports / t_crypto), (ok.load() / t_ingest) / (reports / t_crypto_one));
  ls.stop();
  hs.stop();
  lt.join();
  ht.join();
  std::filesystem::remove_all(dir);
  return failed.load() == 0 ? 0 : 2;
}
