// Attack (a) of issue 15, the leader cheating: the REAL helper (`cairn-aggregator serve`, HTTPS on
// loopback) against a leader played by this test, which holds the organisation's keys (it made
// them, as the organisation would), enrolled k - 1 devices of its own next to the target employee
// and speaks the real protocol: plans registered with the org signature and a sealed verify key,
// reports forwarded with the link MAC and its own Prio3 prep shares, close and aggregate signed.
//
// (i) It asks the helper for the aggregate of a subset of the period's reports: only the target's,
//     the honest reports without its own, and the target with its own devices while another
//     employee's report is left out. Each is refused; the whole set is answered, once (asked
//     again, the same bytes: no fresh noise to average away).
// (ii) Over 200 releases (200 plans for the current month: the helper answers once per plan and
//     period, and the report window only holds the current period, so plans are the honest way to
//     get 200 releases without waiting for real time), it adds its own EXACT aggregate share (no
//     leader noise) to the helper's, subtracts its devices' known values and measures the error of
//     its estimate of the target's values: its variance must be at least the helper's sigma^2.
#include <fstream>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>

#include "aggregators.hpp"
#include "attack_support.hpp"
#include "cairn/metrics/catalog.hpp"
#include "cairn/wire/plan_check.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::attack;
using Json = nlohmann::json;

namespace {

constexpr std::uint32_t kK = 3;  // k - 1 = 2 devices of the leader's own, and the target

// The cheating leader: the organisation's signing key, the leader's box key, and what it keeps of
// each report it forwarded (its own output share).
struct CheatingLeader {
  crypto::SignKeyPair org = crypto::sign_keypair();
  crypto::BoxKeyPair box = crypto::box_keypair();
  crypto::BoxPublicKey helper_key{};
  Client* helper = nullptr;
  crypto::SecretBytes link_key;

  struct PlanState {
    wire::Plan plan;
    crypto::Bytes verify_key;
    std::optional<wire::Prio3Scheme> scheme;
  };

  // Builds, signs and registers a plan as the organisation's leader would, with the helper noise
  // the plan check requires (the helper refuses less).
  PlanState register_plan(const std::string& id, std::uint32_t k) {
    PlanState s;
    auto& p = s.plan;
    p.id = id;
    p.org = "Acme";
    p.team = "platform";
    p.purpose = "How much of the work is AI-assisted or after hours";
    p.cadence = "month";
    p.k = k;
    p.budget = {1.0, 1e-6, dp::BudgetScope::per_release};
    for (const char* m : {"ai_assisted_share", "after_hours_share"}) {
      const auto* cat = metrics::find(m);
      REQUIRE(cat);
      p.metrics.push_back({cat->name, cat->spec.coordinates, cat->spec.scale, {}});
    }
    auto noise = wire::plan_noise(p);
    REQUIRE(noise.ok());
    for (std::size_t i = 0; i < p.metrics.size(); ++i) p.metrics[i].sigma2 = noise->required.sigma2[i];
    p.leader = {"https://leader.invalid", box.public_key};
    p.helper = {"https://helper.invalid", helper_key};
    p.org_key = org.public_key;
    p.created = static_cast<std::int64_t>(std::time(nullptr));
    const auto sp = wire::sign_plan(p, org);
    s.verify_key.assign(32, 0);
    crypto::random_bytes(s.verify_key);
    const std::string path = "/v1/helper/plans";
    const std::string body = Json{{"plan", sp.text}, {"verify_key", crypto::to_base64(crypto::seal(helper_key, s.verify_key))}}.dump();
    auto a = helper->post(path, body, org_signature(org, path, body));
    REQUIRE_MESSAGE(a.status == 201, a.body);
    s.scheme = wire::prio3_for(p).value();
    return s;
  }

  // Receives the devices' reports, forwards them to the helper with its prep shares and keeps its
  // own output share of each the helper accepted (hex id -> share).
  std::map<std::string, crypto::Bytes> forward(const PlanState& s, const std::vector<wire::Envelope>& reports) {
    std::vector<ForwardItem> items;
    std::vector<vdaf::PrepState> states;
    std::vector<crypto::Bytes> ctxs;
    for (const auto& e : reports) {
      auto share = wire::open_share(e, wire::Role::leader, box);
      REQUIRE(share.ok());
      auto ctx = wire::prio3_context(e.ctx.plan_id, e.ctx.period);
      auto init = s.scheme->vdaf.prep_init(s.verify_key, ctx, 0, e.ctx.report_id, e.public_share, share->prio3);
      REQUIRE(init.ok());
      items.push_back({envelope_text(e), str(init->prep_share)});
      states.push_back(std::move(init->state));
      ctxs.push_back(std::move(ctx));
    }
    auto a = helper->post("/v1/helper/reports", forward_body(items, link_key));
    REQUIRE_MESSAGE(a.status == 200, a.body);
    auto j = Json::parse(a.body);
    REQUIRE(j["results"].size() == reports.size());
    std::map<std::string, crypto::Bytes> mine;
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const auto& r = j["results"][i];
      REQUIRE_MESSAGE(r["status"] == 201, r.dump());
      auto msg = crypto::from_base64(r["prep"].get<std::string>()).value();
      auto out = s.scheme->vdaf.prep_next(ctxs[i], states[i], msg);
      REQUIRE(out.ok());
      mine.emplace(wire::report_id_hex(reports[i].ctx.report_id), std::move(*out));
    }
    return mine;
  }

  std::vector<std::string> close(const std::string& plan, const std::string& period) {
    const std::string path = "/v1/helper/close", body = Json{{"plan", plan}, {"period", period}}.dump();
    auto a = helper->post(path, body, org_signature(org, path, body));
    REQUIRE_MESSAGE(a.status == 200, a.body);
    return Json::parse(a.body)["reports"].get<std::vector<std::string>>();
  }

  // Asks for the helper's aggregate share over `ids` (all it holds minus `drop`).
  Client::Answer aggregate(const std::string& plan, const std::string& period, const std::vector<std::string>& drop,
                           const std::vector<std::string>& ids) {
    const std::string path = "/v1/helper/aggregate";
    const std::string body = Json{{"plan", plan}, {"period", period}, {"drop", drop}, {"count", ids.size()},
                                  {"checksum", batch_checksum(plan, period, ids)}}.dump();
    return helper->post(path, body, org_signature(org, path, body));
  }
};

}  // namespace

TEST_CASE("attack (a), the leader cheats: k - 1 devices of its own, subsets refused, the helper's layer stays on the target") {
  REQUIRE(crypto::init().ok());
  const auto aggb = test::app("cairn-aggregator/cairn-aggregator");
  REQUIRE(std::filesystem::exists(aggb));
  const auto root = test::fresh_dir("e2e_attack_leader");
  test::Runner run(root / "scratch");
  const auto H = (root / "helper").string();
  CheatingLeader leader;

  // --- the honest helper, as its operator sets it up ---------------------------------------------
  auto hi = run.run({aggb, "init", "--role", "helper", "--dir", H, "--org-key", crypto::to_base64(leader.org.public_key)});
  REQUIRE_MESSAGE(hi.rc == 0, hi.err);
  auto hk = crypto::from_base64(test::line_after(hi.out, "box key: "));
  REQUIRE((hk.ok() && hk->size() == 32));
  std::copy(hk->begin(), hk->end(), leader.helper_key.begin());
  leader.link_key = crypto::kx_client_to_server(leader.box, leader.helper_key).value();
  const auto tls = test::trust_test_ca(root);
  const auto helper_proc = test::serve_aggregator(root, H, "helper", tls);
  REQUIRE(run.run({aggb, "configure", "--dir", H, "--url", helper_proc.url}).rc == 0);
  Client helper(helper_proc.port, tls.ca);
  leader.helper = &helper;

  // --- four employees' tokens, allowed by the helper; the devices enroll there --------------------
  // Devices 0 and 1 are the leader's own (it used two tokens itself), 2 is the target, 3 another
  // employee (only in the subset probe).
  std::vector<Device> devices(4);
  std::string hashes;
  std::vector<wire::TokenSecret> secrets(devices.size());
  for (auto& s : secrets) {
    crypto::random_bytes(s);
    hashes += wire::token_hash(s) + "\n";
  }
  std::ofstream(root / "hashes") << hashes;
  REQUIRE(run.run({aggb, "token", "allow", "--dir", H, "--team", "platform", "--from", (root / "hashes").string()}).rc == 0);
  for (std::size_t i = 0; i < devices.size(); ++i) {
    auto a = helper.post("/v1/enroll", wire::encode_enroll(wire::make_enroll(secrets[i], "platform", devices[i].keys)));
    REQUIRE_MESSAGE(a.status == 201, a.body);
  }
  const auto period = current_month();

  // --- (i) subsets --------------------------------------------------------------------------------
  {
    auto s = leader.register_plan("probe", kK);
    std::vector<wire::Envelope> reps;
    for (auto& d : devices) reps.push_back(make_report(s.plan, *s.scheme, d, period, random_values(2)));
    auto mine = leader.forward(s, reps);
    REQUIRE(mine.size() == 4);
    const auto ids = leader.close("probe", period);
    REQUIRE(ids.size() == 4);
    const auto own0 = wire::report_id_hex(reps[0].ctx.report_id), own1 = wire::report_id_hex(reps[1].ctx.report_id);
    const auto target = wire::report_id_hex(reps[2].ctx.report_id), other = wire::report_id_hex(reps[3].ctx.report_id);
    struct Probe {
      const char* what;
      std::vector<std::string> drop, keep;
    };
    const std::vector<Probe> probes{
        {"only the target's report", {own0, own1, other}, {target}},
        {"the honest reports without the leader's own", {own0, own1}, {target, other}},
        {"the target with the leader's k - 1 devices, another employee left out", {other}, {own0, own1, target}},
    };
    for (const auto& p : probes) {
      auto a = leader.aggregate("probe", period, p.drop, p.keep);
      INFO(std::string(p.what) << ": HTTP " << a.status << " " << a.body);
      CHECK(a.status >= 400);
      CHECK(a.body.find("\"share\"") == std::string::npos);
    }
    // The whole set is answered, once: asked again, the same bytes (the same noise: nothing to
    // average); another batch after it is refused.
    auto whole = leader.aggregate("probe", period, {}, ids);
    REQUIRE_MESSAGE(whole.status == 200, whole.body);
    auto again = leader.aggregate("probe", period, {}, ids);
    CHECK(again.status == 200);
    CHECK(again.body == whole.body);
    auto after = leader.aggregate("probe", period, {other}, {own0, own1, target});
    CHECK(after.status == 410);
  }

  // --- (ii) 200 releases: the target's value through the helper's layer only ----------------------
  std::vector<std::vector<double>> errors(2);
  std::vector<double> sigma2;
  for (int r = 0; r < kReleases; ++r) {
    auto s = leader.register_plan("single-out-" + std::to_string(r), kK);
    if (sigma2.empty())
      for (const auto& m : s.plan.metrics) sigma2.push_back(static_cast<double>(m.sigma2.to_long_double()));
    std::vector<std::vector<std::int64_t>> values;
    std::vector<wire::Envelope> reps;
    for (int d = 0; d < 3; ++d) {  // devices 0, 1 (the leader's) and 2 (the target)
      values.push_back(random_values(2));
      reps.push_back(make_report(s.plan, *s.scheme, devices[static_cast<std::size_t>(d)], period, values.back()));
    }
    auto mine = leader.forward(s, reps);
    const auto ids = leader.close(s.plan.id, period);
    REQUIRE(ids.size() == 3);
    auto a = leader.aggregate(s.plan.id, period, {}, ids);
    REQUIRE_MESSAGE(a.status == 200, a.body);
    auto helper_share = crypto::from_base64(Json::parse(a.body)["share"].get<std::string>()).value();
    // Its own aggregate share, exact (no leader noise), plus the helper's noisy one.
    std::vector<crypto::Bytes> outs;
    for (const auto& [id, out] : mine) outs.push_back(out);
    auto own = s.scheme->vdaf.aggregate(outs).value();
    auto total = s.scheme->vdaf.aggregate(std::vector<crypto::Bytes>{own, helper_share}).value();
    std::vector<std::uint64_t> words(s.scheme->length);
    for (std::size_t c = 0; c < words.size(); ++c)
      for (std::size_t b = 0; b < 8; ++b) words[c] |= std::uint64_t{total[c * 8 + b]} << (8 * b);
    const auto sums = wire::decode_sum(*s.scheme, words, ids.size());
    for (std::size_t c = 0; c < 2; ++c) {
      const double estimate = static_cast<double>(sums[c] - values[0][c] - values[1][c]);
      errors[c].push_back(estimate - static_cast<double>(values[2][c]));
    }
  }
  for (std::size_t c = 0; c < 2; ++c) check_noise("cheating leader vs real helper", c, errors[c], sigma2[c]);
}
