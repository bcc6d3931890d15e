// SpanBuilder: merging, idle backdating and checkpoint cuts (rules in spans.hpp).
#include "cairn/activity/spans.hpp"

#include <algorithm>

namespace cairn::activity {

Instant SpanBuilder::clamp(Instant t) {
  if (!started_) {
    started_ = true;
    latest_ = frontier_ = t;
    return t;
  }
  latest_ = std::max(latest_, t);
  return latest_;
}

bool SpanBuilder::same_kind(const ActivitySpan& a, const ActivitySpan& b) {
  return a.idle == b.idle && a.app_class == b.app_class && a.category == b.category && a.title == b.title;
}

std::optional<ActivitySpan> SpanBuilder::current_kind() const {
  ActivitySpan span;
  if (idle_) {
    span.idle = true;
    span.category = "idle";
    return span;
  }
  if (!app_) return std::nullopt;
  span.app_class = app_->app_class;
  span.category = app_->category;
  span.title = app_->title;
  return span;
}

void SpanBuilder::push_closed(ActivitySpan span) {
  if (!closed_.empty() && same_kind(closed_.back(), span) && closed_.back().end == span.start) {
    closed_.back().end = span.end;
    return;
  }
  closed_.push_back(std::move(span));
}

void SpanBuilder::close_open(Instant at) {
  if (!open_) return;
  ActivitySpan span = std::move(*open_);
  open_.reset();
  if (at <= span.start) return;  // shorter than a second: dropped, its second goes to what follows
  span.end = at;
  push_closed(std::move(span));
}

void SpanBuilder::start_open(Instant at) {
  auto kind = current_kind();
  if (!kind) return;  // no active window: a gap
  if (!closed_.empty() && same_kind(closed_.back(), *kind) && closed_.back().end == at) {
    open_ = std::move(closed_.back());  // resume the span that just closed (A -> B -> A in 1 s)
    closed_.pop_back();
    return;
  }
  kind->start = kind->end = at;
  kind->utc_offset = clock_->utc_offset(at);
  open_ = std::move(kind);
}

void SpanBuilder::truncate_closed(Instant at) {
  while (!closed_.empty() && closed_.back().start >= at) closed_.pop_back();
  if (!closed_.empty() && closed_.back().end > at) closed_.back().end = at;
}

void SpanBuilder::set_app(Instant now, std::optional<AppState> app) {
  if (stopped_) return;
  now = clamp(now);
  if (app_ == app) return;
  app_ = std::move(app);
  if (idle_) return;  // remembered; its span starts when the user comes back
  close_open(now);
  start_open(now);
}

void SpanBuilder::begin_idle(Instant now, std::int64_t quiet_seconds) {
  if (stopped_) return;
  now = clamp(now);
  if (idle_) return;
  Instant start = std::max(now - std::max<std::int64_t>(quiet_seconds, 0), frontier_);
  close_open(now);
  truncate_closed(start);  // the quiet stretch before the alarm was idle, not work
  idle_ = true;
  start_open(start);
}

void SpanBuilder::end_idle(Instant now, std::int64_t ago_seconds) {
  if (stopped_) return;
  now = clamp(now);
  if (!idle_) return;
  Instant at = std::max(now - std::max<std::int64_t>(ago_seconds, 0), frontier_);
  if (open_) at = std::max(at, open_->start);
  close_open(at);
  idle_ = false;
  start_open(at);
}

std::vector<ActivitySpan> SpanBuilder::checkpoint(Instant now, std::int64_t quiet_seconds) {
  std::vector<ActivitySpan> out;
  if (stopped_ || !started_) return out;
  now = clamp(now);
  Instant cut = idle_ ? now : now - std::max<std::int64_t>(quiet_seconds, 0);
  cut = std::clamp(cut, frontier_, now);

  std::size_t kept = 0;
  for (auto& span : closed_) {
    if (span.end <= cut) {
      out.push_back(std::move(span));
    } else if (span.start < cut) {
      ActivitySpan head = span;
      head.end = cut;
      out.push_back(std::move(head));
      span.start = cut;
      span.utc_offset = clock_->utc_offset(cut);
      closed_[kept++] = std::move(span);
    } else {
      closed_[kept++] = std::move(span);
    }
  }
  closed_.resize(kept);

  if (open_ && open_->start < cut) {
    ActivitySpan head = *open_;
    head.end = cut;
    out.push_back(std::move(head));
    open_->start = open_->end = cut;
    open_->utc_offset = clock_->utc_offset(cut);
  }
  frontier_ = cut;
  return out;
}

std::vector<ActivitySpan> SpanBuilder::stop(Instant now) {
  std::vector<ActivitySpan> out;
  if (stopped_ || !started_) {
    stopped_ = true;
    return out;
  }
  now = clamp(now);
  close_open(now);
  out = std::move(closed_);
  closed_.clear();
  frontier_ = now;
  stopped_ = true;
  return out;
}

void SpanBuilder::drop_titles() {
  if (app_) app_->title.reset();
  std::vector<ActivitySpan> merged;
  merged.reserve(closed_.size());
  for (auto& span : closed_) {
    span.title.reset();
    if (!merged.empty() && same_kind(merged.back(), span) && merged.back().end == span.start)
      merged.back().end = span.end;
    else
      merged.push_back(std::move(span));
  }
  closed_ = std::move(merged);
  if (open_) {
    open_->title.reset();
    if (!closed_.empty() && same_kind(closed_.back(), *open_) && closed_.back().end == open_->start) {
      open_->start = closed_.back().start;
      open_->utc_offset = closed_.back().utc_offset;
      closed_.pop_back();
    }
  }
}

}  // namespace cairn::activity
