// EventSource (contract in event_source.hpp).
#include "event_source.hpp"

#include <algorithm>

#include "text.hpp"

namespace cairn::activity {

EventSource::EventSource(const Clock& clock, CategoryRules rules, MonitorOptions opts)
    : clock_(clock), rules_(std::move(rules)), opts_(std::move(opts)), builder_(clock) {
  now_ = clock.now();
  last_input_ = now_;
}

void EventSource::update_status() {
  status_ = mechanisms() + (opts_.collect_titles ? "; window titles: collected" : "; window titles: off");
  if (lost_) status_ = "lost the session; " + status_;
}

void EventSource::set_focus(std::optional<Focus> focus, bool by_user) {
  if (focus && !opts_.collect_titles) focus->title.reset();
  focus_ = std::move(focus);
  if (by_user) last_input_ = now_;
  if (stopped_) return;
  if (!focus_) {
    builder_.set_app(now_, std::nullopt);
    return;
  }
  AppState app;
  app.app_class = focus_->app_id.empty() ? "unknown" : focus_->app_id;
  app.category = rules_.categorize(focus_->app_id, focus_->app_id);
  app.title = focus_->title;
  builder_.set_app(now_, std::move(app));
}

void EventSource::set_focus_names(const char* app_id, const char* title, bool by_user) {
  if (app_id == nullptr || *app_id == '\0') {
    set_focus(std::nullopt, by_user);
    return;
  }
  Focus f{clean_text(app_id, kMaxClassBytes), std::nullopt};
  if (opts_.collect_titles && title && *title) f.title = clean_text(title, kMaxTitleBytes);
  set_focus(std::move(f), by_user);
}

void EventSource::on_idle(bool idle) {
  if (stopped_) return;
  if (idle) {
    builder_.begin_idle(now_, opts_.idle_threshold_s);
  } else {
    builder_.end_idle(now_, 0);
    last_input_ = now_;
  }
}

void EventSource::pump(Instant now) {
  now_ = std::max(now_, now);
  if (lost_) return;
  if (!pump_events()) lose(now_);
}

void EventSource::lose(Instant now) {
  if (lost_) return;
  lost_ = true;
  if (!stopped_) {
    final_ = builder_.stop(now);
    stopped_ = true;
  }
  update_status();
}

Status EventSource::dispatch(Instant now) {
  pump(now);
  if (lost_) return make_error(Errc::io, "lost the desktop session; activity is no longer recorded");
  return ok_status();
}

std::vector<ActivitySpan> EventSource::checkpoint(Instant now) {
  pump(now);
  std::vector<ActivitySpan> out = std::move(final_);
  final_.clear();
  if (stopped_) return out;
  // The idle notice comes threshold seconds after the last input and may still claim the stretch
  // since then: hold back at most that much (less when input is known to have happened since).
  std::int64_t quiet = 0;
  if (idle_watched_ && !builder_.idle()) quiet = std::clamp<std::int64_t>(now - last_input_, 0, opts_.idle_threshold_s);
  auto spans = builder_.checkpoint(now, quiet);
  out.insert(out.end(), std::make_move_iterator(spans.begin()), std::make_move_iterator(spans.end()));
  return out;
}

std::vector<ActivitySpan> EventSource::stop(Instant now) {
  pump(now);
  std::vector<ActivitySpan> out = std::move(final_);
  final_.clear();
  if (stopped_) return out;
  auto spans = builder_.stop(now);
  out.insert(out.end(), std::make_move_iterator(spans.begin()), std::make_move_iterator(spans.end()));
  stopped_ = true;
  return out;
}

void EventSource::set_collect_titles(bool on, Instant now) {
  pump(now);
  if (opts_.collect_titles == on) return;
  opts_.collect_titles = on;
  update_status();
  if (!on) {
    builder_.drop_titles();
    if (focus_) focus_->title.reset();
    if (focus_) set_focus(focus_, false);
    return;
  }
  if (!stopped_ && !lost_) refetch_titles();
}

void EventSource::set_rules(CategoryRules rules, Instant now) {
  pump(now);
  rules_ = std::move(rules);
  set_focus(focus_, false);
}

}  // namespace cairn::activity
