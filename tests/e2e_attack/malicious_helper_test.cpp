// Attack (a) of issue 15 with the roles swapped: the REAL leader (`cairn-aggregator serve`, HTTPS
// on loopback, driven by the organisation through the real CLI) against a helper played by this
// test: an HTTPS server of its own speaking the helper's endpoints (plan registration, forwarded
// batches with the link MAC and the Prio3 preparation, close, aggregate). It holds its box key,
// every verify key and output share it was given, adds NO noise to its aggregate share, and
// colludes with k - 1 enrolled devices whose values it knows.
//
// Over 200 releases (200 plans for the current month, as in the leader case), its estimate of the
// target's values is the published sum minus its devices' values: the error must have at least
// the variance of the leader's layer, sigma^2.
#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <thread>

#include "aggregators.hpp"
#include "attack_support.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::attack;
using Json = nlohmann::json;

namespace {

// The cheating helper: follows the protocol where it must for the leader to go on (it prepares
// every report honestly so that valid reports are accepted), then answers its aggregate share
// without its noise layer.
class CheatingHelper {
 public:
  CheatingHelper(const test::TlsCert& tls) : server_(tls.cert.c_str(), tls.key.c_str()) {
    server_.Post("/v1/helper/plans", [this](const httplib::Request& q, httplib::Response& r) { reply(r, plans(q.body)); });
    server_.Post("/v1/helper/reports", [this](const httplib::Request& q, httplib::Response& r) { reply(r, reports(q.body)); });
    server_.Post("/v1/helper/close", [this](const httplib::Request& q, httplib::Response& r) { reply(r, close(q.body)); });
    server_.Post("/v1/helper/aggregate", [this](const httplib::Request& q, httplib::Response& r) { reply(r, aggregate(q.body)); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~CheatingHelper() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  const crypto::BoxKeyPair& box() const { return box_; }
  std::size_t plans_registered() {
    std::lock_guard lock(mu_);
    return plans_.size();
  }
  const wire::Plan& plan(const std::string& id) {
    std::lock_guard lock(mu_);
    return plans_.at(id).plan;
  }

 private:
  struct Answer {
    int status;
    Json body;
  };
  static void reply(httplib::Response& r, const Answer& a) {
    r.status = a.status;
    r.set_content(a.body.dump(), "application/json");
  }
  static Answer error(int status, const std::string& why) { return {status, Json{{"error", why}}}; }

  struct PlanState {
    wire::Plan plan;
    crypto::Bytes verify_key;
    std::optional<wire::Prio3Scheme> scheme;
    std::map<std::string, crypto::Bytes> outs;  // hex report id -> its output share
  };

  Answer plans(const std::string& body) {
    auto j = Json::parse(body, nullptr, false);
    if (!j.is_object()) return error(400, "malformed");
    auto sp = wire::parse_signed_plan(j["plan"].get<std::string>());
    if (!sp.ok()) return error(400, sp.error().message);
    auto vk = crypto::seal_open(box_, crypto::from_base64(j["verify_key"].get<std::string>()).value());
    if (!vk.ok()) return error(400, "verify key does not open");
    std::lock_guard lock(mu_);
    if (!link_key_) link_key_ = crypto::kx_client_to_server_at_server(box_, sp->plan.leader.box_key).value();
    auto& s = plans_[sp->plan.id];
    s.plan = sp->plan;
    s.verify_key = *vk;
    s.scheme = wire::prio3_for(sp->plan).value();
    return {201, Json{{"plan", sp->plan.id}}};
  }

  Answer reports(const std::string& body) {
    std::lock_guard lock(mu_);
    if (!link_key_) return error(401, "no leader known");
    auto items = read_forward(body, *link_key_);
    if (items.empty()) return error(401, "not authenticated by the leader");
    Json results = Json::array();
    for (const auto& it : items) {
      auto e = wire::parse_envelope(crypto::as_bytes(it.envelope));
      if (!e.ok() || !plans_.count(e->ctx.plan_id)) {
        results.push_back({{"status", 400}, {"error", "unknown"}});
        continue;
      }
      auto& s = plans_[e->ctx.plan_id];
      auto share = wire::open_share(*e, wire::Role::helper, box_);
      const auto ctx = wire::prio3_context(e->ctx.plan_id, e->ctx.period);
      auto init = share.ok() ? s.scheme->vdaf.prep_init(s.verify_key, ctx, 1, e->ctx.report_id, e->public_share, share->prio3)
                             : Result<vdaf::PrepInitResult>(share.error());
      if (!init.ok()) {
        results.push_back({{"status", 400}, {"error", "bad share"}});
        continue;
      }
      const std::array<crypto::Bytes, 2> shares{bytes(it.prep_share), init->prep_share};
      auto msg = s.scheme->vdaf.prep_shares_to_prep(ctx, shares);
      auto out = msg.ok() ? s.scheme->vdaf.prep_next(ctx, init->state, *msg) : Result<crypto::Bytes>(msg.error());
      if (!out.ok()) {
        results.push_back({{"status", 400}, {"error", "invalid"}});
        continue;
      }
      s.outs[wire::report_id_hex(e->ctx.report_id)] = *out;
      results.push_back({{"status", 201}, {"prep", crypto::to_base64(*msg)}});
    }
    return {200, Json{{"results", results}}};
  }

  Answer close(const std::string& body) {
    auto j = Json::parse(body, nullptr, false);
    std::lock_guard lock(mu_);
    auto it = plans_.find(j.value("plan", ""));
    if (it == plans_.end()) return error(404, "no plan");
    std::vector<std::string> ids;
    for (const auto& [id, _] : it->second.outs) ids.push_back(id);
    return {200, Json{{"reports", ids}, {"count", ids.size()}, {"checksum", batch_checksum(it->first, j.value("period", ""), ids)}}};
  }

  // Its exact aggregate share over every report it holds: no noise.
  Answer aggregate(const std::string& body) {
    auto j = Json::parse(body, nullptr, false);
    std::lock_guard lock(mu_);
    auto it = plans_.find(j.value("plan", ""));
    if (it == plans_.end()) return error(404, "no plan");
    std::vector<crypto::Bytes> outs;
    for (const auto& [id, out] : it->second.outs) outs.push_back(out);
    return {200, Json{{"share", crypto::to_base64(it->second.scheme->vdaf.aggregate(outs).value())}}};
  }

  crypto::BoxKeyPair box_ = crypto::box_keypair();
  std::mutex mu_;
  std::optional<crypto::SecretBytes> link_key_;
  std::map<std::string, PlanState> plans_;
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace

TEST_CASE("attack (a), roles swapped: a helper that adds no noise, with k - 1 devices of its own; the leader's layer stays on the target") {
  REQUIRE(crypto::init().ok());
  const auto aggb = test::app("cairn-aggregator/cairn-aggregator");
  REQUIRE(std::filesystem::exists(aggb));
  const auto root = test::fresh_dir("e2e_attack_helper");
  test::Runner run(root / "scratch");
  const auto L = (root / "leader").string();
  const auto tls = test::trust_test_ca(root);
  CheatingHelper cheat(tls);
  REQUIRE(cheat.port() > 0);

  // --- the honest leader, as the organisation sets it up -----------------------------------------
  auto li = run.run({aggb, "init", "--role", "leader", "--dir", L, "--org", "Acme"});
  REQUIRE_MESSAGE(li.rc == 0, li.err);
  const auto leader_proc = test::serve_aggregator(root, L, "leader", tls);
  const int lp = leader_proc.port;
  REQUIRE(run.run({aggb, "configure", "--dir", L, "--url", leader_proc.url, "--helper-url",
                   "https://127.0.0.1:" + std::to_string(cheat.port()), "--helper-key", crypto::to_base64(cheat.box().public_key)})
              .rc == 0);
  auto tc = run.run({aggb, "token", "create", "--dir", L, "--team", "platform", "--count", "3", "--hash-file", (root / "hashes").string()});
  REQUIRE_MESSAGE(tc.rc == 0, tc.err);
  const auto tokens = test::nonempty_lines(tc.out);
  REQUIRE(tokens.size() == 3);
  // Devices 0 and 1 are the helper's accomplices (their tokens reached it), 2 is the target. They
  // enroll at the leader (the cheating helper accepts anything).
  Client leader(lp, tls.ca);
  std::vector<Device> devices(3);
  for (std::size_t i = 0; i < devices.size(); ++i) {
    auto t = wire::parse_token(tokens[i]).value();
    auto a = leader.post("/v1/enroll", wire::encode_enroll(wire::make_enroll(t.secret, t.team, devices[i].keys)));
    REQUIRE_MESSAGE(a.status == 201, a.body);
  }

  // --- 200 plans, published through the real CLI (the leader registers each with the helper) ------
  std::vector<std::string> ids;
  for (int r = 0; r < kReleases; ++r) {
    ids.push_back("single-out-" + std::to_string(r));
    auto c = run.run({aggb, "plan", "create", "--dir", L, "--id", ids.back(), "--team", "platform", "--metric", "ai_assisted_share",
                      "--metric", "after_hours_share", "--cadence", "month", "--k", "3", "--epsilon", "1", "--per-release", "--accept-useless",
                      "--purpose", "How much of the work is AI-assisted or after hours"});
    REQUIRE_MESSAGE(c.rc == 0, c.err);
    auto p = run.run({aggb, "plan", "publish", "--dir", L, "--plan", ids.back()});
    REQUIRE_MESSAGE(p.rc == 0, p.err);
  }
  REQUIRE(cheat.plans_registered() == static_cast<std::size_t>(kReleases));

  // --- the devices report, the organisation releases, the helper subtracts what it knows ----------
  const auto period = current_month();
  std::vector<std::vector<std::vector<std::int64_t>>> values(kReleases);
  for (int r = 0; r < kReleases; ++r) {
    const auto& plan = cheat.plan(ids[static_cast<std::size_t>(r)]);
    const auto scheme = wire::prio3_for(plan).value();
    for (auto& d : devices) {
      values[static_cast<std::size_t>(r)].push_back(random_values(2));
      auto a = leader.post("/v1/reports", envelope_text(make_report(plan, scheme, d, period, values[static_cast<std::size_t>(r)].back())));
      REQUIRE_MESSAGE(a.status == 201, a.body);
    }
  }
  std::vector<std::vector<double>> errors(2);
  std::vector<double> sigma2;
  for (const auto& m : cheat.plan(ids[0]).metrics) sigma2.push_back(static_cast<double>(m.sigma2.to_long_double()));
  // The month has not ended: the releases run with the command's clock past its end (40 days on;
  // CAIRN_AGGREGATOR_NOW, test suites only), the servers' clocks untouched.
  ::setenv("CAIRN_AGGREGATOR_NOW", std::to_string(static_cast<std::int64_t>(std::time(nullptr)) + 40 * 86400).c_str(), 1);
  for (int r = 0; r < kReleases; ++r) {
    const auto& id = ids[static_cast<std::size_t>(r)];
    auto rel = run.run({aggb, "release", "--dir", L, "--plan", id, "--period", period});
    REQUIRE_MESSAGE(rel.rc == 0, rel.err);
    auto res = run.run({aggb, "results", "--dir", L, "--plan", id, "--period", period, "--format", "json"});
    REQUIRE(res.rc == 0);
    const auto j = Json::parse(res.out)["results"][0];
    REQUIRE(j["n"] == 3);
    REQUIRE(j["values"].size() == 2);
    const auto& plan = cheat.plan(id);
    const auto& v = values[static_cast<std::size_t>(r)];
    for (std::size_t c = 0; c < 2; ++c) {
      const double published = std::round(j["values"][c]["noisy_sum"].get<double>() * static_cast<double>(plan.metrics[c].scale));
      const double estimate = published - static_cast<double>(v[0][c] + v[1][c]);
      errors[c].push_back(estimate - static_cast<double>(v[2][c]));
    }
  }
  ::unsetenv("CAIRN_AGGREGATOR_NOW");
  for (std::size_t c = 0; c < 2; ++c) check_noise("cheating helper vs real leader", c, errors[c], sigma2[c]);
}
