// DeviceShare against an in-process fake of the aggregators' answers: enrollment pins keys and
// carries the employee's earlier reports, a plan signed by another key is refused, an approved
// report survives going offline and a restart and is uploaded exactly once (and only when both
// aggregators hold it), transient failures are retried, a declined report never leaves and costs
// nothing, charges happen at approval (in approval order), no report is prepared for a period
// before the plan was joined or one the organisation closed, and what the keyless uploader sent
// is recorded at the next unlock.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "cairn/base/files.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/device/device.hpp"
#include "cairn/metrics/catalog.hpp"
#include "cairn/uploader/spool.hpp"
#include "cairn/uploader/upload.hpp"
#include "cairn/wire/answers.hpp"
#include "cairn/wire/results.hpp"
#include "temp_dir.hpp"
#include "../wire/wire_fixture.hpp"

using namespace cairn;

namespace {

// An in-process fake of the two aggregators' answers (the real ones are P2's): it serves one
// signed plan, answers enrolments with a configurable history, and takes an upload only when the
// envelope verifies, both shares open and the Prio3 report passes both aggregators' preparation;
// its answer names who holds the report. It can go offline or fail the next N calls.
class FakeTransport final : public wire::Transport {
 public:
  crypto::SignKeyPair org = crypto::sign_keypair();
  crypto::BoxKeyPair leader_box = crypto::box_keypair();
  crypto::BoxKeyPair helper_box = crypto::box_keypair();
  std::string plan_text;
  wire::EnrollAnswer enroll_answer;
  std::set<std::string> held;  // report ids both hold
  bool helper_down = false;    // the leader stores, the helper does not (yet)
  bool offline = false;
  int fail_next = 0;
  int posts = 0, valid_reports = 0;
  std::optional<std::string> plans_override;
  std::optional<std::string> results_answer;  // POST /v1/results: 404 until set
  std::vector<std::string> results_asked;     // plans asked for, from verified requests

  Result<wire::HttpReply> get(const std::string& base, const std::string& path) override {
    if (offline) return make_error(Errc::network, "cannot reach " + base);
    if (path.rfind("/v1/plans", 0) != 0) return wire::HttpReply{404, R"({"error":"no such path"})"};
    if (plans_override) return wire::HttpReply{200, *plans_override};
    return wire::HttpReply{200, nlohmann::json{{"plans", {plan_text}}}.dump()};
  }
  Result<wire::HttpReply> post(const std::string& base, const std::string& path, const std::string& body,
                                const std::string&) override {
    ++posts;
    if (offline) return make_error(Errc::network, "cannot reach " + base);
    if (fail_next > 0) {
      --fail_next;
      return wire::HttpReply{503, R"({"error":"busy"})"};
    }
    if (path == "/v1/enroll") {
      if (!wire::parse_enroll(body).ok()) return wire::HttpReply{400, R"({"error":"bad enrollment"})"};
      return wire::HttpReply{201, wire::encode_enroll_answer(enroll_answer)};
    }
    if (path == "/v1/results") {
      auto req = wire::parse_results_request(body);
      if (!req.ok()) return wire::HttpReply{401, R"({"error":"bad results request"})"};
      results_asked.push_back(req->plan_id);
      if (!results_answer) return wire::HttpReply{404, R"({"error":"no such path"})"};
      return wire::HttpReply{200, *results_answer};
    }
    if (path != "/v1/reports") return wire::HttpReply{404, R"({"error":"no such path"})"};
    auto env = wire::parse_envelope(crypto::as_bytes(body));
    if (!env.ok() || !wire::verify_envelope(*env).ok()) return wire::HttpReply{400, R"({"error":"bad envelope"})"};
    auto plan = wire::parse_signed_plan(plan_text).value().plan;
    auto scheme = wire::prio3_for(plan).value();
    auto ls = wire::open_share(*env, wire::Role::leader, leader_box);
    auto hs = wire::open_share(*env, wire::Role::helper, helper_box);
    if (!ls.ok() || !hs.ok() || !test::prepare_both(scheme, *env, ls->prio3, hs->prio3).ok())
      return wire::HttpReply{400, R"({"error":"invalid report"})"};
    ++valid_reports;
    const auto id = wire::report_id_hex(env->ctx.report_id);
    wire::UploadAnswer a{"stored", id, true, !helper_down};
    if (!helper_down) held.insert(id);
    return wire::HttpReply{201, wire::encode_upload_answer(a)};
  }
};

struct World {
  bool sodium_ready = crypto::init().ok();  // first: the members below allocate secrets
  std::filesystem::path dir;
  FakeTransport transport;
  crypto::SecretBytes store_key{32};
  crypto::SignKeyPair device = crypto::sign_keypair();
  ManualClock clock{1'795'000'000};  // 2026-11-18, a Wednesday
  std::string period = iso_week_string(local_day(1'795'000'000, 0));
  wire::Plan plan;

  explicit World(const std::string& name) {
    REQUIRE(sodium_ready);
    dir = test::fresh_dir(name);
    crypto::random_bytes(store_key.bytes());
    plan.id = "kinds";
    plan.org = "Acme";
    plan.team = "platform";
    plan.purpose = "Contribution kinds";
    plan.cadence = "week";
    plan.k = 2;
    plan.budget = {0.5, 1e-6, dp::BudgetScope::per_release};
    const auto* m = metrics::find("contributions_by_kind");
    plan.metrics.push_back({m->name, m->spec.coordinates, m->spec.scale, dp::Rational{1, 1}});
    plan.leader = {"http://leader.test", transport.leader_box.public_key};
    plan.helper = {"http://helper.test", transport.helper_box.public_key};
    plan.metrics[0].sigma2 = wire::plan_noise(plan).value().required.sigma2[0];
    transport.plan_text = wire::sign_plan(plan, transport.org).text;
  }
  std::filesystem::path outbox() const { return dir / "device" / "outbox"; }
  store::Store open_store(bool create) {
    return store::Store::open(dir / "device" / "store.db", store_key,
                              create ? store::Store::Mode::create : store::Store::Mode::open_existing).value();
  }
  wire::EnrollToken token() const {
    wire::EnrollToken t;
    t.org = "Acme";
    t.team = "platform";
    t.org_key = transport.org.public_key;
    t.leader = plan.leader;
    t.helper = plan.helper;
    crypto::random_bytes(t.secret);
    return t;
  }
  void enroll(store::Store& s) {
    auto ledger = budget::open_ledger(s).value();
    REQUIRE(device::enroll(s, device, token(), transport, ledger.ledger, clock.now()).ok());
  }
};

std::string nlohmann_json_plans(const std::string& plan_text) {
  std::string escaped;
  for (char c : plan_text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return "{\"plans\":[\"" + escaped + "\"]}";
}

// A device enrolled with the fake (a fresh store in w's folder), its ledger and its DeviceShare
// open: where most cases start. A case binds it as `auto& [w, s, ledger, d] = enrolled;`.
struct Enrolled {
  World w;
  store::Store s;
  budget::StoreLedger ledger;
  device::DeviceShare d;
  explicit Enrolled(const std::string& name)
      : w(name),
        s(w.open_store(true)),
        ledger((w.enroll(s), budget::open_ledger(s).value())),
        d(s, w.device, ledger.ledger, w.transport, w.clock, w.outbox()) {}
};

// Fetches the plan, joins it and prepares this week's report: its id.
std::string one_pending_report(World& w, device::DeviceShare& d) {
  REQUIRE(d.fetch_plans().ok());
  REQUIRE(d.join("kinds").ok());
  REQUIRE(d.prepare_due(w.period)->prepared == 1);
  return d.pending_reports().value()[0].report_id;
}

// The same report, approved (charged and queued in the spool).
std::string one_approved_report(World& w, device::DeviceShare& d) {
  const auto id = one_pending_report(w, d);
  REQUIRE(d.approve(id).ok());
  return id;
}

// Joins the plan two weeks ago, and prepares last week's report, then this week's: their ids,
// earlier first.
std::pair<std::string, std::string> two_pending_reports(World& w, device::DeviceShare& d) {
  d.set_retry_policy({1, 1});
  REQUIRE(d.fetch_plans().ok());
  w.clock.set(1'795'000'000 - 14 * 86400);
  REQUIRE(d.join("kinds").ok());
  w.clock.set(1'795'000'000);
  REQUIRE(d.prepare_due(iso_week_string(local_day(1'795'000'000 - 7 * 86400, 0)))->prepared == 1);
  const auto first = d.pending_reports().value()[0].report_id;
  REQUIRE(d.prepare_due(w.period)->prepared == 1);
  std::string second;
  const auto pending = d.pending_reports().value();
  for (const auto& r : pending)
    if (r.report_id != first) second = r.report_id;
  REQUIRE(!second.empty());
  return {first, second};
}

}  // namespace

TEST_CASE("an approved report survives offline syncs and a restart, then is uploaded once") {
  World w("device_offline");
  std::string id;
  {
    auto s = w.open_store(true);
    records::Contribution c;
    c.time = w.clock.now() - 3600;
    c.text = "fixed the deploy";
    REQUIRE(s.add_contribution(c).ok());
    w.enroll(s);
    auto enr = device::load_enrollment(s).value();
    REQUIRE(enr);
    CHECK(enr->team == "platform");
    auto ledger = budget::open_ledger(s).value();
    device::DeviceShare d(s, w.device, ledger.ledger, w.transport, w.clock, w.outbox());
    d.set_retry_policy({2, 1});
    auto f = d.sync(std::nullopt);
    REQUIRE(f.ok());
    CHECK(f->plans_new == 1);
    CHECK(f->prepared == 0);  // offered, not joined: nothing is prepared
    REQUIRE(d.join("kinds").ok());
    auto p = d.prepare_due(w.period);
    REQUIRE(p.ok());
    REQUIRE(p->prepared == 1);
    auto pending = d.pending_reports().value();
    REQUIRE(pending.size() == 1);
    id = pending[0].report_id;
    auto detail = d.report_detail(id).value();
    REQUIRE(detail.values.size() == 4);
    CHECK(detail.values[0].coordinate == "impact");
    CHECK(detail.values[0].encoded == 100);  // one contribution in the week, in hundredths
    CHECK(detail.epsilon_release > 0);
    REQUIRE(detail.noise.size() == 1);
    CHECK(detail.noise[0].sum_sd_units > 0);
    CHECK(detail.noise[0].mean_se_units == doctest::Approx(detail.noise[0].sum_sd_units / 2));
    CHECK(device::guarantee_line(detail).find("as long as at least one of the two aggregators follows the protocol") !=
          std::string::npos);
    CHECK(detail.budget_left < detail.cap_epsilon);
    CHECK(detail.bytes == detail.envelope.size());
    REQUIRE(d.approve(id).ok());
    w.transport.offline = true;
    auto off = d.sync(std::nullopt);
    REQUIRE(off.ok());
    CHECK(off->queued == 1);
    CHECK(s.shared_report(id).value()->state == "approved");
    CHECK(std::filesystem::exists(w.outbox() / (id + ".env")));
  }
  // Restart: new objects over the same files.
  {
    auto s = w.open_store(false);
    auto ledger = budget::open_ledger(s).value();
    device::DeviceShare d(s, w.device, ledger.ledger, w.transport, w.clock, w.outbox());
    d.set_retry_policy({3, 1});
    w.transport.offline = false;
    w.transport.fail_next = 2;  // two 503s, then through
    auto on = d.upload_outbox();
    REQUIRE(on.ok());
    CHECK(on->uploaded == 1);
    auto r = s.shared_report(id).value();
    CHECK(r->state == "uploaded");
    CHECK(r->uploaded.has_value());
    CHECK_FALSE(std::filesystem::exists(w.outbox() / (id + ".env")));
    CHECK(w.transport.valid_reports == 1);
    CHECK(w.transport.held.count(id) == 1);
    // Nothing left to send: another sync posts no report.
    const int posts = w.transport.posts;
    REQUIRE(d.upload_outbox().ok());
    CHECK(w.transport.posts == posts);
  }
}

TEST_CASE("a declined report never leaves and its bytes are erased") {
  Enrolled enrolled("device_decline");
  auto& [w, s, ledger, d] = enrolled;
  const auto id = one_pending_report(w, d);
  REQUIRE(d.decline(id).ok());
  CHECK(s.shared_report(id).value()->envelope.empty());
  CHECK(ledger.ledger.entries().empty());
  CHECK_FALSE(d.approve(id).ok());
  const int posts = w.transport.posts;
  auto up = d.upload_outbox();
  REQUIRE(up.ok());
  CHECK(up->uploaded == 0);
  CHECK(w.transport.posts == posts);
  // The same period is not prepared twice.
  CHECK(d.prepare_due(w.period)->prepared == 0);
}

// The leader's plan list naming `periods` of the plan "kinds" as closed.
std::string plans_with_closed(const World& w, const std::vector<std::string>& periods) {
  auto closed = nlohmann::json::array();
  for (const auto& p : periods) closed.push_back(nlohmann::json{{"plan", "kinds"}, {"period", p}});
  auto plans = nlohmann::json::array();
  plans.push_back(w.transport.plan_text);
  return nlohmann::json{{"plans", plans}, {"closed", closed}}.dump();
}

std::uint64_t ledger_length_of(const std::string& envelope) {
  return wire::parse_envelope(crypto::as_bytes(envelope)).value().ledger.length;
}

TEST_CASE("charges follow approvals: the later report approved first is charged and sent first") {
  Enrolled enrolled("device_order");
  auto& [w, s, ledger, d] = enrolled;
  const auto [first, second] = two_pending_reports(w, d);
  CHECK(ledger.ledger.entries().empty());  // preparing charges nothing

  REQUIRE(d.approve(second).ok());
  REQUIRE(ledger.ledger.entries().size() == 1);
  CHECK(ledger.ledger.entries()[0].period == w.period);
  CHECK(ledger_length_of(s.shared_report(second).value()->envelope) == 1);
  auto one = d.upload_outbox();
  REQUIRE(one.ok());
  CHECK(one->uploaded == 1);
  CHECK(w.transport.valid_reports == 1);  // its signature verifies after the approval's head

  REQUIRE(d.approve(first).ok());
  REQUIRE(ledger.ledger.entries().size() == 2);
  // Prepared with the same head as the other (length 1); approved second: signed again at length 2.
  CHECK(ledger_length_of(s.shared_report(first).value()->envelope) == 2);
  CHECK(ledger.ledger.entries()[1].time >= ledger.ledger.entries()[0].time);
  auto two = d.upload_outbox();
  REQUIRE(two.ok());
  CHECK(two->uploaded == 1);
  CHECK(two->refused == 0);
  CHECK(w.transport.valid_reports == 2);
  CHECK(s.shared_report(first).value()->state == "uploaded");
  CHECK(s.shared_report(second).value()->state == "uploaded");
}

TEST_CASE("a declined report costs nothing: the ledger is unchanged and the year is as before") {
  Enrolled enrolled("device_decline_free");
  auto& [w, s, ledger, d] = enrolled;
  const auto [first, second] = two_pending_reports(w, d);
  const double before = ledger.ledger.spent_epsilon(w.clock.now());
  auto pending = d.report_detail(first).value();
  CHECK_FALSE(pending.charged);
  CHECK(pending.spent_after > before);  // what approving would make it
  CHECK(device::cost_line(pending).rfind("ε ", 0) == 0);
  CHECK(device::cost_line(pending).find(" for this report if you approve it; ε ") != std::string::npos);
  CHECK(device::cost_line(pending).find(" left this year after it") != std::string::npos);
  // The panel's font has no Greek glyphs: the same line with the word.
  CHECK(device::cost_line(pending, "epsilon").rfind("epsilon ", 0) == 0);
  CHECK(device::cost_line(pending, "epsilon").find("ε") == std::string::npos);
  REQUIRE(d.decline(first).ok());
  CHECK(ledger.ledger.entries().empty());
  CHECK(ledger.ledger.spent_epsilon(w.clock.now()) == before);
  auto declined = d.report_detail(first).value();
  CHECK_FALSE(declined.charged);
  CHECK(declined.budget_left == doctest::Approx(declined.cap_epsilon - before));
  CHECK(device::cost_line(declined).rfind("nothing for this report (declined: nothing left this device); ε ", 0) == 0);
  // The later report is not held back by the declined one, and takes the chain's first entry.
  REQUIRE(d.approve(second).ok());
  CHECK(ledger.ledger.entries().size() == 1);
  CHECK(d.upload_outbox()->uploaded == 1);
  auto sent = d.report_detail(second).value();
  CHECK(sent.charged);
  CHECK(device::cost_line(sent).find("for this report (charged); ε ") != std::string::npos);
}

TEST_CASE("no report for a period before the plan was joined; the period joined in only when asked") {
  Enrolled enrolled("device_join_time");
  auto& [w, s, ledger, d] = enrolled;
  REQUIRE(d.fetch_plans().ok());
  REQUIRE(d.join("kinds").ok());  // on Wednesday of 2026-W47
  REQUIRE(d.join("kinds").ok());  // joining again keeps the first time
  // The last complete week (W46) ended before joining: nothing, asked for or not.
  auto automatic = d.prepare_due(std::nullopt);
  REQUIRE(automatic.ok());
  CHECK(automatic->prepared == 0);
  const auto w46 = iso_week_string(local_day(1'795'000'000 - 7 * 86400, 0));
  auto asked = d.prepare_due(w46);
  REQUIRE(asked.ok());
  CHECK(asked->prepared == 0);
  CHECK(asked->refused == 1);
  REQUIRE(!asked->notes.empty());
  CHECK(asked->notes[0].find("ended before you joined") != std::string::npos);
  // A week later, the week joined in is complete: not prepared by itself (it started before).
  w.clock.advance(7 * 86400);
  auto next = d.prepare_due(std::nullopt);
  REQUIRE(next.ok());
  CHECK(next->prepared == 0);
  REQUIRE(!next->notes.empty());
  CHECK(next->notes[0].find("your first report is for the period after it") != std::string::npos);
  // Two weeks later: the first whole week after joining is prepared.
  w.clock.advance(7 * 86400);
  CHECK(d.prepare_due(std::nullopt)->prepared == 1);
  CHECK(d.pending_reports().value().at(0).period == iso_week_string(local_day(1'795'000'000 + 7 * 86400, 0)));
  CHECK(ledger.ledger.entries().empty());
}

TEST_CASE("a period the organisation closed: no report, and a pending one is refused at approval, uncharged") {
  Enrolled enrolled("device_closed");
  auto& [w, s, ledger, d] = enrolled;
  const auto [first, second] = two_pending_reports(w, d);
  // The leader now lists last week as closed (released): the pending report for it cannot be
  // approved, and nothing is charged for it.
  const auto last_week = s.shared_report(first).value()->period;
  w.transport.plans_override = plans_with_closed(w, {last_week});
  REQUIRE(d.fetch_plans().ok());
  CHECK(d.closed_periods().value() == std::vector<std::string>{"kinds\n" + last_week});
  auto a = d.approve(first);
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == Errc::refused);
  CHECK(a.error().message.find("closed period " + last_week) != std::string::npos);
  CHECK(s.shared_report(first).value()->state == "refused");
  CHECK(s.shared_report(first).value()->envelope.empty());
  CHECK(ledger.ledger.entries().empty());
  CHECK_FALSE(d.report_detail(first).value().charged);
  // A pending report whose period the leader closes is expired at the next reconcile.
  w.transport.plans_override = plans_with_closed(w, {last_week, w.period});
  REQUIRE(d.fetch_plans().ok());
  auto rec = d.reconcile_outbox();
  REQUIRE(rec.ok());
  CHECK(rec->refused == 1);
  CHECK(s.shared_report(second).value()->state == "refused");
  CHECK(ledger.ledger.entries().empty());
}

TEST_CASE("a period the leader lists as closed is not prepared, asked for or not") {
  Enrolled enrolled("device_closed_prepare");
  auto& [w, s, ledger, d] = enrolled;
  w.transport.plans_override = plans_with_closed(w, {w.period});
  REQUIRE(d.fetch_plans().ok());
  REQUIRE(d.join("kinds").ok());
  auto p = d.prepare_due(w.period);
  REQUIRE(p.ok());
  CHECK(p->prepared == 0);
  CHECK(p->refused == 1);
  REQUIRE(!p->notes.empty());
  CHECK(p->notes[0].find("closed by the organisation") != std::string::npos);
  CHECK(s.shared_reports().value().empty());
  CHECK(ledger.ledger.entries().empty());
}

TEST_CASE("what the keyless uploader sent is recorded as uploaded at the next unlock, and never sent twice") {
  Enrolled enrolled("device_keyless");
  auto& [w, s, ledger, d] = enrolled;
  const auto outbox = w.outbox();
  const auto id = one_approved_report(w, d);
  CHECK(uploader::read_destination(outbox).value()->leader_url == "http://leader.test");
  // cairn-upload's run, with no store and no key.
  auto run = uploader::upload_spool(outbox, w.transport, w.clock, {1, 1});
  REQUIRE(run.ok());
  CHECK(run->sent == 1);
  CHECK(s.shared_report(id).value()->state == "approved");  // the store has not seen it yet
  const int posts = w.transport.posts;
  auto rec = d.reconcile_outbox();
  REQUIRE(rec.ok());
  CHECK(rec->uploaded == 1);
  CHECK(s.shared_report(id).value()->state == "uploaded");
  CHECK(uploader::sent_receipts(outbox).value().empty());
  REQUIRE(d.upload_outbox().ok());
  CHECK(w.transport.posts == posts);
}

TEST_CASE("an approved report whose spool file was lost is queued again from the store") {
  Enrolled enrolled("device_respool");
  auto& [w, s, ledger, d] = enrolled;
  const auto outbox = w.outbox();
  const auto id = one_approved_report(w, d);
  const auto bytes = s.shared_report(id).value()->envelope;
  std::filesystem::remove(outbox / (id + ".env"));
  auto rec = d.reconcile_outbox();
  REQUIRE(rec.ok());
  CHECK(rec->respooled == 1);
  CHECK(fs::read_text_file(outbox / (id + ".env"), 1 << 20).value() == bytes);
  CHECK(ledger.ledger.entries().size() == 1);  // charged once
}

TEST_CASE("a plan signed by a key other than the pinned org key is refused") {
  Enrolled enrolled("device_forged_plan");
  auto& [w, s, ledger, d] = enrolled;
  // The offered plan under another id, right in every way but its signer.
  wire::Plan p = w.plan;
  p.id = "evil";
  p.purpose = "x";
  auto enr = device::load_enrollment(s).value().value();
  p.leader = enr.leader;
  p.helper = enr.helper;
  auto forged = wire::sign_plan(p, crypto::sign_keypair());
  w.transport.plans_override = nlohmann_json_plans(forged.text);
  auto f = d.fetch_plans();
  REQUIRE(f.ok());
  CHECK(f->plans_refused == 1);
  CHECK(d.plans().value().empty());
}

TEST_CASE("a report the helper does not hold yet stays queued, and is uploaded once both hold it") {
  Enrolled enrolled("device_held_by");
  auto& [w, s, ledger, d] = enrolled;
  d.set_retry_policy({1, 1});
  const auto id = one_approved_report(w, d);
  w.transport.helper_down = true;
  auto one = d.upload_outbox();
  REQUIRE(one.ok());
  CHECK(one->uploaded == 0);
  CHECK(one->queued == 1);
  CHECK(s.shared_report(id).value()->state == "approved");
  w.transport.helper_down = false;
  auto both = d.upload_outbox();
  REQUIRE(both.ok());
  CHECK(both->uploaded == 1);
  CHECK(s.shared_report(id).value()->state == "uploaded");
}

TEST_CASE("enrolling a second device carries the employee's earlier reports into its ledger") {
  World w("device_carry_over");
  // What the first device reported: last week's report of this plan, at that period's end.
  const auto last_week = *metrics::parse_period(metrics::Cadence::week, iso_week_string(local_day(1'795'000'000 - 7 * 86400, 0)));
  const auto cost = wire::check_plan(w.plan).value().cost;
  w.transport.enroll_answer.replaced = true;
  w.transport.enroll_answer.reported.push_back({"kinds", last_week.label, wire::period_end_time(last_week), cost});
  auto s = w.open_store(true);
  auto ledger = budget::open_ledger(s).value();
  auto r = device::enroll(s, w.device, w.token(), w.transport, ledger.ledger, w.clock.now());
  REQUIRE(r.ok());
  CHECK(r->replaced);
  CHECK(r->carried == 1);
  REQUIRE(ledger.ledger.entries().size() == 1);
  CHECK(ledger.ledger.entries()[0].period == last_week.label);
  CHECK(ledger.ledger.entries()[0].time == wire::period_end_time(last_week));
  CHECK(ledger.ledger.entries()[0].cost == cost);
  CHECK(ledger.ledger.spent_epsilon(w.clock.now()) > 0);
  // Enrolling again (a retry) does not carry it twice.
  REQUIRE(device::enroll(s, w.device, w.token(), w.transport, ledger.ledger, w.clock.now()).ok());
  CHECK(ledger.ledger.entries().size() == 1);
  // The carried period is not prepared again on this device; this week's is.
  device::DeviceShare d(s, w.device, ledger.ledger, w.transport, w.clock, w.outbox());
  REQUIRE(d.fetch_plans().ok());
  REQUIRE(d.join("kinds").ok());
  CHECK(d.prepare_due(last_week.label)->prepared == 0);
  CHECK(d.prepare_due(w.period)->prepared == 1);
  CHECK(ledger.ledger.entries().size() == 1);  // charged at approval
  REQUIRE(d.approve(d.pending_reports().value().at(0).report_id).ok());
  CHECK(ledger.ledger.entries().size() == 2);
}

TEST_CASE("team results: fetched for the plans reported to, kept, and shown beside what this device sent") {
  Enrolled enrolled("device_team_results");
  auto& [w, s, ledger, d] = enrolled;
  records::Contribution c;
  c.time = w.clock.now() - 3600;
  c.text = "fixed the deploy";
  REQUIRE(s.add_contribution(c).ok());
  d.set_retry_policy({1, 1});
  REQUIRE(d.fetch_plans().ok());
  REQUIRE(d.join("kinds").ok());
  // Nothing reported yet: nothing asked, nothing shown.
  REQUIRE(d.sync(std::nullopt).ok());
  CHECK(w.transport.results_asked.empty());
  CHECK(d.team_results().value().empty());
  REQUIRE(d.prepare_due(w.period)->prepared == 1);
  const auto id = d.pending_reports().value()[0].report_id;
  REQUIRE(d.approve(id).ok());
  // Uploaded now; the leader has no results yet (404): a note, the sync itself succeeds.
  auto first = d.sync(std::nullopt);
  REQUIRE(first.ok());
  CHECK(first->uploaded == 1);
  CHECK(w.transport.results_asked == std::vector<std::string>{"kinds"});
  CHECK(d.team_results().value().empty());
  // Released: the team figure for this period, and one for a period this device did not report.
  wire::TeamRelease mine{"kinds", "platform", w.period, 12, 2, 0, true, {}};
  for (const char* coord : {"impact", "long-term", "system", "judgment"})
    mine.values.push_back({"contributions_by_kind", coord, "contributions per week", 1.5, -2.0, 5.0, 1.8, 0, 5,
                           "too noisy to be useful", "too noisy to be useful: ±3.53 contributions per week at 95%", false, 1.5});
  wire::TeamRelease earlier = mine;
  earlier.period = "2026-W40";
  wire::TeamRelease other_plan = mine;
  other_plan.plan_id = "not-asked";
  w.transport.results_answer = wire::encode_results_answer({mine, earlier, other_plan});
  auto second = d.sync(std::nullopt);
  REQUIRE(second.ok());
  bool noted = false;
  for (const auto& n : second->notes) noted = noted || n == "plan kinds: 2 new team results (`cairn share results`)";
  CHECK(noted);
  auto views = d.team_results().value();
  REQUIRE(views.size() == 2);  // the other plan's period is dropped
  CHECK(views[0].period == "2026-W40");  // oldest first
  CHECK_FALSE(views[0].reported);
  CHECK_FALSE(views[0].figures[0].own);
  const auto& v = views[1];
  CHECK(v.period == w.period);
  CHECK(v.purpose == "Contribution kinds");
  CHECK(v.reported);
  CHECK(v.n == 12);
  REQUIRE(v.figures.size() == 4);
  CHECK(v.figures[0].team.coordinate == "impact");
  CHECK(v.figures[0].team.mean == 1.5);
  REQUIRE(v.figures[0].own);
  CHECK(*v.figures[0].own == 1.0);  // the one contribution this week, as sent
  REQUIRE(v.figures[1].own);
  CHECK(*v.figures[1].own == 0.0);
  // In words (what `cairn share results` and the panel show): the organisation's lines, then what
  // this device sent; a period it did not report says so.
  const auto words = device::team_period_text(v);
  CHECK(words.count == "team of 12 reports (k = 2)");
  auto single = v;
  single.n = 1;
  single.k = 1;
  CHECK(device::team_period_text(single).count == "team of 1 report (k = 1)");
  CHECK(words.note.empty());
  REQUIRE(words.figures.size() == 4);
  CHECK(words.figures[0].team.figure == "contributions_by_kind / impact: team mean 1.50 contributions per week, 95% interval -2.00 to 5.00");
  CHECK(words.figures[0].team.verdict == "verdict: too noisy to be useful: ±3.53 contributions per week at 95%");
  CHECK(words.figures[0].team.outside.empty());
  CHECK(words.figures[0].own == "you sent 1.000 contributions per week (what this device sent, before the aggregators' noise)");
  const auto earlier_words = device::team_period_text(views[0]);
  CHECK(earlier_words.note == "you did not report for this period");
  CHECK(earlier_words.figures[0].own.empty());
  // A malformed answer later keeps what was kept and says so.
  w.transport.results_answer = "{\"results\": 7}";
  auto third = d.sync(std::nullopt);
  REQUIRE(third.ok());
  CHECK(d.team_results().value().size() == 2);
  // Offline: the sync still succeeds and the kept results stay readable.
  w.transport.offline = true;
  CHECK(d.team_results().value().size() == 2);
}
