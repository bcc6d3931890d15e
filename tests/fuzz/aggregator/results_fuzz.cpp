// Fuzz target: the team results (POST /v1/results, sync/wire/results.hpp) on both sides. The
// leader is real (state in a scratch directory) and holds a released period, so its handler
// (sync/aggregator/src/results.cpp) can answer with figures. The first input byte picks:
//   0  the rest as a raw request body (a forged or malformed request: refused cleanly);
//   1  a request signed here by a device the fuzzer picks (enrolled in the plan's team, in another
//      team, or a stranger), for a plan id and a time the input gives, so the handler's checks
//      behind the signature (time window, enrolment, team, plan) are reached;
//   2  the rest as the leader's answer, through the device's decoder.
// Every request leaves the leader's state unchanged (reading results writes nothing); a 200 answer
// decodes on the device and names only the plan asked; an answer the device accepts encodes back
// to one it accepts again, equal (the device keeps results re-encoded, device/team_results.cpp).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/wire/prio3_plan.hpp"
#include "cairn/wire/results.hpp"

namespace {

using cairn::aggregator::Aggregator;
using cairn::aggregator::Request;
using cairn::aggregator::Response;
namespace crypto = cairn::crypto;
namespace wire = cairn::wire;

constexpr std::int64_t kNow = 1796212800;  // 2026-12-02 12:00 UTC: 2026-11 has ended and can be released

template <class T>
T must(cairn::Result<T> r) {
  if (!r.ok()) std::abort();
  return std::move(*r);
}
void must(const cairn::Status& s) {
  if (!s.ok()) std::abort();
}

class InProcessLink final : public cairn::aggregator::HelperLink {
 public:
  explicit InProcessLink(Aggregator& helper) : helper_(&helper) {}
  Response post(const std::string& path, const std::string& body, const std::string& sig) override {
    return helper_->handle(Request{"POST", path, body, sig, ""});
  }

 private:
  Aggregator* helper_;
};

Response post(Aggregator& a, const std::string& path, const std::string& body) {
  return a.handle(Request{"POST", path, body, "", ""});
}

// A leader and helper with three devices of team "platform" that reported for focus-1 2026-11
// (released), one device of team "other", and a published plan of "other" with nothing released.
struct World {
  std::unique_ptr<Aggregator> leader, helper;
  std::vector<crypto::SignKeyPair> devices;  // 0..2 platform, 3 other, 4 never enrolled

  void enroll(const std::string& team, std::size_t n) {
    auto tokens = must(leader->create_tokens(team, static_cast<std::uint32_t>(n), 1000));
    std::vector<std::string> hashes;
    for (const auto& t : tokens) hashes.push_back(t.hash);
    must(helper->allow_tokens(team, hashes, 1000));
    for (const auto& t : tokens) {
      auto keys = crypto::sign_keypair();
      auto tok = must(wire::parse_token(t.token));
      const auto body = wire::encode_enroll(wire::make_enroll(tok.secret, tok.team, keys));
      if (post(*leader, "/v1/enroll", body).status != 201 || post(*helper, "/v1/enroll", body).status != 201) std::abort();
      devices.push_back(std::move(keys));
    }
  }

  static cairn::aggregator::PlanRequest plan_request(const std::string& id, const std::string& team) {
    cairn::aggregator::PlanRequest pr;
    pr.id = id;
    pr.team = team;
    pr.purpose = "Focus time per team";
    pr.cadence = "month";
    pr.k = 3;
    pr.budget = {1.0, 1e-6, cairn::dp::BudgetScope::per_release};
    pr.metrics = {"focus_hours"};
    return pr;
  }

  World() {
    if (!crypto::init().ok()) std::abort();
    const auto dir = std::filesystem::path(CAIRN_BINARY_DIR) / "fuzz-tmp" / ("results_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    using cairn::aggregator::Role;
    must(Aggregator::init(dir / "l", {Role::leader, "Fuzz", "", "http://leader.test"}, 1000));
    leader = must(Aggregator::open(dir / "l"));
    must(Aggregator::init(dir / "h", {Role::helper, "", crypto::to_base64(must(leader->info()).org_key), "http://helper.test"}, 1000));
    helper = must(Aggregator::open(dir / "h"));
    leader->set_clock([] { return kNow; });
    helper->set_clock([] { return kNow; });
    must(leader->configure(std::nullopt, std::string("http://helper.test"), crypto::to_base64(must(helper->info()).box_key)));
    leader->set_helper_link(std::make_unique<InProcessLink>(*helper));
    enroll("platform", 3);
    enroll("other", 1);
    devices.push_back(crypto::sign_keypair());
    const auto plan = must(leader->create_plan(plan_request("focus-1", "platform"), 1000)).plan;
    must(leader->publish_plan("focus-1"));
    must(leader->create_plan(plan_request("focus-2", "other"), 1000));
    must(leader->publish_plan("focus-2"));
    const auto scheme = must(wire::prio3_for(plan));
    for (std::size_t i = 0; i < 3; ++i) {
      wire::ReportContext ctx{plan.id, "2026-11", wire::new_report_id(), devices[i].public_key};
      cairn::dp::ChainHead head;
      head.length = 1;
      head.head[0] = 1;
      std::vector<std::int64_t> v(scheme.length, 400 + static_cast<std::int64_t>(i) * 100);
      auto shares = must(wire::shard(scheme, ctx, wire::encode_measurement(scheme, v)));
      const auto env = wire::make_envelope(ctx, head, shares, {plan.leader.box_key, plan.helper.box_key}, devices[i]);
      const auto bytes = wire::encode(env);
      if (post(*leader, "/v1/reports", std::string(bytes.begin(), bytes.end())).status != 201) std::abort();
    }
    must(leader->release("focus-1", "2026-11"));
  }
};

bool same(const wire::TeamValue& a, const wire::TeamValue& b) {
  return a.metric == b.metric && a.coordinate == b.coordinate && a.unit == b.unit && a.mean == b.mean && a.lo == b.lo &&
         a.hi == b.hi && a.se == b.se && a.clip_lo == b.clip_lo && a.clip_hi == b.clip_hi && a.verdict == b.verdict &&
         a.verdict_sentence == b.verdict_sentence && a.out_of_range == b.out_of_range && a.clamped_mean == b.clamped_mean;
}

bool same(const std::vector<wire::TeamRelease>& a, const std::vector<wire::TeamRelease>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto &x = a[i], &y = b[i];
    if (x.plan_id != y.plan_id || x.team != y.team || x.period != y.period || x.n != y.n || x.k != y.k ||
        x.dropped != y.dropped || x.released != y.released || x.values.size() != y.values.size())
      return false;
    for (std::size_t j = 0; j < x.values.size(); ++j)
      if (!same(x.values[j], y.values[j])) return false;
  }
  return true;
}

// The device's side: what it accepts it can keep and read back.
void device_reads(const std::string& body) {
  auto parsed = wire::parse_results_answer(body);
  if (!parsed.ok()) return;
  auto again = wire::parse_results_answer(wire::encode_results_answer(*parsed));
  if (!again.ok() || !same(*parsed, *again)) std::abort();
}

// The leader's side: a request never changes its state; a 200 is an answer the device reads,
// about the plan asked only; refusals use the statuses the handler names.
void leader_answers(World& w, const std::string& body, const std::string& plan_asked) {
  const auto before = must(w.leader->state_digest());
  const auto resp = post(*w.leader, "/v1/results", body);
  if (must(w.leader->state_digest()) != before) std::abort();
  if (resp.status == 200) {
    auto parsed = wire::parse_results_answer(resp.body);
    if (!parsed.ok()) std::abort();
    for (const auto& r : *parsed)
      if (!plan_asked.empty() && r.plan_id != plan_asked) std::abort();
    device_reads(resp.body);
  } else if (resp.status != 400 && resp.status != 401 && resp.status != 403 && resp.status != 404 && resp.status != 413) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World w;
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: leader_answers(w, rest, ""); break;
    case 1: {
      // rest: [signer][time delta, 2 bytes, signed, 10 s steps][plan id...]
      if (rest.size() < 3) return 0;
      const auto& signer = w.devices[static_cast<unsigned char>(rest[0]) % w.devices.size()];
      const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(static_cast<unsigned char>(rest[1]) << 8 |
                                                                              static_cast<unsigned char>(rest[2])));
      const std::string plan = rest.substr(3);
      for (char c : plan)
        if (static_cast<unsigned char>(c) >= 0x80) return 0;  // JSON text is UTF-8; the handler sees such ids in mode 0
      const auto req = wire::make_results_request(plan, signer, kNow + std::int64_t{delta} * 10);
      leader_answers(w, wire::encode_results_request(req), plan);
      break;
    }
    default: device_reads(rest); break;
  }
  return 0;
}
