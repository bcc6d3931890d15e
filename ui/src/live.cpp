// Fingerprints and stamps for the live record: see live.hpp.
#include "live.hpp"

#include <sys/stat.h>

#include <cstring>
#include <type_traits>

#include "cairn/budget/budget.hpp"
#include "cairn/device/device.hpp"

namespace cairn::ui {

Fingerprint& Fingerprint::add(std::string_view bytes) {
  add(static_cast<std::int64_t>(bytes.size()));  // so "ab"+"c" and "a"+"bc" differ
  for (unsigned char c : bytes) {
    h_ ^= c;
    h_ *= 1099511628211ull;
  }
  return *this;
}

Fingerprint& Fingerprint::add(std::int64_t v) {
  for (int i = 0; i < 8; ++i) {
    h_ ^= static_cast<std::uint64_t>(v >> (8 * i)) & 0xff;
    h_ *= 1099511628211ull;
  }
  return *this;
}

std::uint64_t file_stamp(std::initializer_list<std::filesystem::path> paths) {
  Fingerprint f;
  for (const auto& p : paths) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      f.add(-1);
      continue;
    }
    f.add(static_cast<std::int64_t>(st.st_mtim.tv_sec)).add(static_cast<std::int64_t>(st.st_mtim.tv_nsec));
    f.add(static_cast<std::int64_t>(st.st_size)).add(static_cast<std::int64_t>(st.st_ino));
  }
  return f.value();
}

std::uint64_t fingerprint(const Journal& j) {
  Fingerprint f;
  f.add(static_cast<std::int64_t>(j.contributions.size()));
  for (const auto& c : j.contributions) {
    f.add(c.id).add(c.time).add(c.utc_offset).add(c.text).add(static_cast<std::int64_t>(c.kind));
    f.add(c.ai_assisted ? 1 : 0).add(c.goal_id.value_or(-1));
    f.add(static_cast<std::int64_t>(c.skills.size()));
    for (const auto& s : c.skills) f.add(s);
    f.add(static_cast<std::int64_t>(c.links.size()));
    for (const auto& l : c.links) f.add(l);
  }
  f.add(static_cast<std::int64_t>(j.outcomes.size()));
  for (const auto& o : j.outcomes) f.add(o.id).add(o.contribution_id).add(o.time).add(o.horizon_days).add(o.held).add(o.note);
  f.add(static_cast<std::int64_t>(j.goals.size()));
  for (const auto& g : j.goals) {
    f.add(g.id).add(g.created).add(static_cast<std::int64_t>(g.history.size()));
    for (const auto& r : g.history) f.add(r.time).add(r.title).add(r.description).add(r.status);
  }
  return f.value();
}

std::uint64_t fingerprint(const std::vector<store::Reflection>& rs) {
  Fingerprint f;
  f.add(static_cast<std::int64_t>(rs.size()));
  for (const auto& r : rs) f.add(r.week).add(r.updated).add(r.changed).add(r.helped).add(r.judgment).add(r.skipped ? 1 : 0);
  return f.value();
}

std::uint64_t fingerprint(const std::vector<store::ConsentEvent>& log) {
  Fingerprint f;
  f.add(static_cast<std::int64_t>(log.size()));
  for (const auto& e : log) f.add(e.time).add(e.source).add(e.action).add(e.detail);
  return f.value();
}

std::uint64_t fingerprint(const std::vector<store::PlanRow>& plans, const std::vector<store::SharedReport>& reports,
                          const std::vector<store::LedgerRow>& ledger, std::initializer_list<std::string_view> settings) {
  Fingerprint f;
  f.add(static_cast<std::int64_t>(plans.size()));
  for (const auto& p : plans) f.add(p.plan_id).add(p.state).add(p.body).add(p.updated);
  f.add(static_cast<std::int64_t>(reports.size()));
  for (const auto& r : reports) {
    f.add(r.report_id).add(r.plan_id).add(r.period).add(r.state).add(r.created);
    f.add(r.decided.value_or(-1)).add(r.uploaded.value_or(-1)).add(r.detail);
    f.add(static_cast<std::int64_t>(r.envelope.size()));
  }
  f.add(static_cast<std::int64_t>(ledger.size()));
  if (!ledger.empty()) f.add(ledger.back().seq).add(ledger.back().hash);
  for (auto s : settings) f.add(s);
  return f.value();
}

std::uint64_t sharing_fingerprint(const store::Store& s) {
  auto plans = s.plans();
  auto reports = s.shared_reports();
  auto ledger = s.ledger_rows();
  if (!plans.ok() || !reports.ok() || !ledger.ok()) return 0;
  auto setting = [&](const char* key) {
    auto v = s.setting(key);
    return v.ok() && v.value() ? *v.value() : std::string();
  };
  const std::string enrolled = setting(device::kEnrollmentSetting), closed = setting(device::kClosedPeriodsSetting),
                    cap = setting(budget::kCapSetting), team = setting(device::kTeamResultsSetting);
  return fingerprint(*plans, *reports, *ledger, {enrolled, closed, cap, team});
}

namespace {

static_assert(std::has_unique_object_representations_v<store::DayRollup>,
              "DayRollup is compared byte for byte: integers only, no padding");

bool same(const store::DayRollup& a, const store::DayRollup& b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

std::set<std::int64_t> changed_weeks(const YearData& before, const YearData& after) {
  std::set<std::int64_t> out;
  auto a = before.days.begin(), b = after.days.begin();
  while (a != before.days.end() || b != after.days.end()) {
    if (b == after.days.end() || (a != before.days.end() && a->first < b->first)) {
      out.insert(week_start_day(a->first));
      ++a;
    } else if (a == before.days.end() || b->first < a->first) {
      out.insert(week_start_day(b->first));
      ++b;
    } else {
      if (!same(a->second, b->second)) out.insert(week_start_day(a->first));
      ++a;
      ++b;
    }
  }
  return out;
}

bool strip_moved(const YearData& before, const YearData& after) {
  if (before.weeks.size() != after.weeks.size()) return true;
  if (before.weeks.empty()) return false;
  return before.weeks.front().start_day != after.weeks.front().start_day ||
         before.weeks.back().start_day != after.weeks.back().start_day;
}

}  // namespace cairn::ui
