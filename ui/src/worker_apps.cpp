// Time per application (see worker.hpp): the range and the day the Applications view asks for,
// read with views::apps_in_days at the clock's current offset, exactly as `cairn apps --range`;
// the category rules file the same view edits (validated by the daemon's parser); and a stretch of
// the day strip marked as a break or moved to a category (Store::mark_activity, as `cairn activity
// mark`), after which the week, the year strip and the applications are read again.
#include <algorithm>

#include "cairn/activity_rules/rules.hpp"
#include "cairn/base/files.hpp"
#include "cairn/base/text.hpp"
#include "cairn/store/summary.hpp"
#include "cairn/views/apps.hpp"
#include "format.hpp"
#include "worker.hpp"
#include "worker_state.hpp"

namespace cairn::ui {

Result<std::shared_ptr<const AppsData>> build_apps(const store::Store& s, std::int64_t first_day, std::int64_t last_day,
                                                   std::string label, std::int64_t day, std::int32_t utc_offset) {
  auto a = std::make_shared<AppsData>();
  a->first_day = first_day;
  a->last_day = last_day;
  a->label = std::move(label);
  a->apps = CAIRN_TRY(views::apps_in_days(s, first_day, last_day, utc_offset));
  for (const auto& x : a->apps) a->total_seconds += x.seconds;
  a->day = day;
  const auto w = views::days_window(day, day, utc_offset);
  auto second = [&](records::Instant t) {
    return static_cast<std::int32_t>(std::clamp<records::Instant>(t, w.from, w.to) - w.from);
  };
  const auto spans = CAIRN_TRY(s.spans(w.from, w.to));
  const auto meetings = CAIRN_TRY(s.meetings(w.from, w.to));
  for (const auto& sp : spans) {
    if (second(sp.end) <= second(sp.start)) continue;
    // Time away (detected idle or a stretch marked as a break) is kind 8, drawn faint.
    const int kind = sp.idle ? 8 : store::category_index(sp.category);
    auto& tl = a->timeline;
    if (!tl.empty() && tl.back().app == sp.app_class && tl.back().kind == kind && tl.back().to >= second(sp.start) - 1) {
      tl.back().to = std::max(tl.back().to, second(sp.end));
      continue;
    }
    tl.push_back({second(sp.start), second(sp.end), kind, sp.idle ? std::string() : sp.app_class});
  }
  for (const auto& m : meetings)
    if (second(m.end) > second(m.start)) a->timeline.push_back({second(m.start), second(m.end), 7, {}});
  return std::shared_ptr<const AppsData>(std::move(a));
}

bool Worker::handle(cmd::ReadRules&) {
  State& st = *state_;
  if (!st.store) return false;
  auto part = std::make_shared<RulesData>();
  auto text = fs::read_text_file(paths_.activity_rules(), activity_rules::kMaxRulesBytes);
  if (text.ok()) {
    part->text = std::move(text.value());
    part->from_file = true;
  } else {
    part->text = activity_rules::default_rules_text();
  }
  st.next.rules = std::move(part);
  return true;
}

// Saved only when the daemon's own parser accepts the text; the daemon reloads the file on change.
bool Worker::handle(cmd::SaveRules& x) {
  State& st = *state_;
  if (!st.store) return false;
  if (auto parsed = activity_rules::CategoryRules::parse(x.text); !parsed.ok()) {
    say(st.next, "Not saved: " + parsed.error().message, true);
    return true;
  }
  if (auto s = fs::write_file_atomic(paths_.activity_rules(), x.text); !s.ok()) {
    say(st.next, s.error().message, true);
    return true;
  }
  auto part = std::make_shared<RulesData>();
  part->text = x.text;
  part->from_file = true;
  st.next.rules = std::move(part);
  say(st.next, "Category rules saved. The agent applies them to what it records from now on; recorded time keeps its "
               "categories.");
  return true;
}

bool Worker::handle(cmd::ShowApps& x) {
  State& st = *state_;
  if (!st.store) return false;
  const auto now = clock_.now();
  auto r = build_apps(*st.store, std::min(x.first_day, x.last_day), std::max(x.first_day, x.last_day), x.label, x.day,
                      clock_.utc_offset(now));
  if (r.ok()) st.next.apps = r.value();
  else say(st.next, r.error().message, true);
  return true;
}

namespace {

std::string marked_text(const cmd::MarkStretch& x, const store::MarkCounts& r) {
  std::string text = "Marked " + clock_text(x.from) + "\xE2\x80\x93" + clock_text(x.to) + " on " + short_date(x.day) +
                     (x.as == store::kBreak ? std::string(" as a break") : " as " + x.as) + ": " +
                     count_text(r.spans, "recorded stretch", "recorded stretches") + " changed.";
  if (x.as != store::kBreak) text += " Idle time in it stays idle.";
  return text;
}

}  // namespace

// The strip's seconds are counted from views::days_window at the current offset (build_apps), so
// the mark's instants are too. The store checks and applies it in one transaction.
bool Worker::handle(cmd::MarkStretch& x) {
  State& st = *state_;
  if (!st.store) return false;
  const auto now = clock_.now();
  const auto offset = clock_.utc_offset(now);
  const auto w = views::days_window(x.day, x.day, offset);
  auto r = st.store->mark_activity({w.from + x.from, w.from + x.to, x.as, now}, now);
  if (!r.ok()) {
    say(st.next, "Not marked: " + r.error().message, true);
    return true;
  }
  // This connection's own write does not move data_version: rebuild what shows the days now.
  (void)st.refresh_changed(paths_, clock_);
  if (const auto shown = st.next.apps) {
    auto a = build_apps(*st.store, shown->first_day, shown->last_day, shown->label, shown->day, offset);
    if (a.ok()) st.next.apps = a.value();
  }
  say(st.next, marked_text(x, r.value()));
  return true;
}

}  // namespace cairn::ui
