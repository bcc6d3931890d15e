// aggregator_bench: reports per second a leader ingests from concurrent HTTP clients on loopback,
// each report verified and opened by the leader, forwarded in batches to the helper (its own HTTP
// server, same machine, same two cores) and verified and opened there too, both recorded in
// SQLCipher. In the same run, on one thread: the time the cryptography alone needs per report (the
// crypto-bound rate): both aggregators verify the device's signature, each opens its own share and
// runs its Prio3 preparation (prep_init, the proof check, prep_next). The target is at least half
// of that rate. One aggregator's part alone is printed beside it, with the device's shard time and
// the bytes of a report. Reports v2: two periods (the previous month in its grace, the current
// one) on a fixed aggregator clock, so the report window admits them.
//
// The machine is shared and its speed drifts, so the run has several rounds, each a fresh pair of
// aggregators ingesting fresh reports followed at once by the crypto-only timing of the same
// reports; the ratio is taken within each round and the median reported.
//
// Usage: aggregator_bench [reports per round = 3000] [clients = 16] [rounds = 3]
#include <httplib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "../bench_timing.hpp"
#include "cairn/aggregator/aggregator.hpp"
#include "cairn/aggregator/server.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/wire/prio3_plan.hpp"

using namespace cairn;
using bench::Clock;
using bench::seconds_since;

namespace {

constexpr int kPeriods = 2;  // one report per device per period: 2026-01 (in its grace) and 2026-02
constexpr std::int64_t kNow = 1770033600;  // 2026-02-02 12:00 UTC, the aggregators' clock

aggregator::Response post(aggregator::Aggregator& a, const std::string& path, const std::string& body) {
  return a.handle({"POST", path, body, "", ""});
}

// A leader and a helper with `devices` enrolled and one published plan; reports prepared ahead
// (device work, not timed), in the order devices send them: period by period.
struct Pair {
  std::unique_ptr<aggregator::Aggregator> leader, helper;
  wire::Plan plan;
  std::vector<crypto::SignKeyPair> devices;
  std::vector<std::string> bodies;
  std::vector<wire::Envelope> envelopes;
  std::vector<wire::Prio3Shares> shares;  // unsealed, for the crypto-only timing
  double shard_seconds = 0;
};

std::unique_ptr<Pair> make_pair(const std::filesystem::path& dir, int reports, const std::string& leader_url,
                                const std::string& helper_url, const std::vector<crypto::SignKeyPair>* reuse) {
  auto p = std::make_unique<Pair>();
  if (!aggregator::Aggregator::init(dir / "leader", {aggregator::Role::leader, "Bench", "", "http://127.0.0.1:1"}, 0).ok())
    return nullptr;
  p->leader = aggregator::Aggregator::open(dir / "leader").value();
  const auto org = p->leader->info().value().org_key;
  if (!aggregator::Aggregator::init(dir / "helper", {aggregator::Role::helper, "", crypto::to_base64(org), ""}, 0).ok())
    return nullptr;
  p->helper = aggregator::Aggregator::open(dir / "helper").value();
  p->leader->set_clock([] { return kNow; });
  p->helper->set_clock([] { return kNow; });
  if (!p->leader->configure(leader_url, helper_url, crypto::to_base64(p->helper->info().value().box_key)).ok()) return nullptr;
  const int devices_n = (reports + kPeriods - 1) / kPeriods;
  auto tokens = p->leader->create_tokens("bench", static_cast<std::uint32_t>(devices_n), 0).value();
  std::vector<std::string> hashes;
  for (const auto& t : tokens) hashes.push_back(t.hash);
  (void)p->helper->allow_tokens("bench", hashes, 0);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    auto tok = wire::parse_token(tokens[i].token).value();
    p->devices.push_back(reuse ? crypto::SignKeyPair{(*reuse)[i].public_key, crypto::SecretBytes::from((*reuse)[i].secret_key.bytes())}
                               : crypto::sign_keypair());
    auto body = wire::encode_enroll(wire::make_enroll(tok.secret, "bench", p->devices.back()));
    if (post(*p->leader, "/v1/enroll", body).status != 201 || post(*p->helper, "/v1/enroll", body).status != 201) return nullptr;
  }
  aggregator::PlanRequest pr;
  pr.id = "bench";
  pr.team = "bench";
  pr.purpose = "benchmark";
  pr.cadence = "month";
  pr.k = 10;
  pr.budget = {1.0, 1e-6, dp::BudgetScope::per_release};
  pr.metrics = {"contributions_by_kind", "focus_hours"};
  p->plan = p->leader->create_plan(pr, 0).value().plan;
  return p;
}

bool publish(Pair& p) { return p.leader->publish_plan("bench").ok(); }

void prepare_reports(Pair& p, int reports) {
  const int devices_n = static_cast<int>(p.devices.size());
  const auto scheme = wire::prio3_for(p.plan).value();
  for (int r = 0; r < reports; ++r) {
    const int d = r % devices_n, period = r / devices_n;
    const std::string label = (period + 1 < 10 ? "2026-0" : "2026-") + std::to_string(period + 1);
    wire::ReportContext ctx{p.plan.id, label, wire::new_report_id(), p.devices[static_cast<std::size_t>(d)].public_key};
    dp::ChainHead head;
    head.length = static_cast<std::uint64_t>(period + 1);
    std::vector<std::int64_t> y(p.plan.coordinates(), 250);
    const auto t0 = Clock::now();
    auto shares = wire::shard(scheme, ctx, wire::encode_measurement(scheme, y)).value();
    p.shard_seconds += seconds_since(t0);
    auto e = wire::make_envelope(ctx, head, shares, {p.plan.leader.box_key, p.plan.helper.box_key},
                                  p.devices[static_cast<std::size_t>(d)]);
    p.shares.push_back(std::move(shares));
    auto b = wire::encode(e);
    p.bodies.emplace_back(b.begin(), b.end());
    p.envelopes.push_back(std::move(e));
  }
}

// Each client sends the reports of its own devices in period order (like a device would), so the
// witnesses see every device's ledger chain grow. send(i) returns true when report i was accepted.
template <class Send>
int drive(int reports, int devices_n, int clients, Send&& send_factory) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      auto send = send_factory();
      for (int period = 0; period < kPeriods; ++period)
        for (int d = c; d < devices_n; d += clients) {
          const int i = period * devices_n + d;
          if (i < reports && send(i)) ++ok;
        }
    });
  for (auto& t : threads) t.join();
  return ok.load();
}

// libsodium alone on one thread: verify every signature and open same-size shares under a fresh
// key pair (identical cost to opening the real ones: one X25519 scalar multiplication plus
// XSalsa20-Poly1305), and run both aggregators' Prio3 preparation. Returns {both aggregators'
// work, the leader's work, the leader's preparation, the helper's preparation} in seconds.
std::array<double, 4> crypto_only(const Pair& p) {
  const auto t1 = Clock::now();
  int verified = 0;
  for (const auto& body : p.bodies) {
    auto e = wire::parse_envelope(crypto::as_bytes(body));
    if (e.ok() && wire::verify_envelope(*e).ok()) ++verified;
  }
  const double t_verify = seconds_since(t1);
  const auto kp = crypto::box_keypair();
  std::vector<crypto::Bytes> sealed_leader, sealed_helper;
  for (const auto& e : p.envelopes) {
    sealed_leader.push_back(crypto::seal(kp.public_key, crypto::Bytes(e.leader_sealed.size() - crypto::kSealOverheadBytes, 1)));
    sealed_helper.push_back(crypto::seal(kp.public_key, crypto::Bytes(e.helper_sealed.size() - crypto::kSealOverheadBytes, 1)));
  }
  int opened = 0;
  const auto t2 = Clock::now();
  for (const auto& s : sealed_leader) opened += crypto::seal_open(kp, s).ok();
  const double t_open_leader = seconds_since(t2);
  const auto t3 = Clock::now();
  for (const auto& s : sealed_helper) opened += crypto::seal_open(kp, s).ok();
  const double t_open_helper = seconds_since(t3);
  if (verified != static_cast<int>(p.bodies.size()) || opened != 2 * static_cast<int>(p.bodies.size())) return {-1, -1, -1, -1};
  // Prio3 preparation of both aggregators: prep_init each, the proof check, prep_next each.
  const auto scheme = wire::prio3_for(p.plan).value();
  crypto::Bytes vk(32);
  crypto::random_bytes(vk);
  double t_prep[2] = {0, 0};
  int valid = 0;
  for (std::size_t i = 0; i < p.envelopes.size(); ++i) {
    const auto& e = p.envelopes[i];
    const auto ctx = wire::prio3_context(e.ctx.plan_id, e.ctx.period);
    auto t = Clock::now();
    auto a = scheme.vdaf.prep_init(vk, ctx, 0, e.ctx.report_id, e.public_share, p.shares[i].leader_input);
    t_prep[0] += seconds_since(t);
    t = Clock::now();
    auto b = scheme.vdaf.prep_init(vk, ctx, 1, e.ctx.report_id, e.public_share, p.shares[i].helper_input);
    if (!a.ok() || !b.ok()) continue;
    const std::vector<crypto::Bytes> ps{a->prep_share, b->prep_share};
    auto msg = scheme.vdaf.prep_shares_to_prep(ctx, ps);
    if (!msg.ok()) continue;
    auto ob = scheme.vdaf.prep_next(ctx, b->state, *msg);
    t_prep[1] += seconds_since(t);
    t = Clock::now();
    auto oa = scheme.vdaf.prep_next(ctx, a->state, *msg);
    t_prep[0] += seconds_since(t);
    valid += oa.ok() && ob.ok();
  }
  if (valid != static_cast<int>(p.envelopes.size())) return {-1, -1, -1, -1};
  return {2 * t_verify + t_open_leader + t_open_helper + t_prep[0] + t_prep[1], t_verify + t_open_leader + t_prep[0], t_prep[0],
          t_prep[1]};
}

}  // namespace

int main(int argc, char** argv) {
  const int reports = argc > 1 ? std::atoi(argv[1]) : 3000;
  const int clients = argc > 2 ? std::atoi(argv[2]) : 16;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  if (reports < kPeriods || clients < 1 || rounds < 1) return 2;
  if (!crypto::init().ok()) return 1;
  const auto root = std::filesystem::path(CAIRN_BINARY_DIR) / "bench-tmp" / "aggregator_bench";
  std::filesystem::remove_all(root);
  std::printf("%d reports per round from %d concurrent keep-alive clients over HTTP on loopback; leader and helper in this "
              "process, on SQLCipher\n", reports, clients);
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) == 3) std::printf("load average at start: %.2f %.2f %.2f\n", load[0], load[1], load[2]);

  std::vector<double> ratios, ratios_one, rates;
  int refused = 0;
  std::vector<crypto::SignKeyPair> keys;  // devices keep their keys across rounds
  for (int round = 0; round < rounds; ++round) {
    const auto dir = root / ("round-" + std::to_string(round));
    std::filesystem::create_directories(dir);
    // Placeholder URLs: configured again below once the servers have their ports.
    auto p = make_pair(dir, reports, "http://127.0.0.1:1", "http://127.0.0.1:2", round ? &keys : nullptr);
    if (!p) return 1;
    if (!round)
      for (const auto& k : p->devices) keys.push_back({k.public_key, crypto::SecretBytes::from(k.secret_key.bytes())});
    aggregator::Server hs(*p->helper), ls(*p->leader);
    const int hport = hs.bind("127.0.0.1", 0).value();
    const int lport = ls.bind("127.0.0.1", 0).value();
    std::thread ht([&] { (void)hs.run(); }), lt([&] { (void)ls.run(); });
    if (!p->leader->configure("http://127.0.0.1:" + std::to_string(lport), "http://127.0.0.1:" + std::to_string(hport), std::nullopt).ok() ||
        !publish(*p))
      return 1;
    prepare_reports(*p, reports);

    const double c0 = bench::cpu_seconds();
    const auto t0 = Clock::now();
    const int ok = drive(reports, static_cast<int>(p->devices.size()), clients, [&] {
      auto cl = std::make_shared<httplib::Client>("127.0.0.1", lport);
      cl->set_keep_alive(true);
      cl->set_tcp_nodelay(true);
      return [&p, cl](int i) {
        auto res = cl->Post("/v1/reports", p->bodies[static_cast<std::size_t>(i)], "application/octet-stream");
        return res && res->status == 201;
      };
    });
    const double t_ingest = seconds_since(t0), cpu = bench::cpu_seconds() - c0;
    refused += reports - ok;
    ls.stop();
    hs.stop();
    lt.join();
    ht.join();
    const auto [t_crypto, t_one, t_prep_leader, t_prep_helper] = crypto_only(*p);
    if (t_crypto <= 0) return 1;
    std::printf("round %d: device shard %.0f us per report; Prio3 preparation %.0f us per report at the leader, %.0f us at the "
                "helper (with the proof check); %zu bytes per report envelope\n",
                round + 1, 1e6 * p->shard_seconds / reports, 1e6 * t_prep_leader / reports, 1e6 * t_prep_helper / reports,
                p->bodies[0].size());
    const double rate = ok / t_ingest;
    rates.push_back(rate);
    ratios.push_back(rate / (reports / t_crypto));
    ratios_one.push_back(rate / (reports / t_one));
    std::printf("round %d: ingest %.3f s = %.0f reports/s (%d refused); CPU %.0f us per report, %.2f cores busy; "
                "crypto alone %.0f reports/s (one aggregator's part %.0f/s); ratio %.2f\n",
                round + 1, t_ingest, rate, reports - ok, 1e6 * cpu / reports, cpu / t_ingest, reports / t_crypto,
                reports / t_one, ratios.back());
  }

  // The same ingestion without HTTP, once: threads call the leader, whose link calls the helper
  // directly, to separate the transport's cost from the checks, crypto and SQLCipher commits.
  double direct_rate = 0;
  {
    auto p = make_pair(root / "direct", reports, "http://127.0.0.1:1", "http://127.0.0.1:2", &keys);
    if (!p) return 1;
    struct Direct final : aggregator::HelperLink {
      aggregator::Aggregator* h;
      aggregator::Response post(const std::string& path, const std::string& body, const std::string& sig) override {
        return h->handle({"POST", path, body, sig, ""});
      }
    };
    auto link = std::make_unique<Direct>();
    link->h = p->helper.get();
    p->leader->set_helper_link(std::move(link));
    if (!publish(*p)) return 1;
    prepare_reports(*p, reports);
    const auto t0 = Clock::now();
    const int ok = drive(reports, static_cast<int>(p->devices.size()), clients, [&] {
      return [&p](int i) { return post(*p->leader, "/v1/reports", p->bodies[static_cast<std::size_t>(i)]).status == 201; };
    });
    direct_rate = ok / seconds_since(t0);
    refused += reports - ok;
  }

  std::printf("leader ingest over HTTP (verify, open, forward in batches to the helper which verifies and opens, both "
              "store): median %.0f reports/s over %d rounds\n", bench::median(rates), rounds);
  std::printf("same ingestion without HTTP (threads call the leader, whose link calls the helper): %.0f reports/s\n", direct_rate);
  if (getloadavg(load, 3) == 3) std::printf("load average at the end: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  std::printf("ratio ingest / crypto-bound rate (2 signature checks + 2 opens + both Prio3 preparations per report, one "
              "thread): median %.2f, "
              "range %.2f-%.2f (target >= 0.5); against one aggregator's crypto alone: median %.2f\n",
              bench::median(ratios), *std::min_element(ratios.begin(), ratios.end()),
              *std::max_element(ratios.begin(), ratios.end()), bench::median(ratios_one));
  std::filesystem::remove_all(root);
  return refused == 0 ? 0 : 2;
}
