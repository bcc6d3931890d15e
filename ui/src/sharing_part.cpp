// The Sharing view's parts: see sharing_part.hpp.
#include "sharing_part.hpp"

#include <algorithm>

#include "cairn/base/text.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/uploader/status.hpp"

namespace cairn::ui {

namespace {
constexpr const char* kEpsilon = "epsilon";  // the panel's font atlas has no Greek glyphs

// device::guarantee_line writes the symbol itself: the word instead.
std::string with_word(std::string line) {
  for (std::size_t at; (at = line.find("\xCE\xB5")) != std::string::npos;) line.replace(at, 2, kEpsilon);
  return line;
}
// The released team results kept by the last check (or `cairn share sync`), in the CLI's words.
Status fill_team(device::DeviceShare& share, SharingData& out) {
  const auto t = [](const std::string& x) { return safe_outside_text(x); };
  for (const auto& v : CAIRN_TRY(share.team_results())) {
    const auto text = device::team_period_text(v);
    SharingTeamPeriod p{t(v.plan_id), t(v.purpose), t(v.period), t(text.count), t(text.note), v.released, {}};
    for (std::size_t i = 0; i < v.figures.size() && i < text.figures.size(); ++i) {
      const auto& tv = v.figures[i].team;
      const auto& words = text.figures[i];
      p.figures.push_back({t(words.team.figure), t(words.team.verdict), t(words.team.outside), t(words.own), t(tv.unit),
                           tv.mean, tv.lo, tv.hi, tv.clip_lo, tv.clip_hi, v.figures[i].own});
    }
    out.results.push_back(std::move(p));
  }
  out.team_note = device::team_results_note();
  return ok_status();
}

}  // namespace

std::shared_ptr<const SharingData> build_sharing(device::DeviceShare& share, const store::Store& s,
                                                 const dp::Ledger& ledger, const Clock& clock) {
  auto out = std::make_shared<SharingData>();
  // Every string here came from the organisation or a server: made safe once, before any view draws it.
  const auto t = [](const std::string& x) { return safe_outside_text(x); };
  auto fill = [&]() -> Status {
    if (auto e = CAIRN_TRY(device::load_enrollment(s))) {
      out->enrolled = true;
      out->org = t(e->org);
      out->team = t(e->team);
    }
    for (auto& pv : CAIRN_TRY(share.plans())) {
      SharingPlan p{t(pv.plan.id), t(pv.plan.org), t(pv.plan.team), t(pv.plan.purpose), t(pv.plan.cadence), pv.state,
                    pv.plan.k, {}, t(device::plan_cost_line(pv.plan, ledger, clock.now(), kEpsilon))};
      for (const auto& m : pv.plan.metrics) p.metrics.push_back(t(m.name));
      out->plans.push_back(std::move(p));
    }
    for (const auto& r : CAIRN_TRY(share.pending_reports())) {
      auto d = CAIRN_TRY(share.report_detail(r.report_id));
      auto values = d.values;
      for (auto& v : values) v.metric = t(v.metric), v.coordinate = t(v.coordinate), v.unit = t(v.unit);
      auto noise = d.noise;
      for (auto& n : noise) n.metric = t(n.metric), n.unit = t(n.unit);
      SharingPending p{t(r.report_id), t(r.plan_id), t(r.period), t(d.purpose), std::move(values), std::move(noise),
                       with_word(device::guarantee_line(d)), d.k, d.epsilon_release, d.spent_after, d.cap_epsilon, d.budget_left,
                       t(device::cost_line(d, kEpsilon)), d.bytes, {}};
      // Enough of the envelope to see what it is; the full size is stated beside it.
      constexpr std::size_t kShown = 96;
      const std::size_t n = std::min(d.envelope.size(), kShown);
      p.envelope_hex = crypto::to_hex(crypto::ByteView(d.envelope.data(), n));
      if (d.envelope.size() > n) p.envelope_hex += "\xE2\x80\xA6";
      out->pending.push_back(std::move(p));
    }
    for (const auto& r : CAIRN_TRY(share.history())) {
      SharingRow row{t(r.report_id), t(r.plan_id), t(r.period), t(r.state), r.created, r.decided, r.uploaded, {}};
      if (auto d = share.report_detail(r.report_id); d.ok()) row.cost = t(device::cost_line(*d, kEpsilon));
      out->history.push_back(std::move(row));
    }
    std::reverse(out->history.begin(), out->history.end());
    return fill_team(share, *out);
  };
  if (auto st = fill(); !st.ok()) out->error = t(st.error().message);
  return out;
}

std::shared_ptr<const SharingStatus> build_sharing_status(const std::filesystem::path& outbox, bool enrolled,
                                                          const ShareCheckResult* last_check, bool checking,
                                                          const Clock& clock) {
  auto out = std::make_shared<SharingStatus>();
  out->enrolled = enrolled;
  if (auto st = uploader::read_status(outbox); st.ok()) out->sending = uploader::status_line(*st, clock);
  else out->sending = "The uploader's status is unreadable: " + safe_outside_text(st.error().message);
  out->checking = checking;
  if (enrolled) out->checks = check_line(last_check, checking, clock);
  return out;
}

}  // namespace cairn::ui
