// IdleWatcher: XSync IDLETIME alarms, or the MIT-SCREEN-SAVER fallback (see idle.hpp).
#include "idle.hpp"

#include <xcb/screensaver.h>

#include <algorithm>
#include <cstring>

#include "x_util.hpp"

namespace cairn::activity {

namespace {

std::int64_t to_int64(xcb_sync_int64_t v) {
  return static_cast<std::int64_t>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(v.hi)) << 32) | v.lo);
}
xcb_sync_int64_t from_int64(std::int64_t v) {
  return {static_cast<std::int32_t>(v >> 32), static_cast<std::uint32_t>(v & 0xFFFFFFFFu)};
}

// Walks the SYSTEMCOUNTER list by hand: libxcb's xcb_sync_systemcounter_next() pads each entry
// wrongly (names come out shifted, e.g. "LETIME"), so its iterator cannot be trusted. Each entry is
// COUNTER (4 bytes), resolution INT64 (8), name length CARD16 (2), the name, padded to 4 bytes.
xcb_sync_counter_t find_counter(const xcb_sync_list_system_counters_reply_t* list, std::string_view wanted) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(list + 1);
  const auto* end = reinterpret_cast<const std::uint8_t*>(list) + 32 + std::size_t{list->length} * 4;
  for (std::uint32_t i = 0; i < list->counters_len; ++i) {
    if (end - p < 14) break;
    xcb_sync_counter_t counter;
    std::uint16_t name_len;
    std::memcpy(&counter, p, sizeof counter);
    std::memcpy(&name_len, p + 12, sizeof name_len);
    if (static_cast<std::size_t>(end - p) < 14u + name_len) break;
    std::string_view name(reinterpret_cast<const char*>(p + 14), name_len);
    if (name == wanted) return counter;
    p += (14u + name_len + 3u) & ~std::size_t{3};
  }
  return XCB_NONE;
}

}  // namespace

IdleWatcher::IdleWatcher(xcb_connection_t* c, xcb_window_t root, std::int64_t threshold_s,
                         bool force_screensaver, std::int64_t check_s)
    : c_(c), root_(root), threshold_ms_(std::max<std::int64_t>(threshold_s, 1) * 1000) {
  // While idle the fallback must look again before a single input could age past the threshold.
  check_ms_ = std::clamp<std::int64_t>(check_s * 1000, 500, std::max<std::int64_t>(threshold_ms_ / 2, 500));
  if (!force_screensaver && setup_sync()) return;
  if (setup_screensaver()) return;
  mechanism_ = Mechanism::unavailable;
  status_ = "idle detection unavailable: the X server offers neither SYNC IDLETIME nor MIT-SCREEN-SAVER; "
            "all time with an active window counts as active";
}

IdleWatcher::~IdleWatcher() {
  if (mechanism_ == Mechanism::sync_alarms && !xcb_connection_has_error(c_)) {
    xcb_sync_destroy_alarm(c_, idle_alarm_);
    xcb_sync_destroy_alarm(c_, active_alarm_);
    xcb_flush(c_);
  }
}

bool IdleWatcher::setup_sync() {
  const xcb_query_extension_reply_t* ext = xcb_get_extension_data(c_, &xcb_sync_id);
  if (ext == nullptr || !ext->present) {
    status_ = "the X server has no SYNC extension; ";
    return false;
  }
  sync_event_base_ = ext->first_event;
  xcb_generic_error_t* err = nullptr;
  x::Reply<xcb_sync_initialize_reply_t> init(
      xcb_sync_initialize_reply(c_, xcb_sync_initialize(c_, XCB_SYNC_MAJOR_VERSION, XCB_SYNC_MINOR_VERSION), &err));
  std::free(err);
  if (!init) {
    status_ = "SYNC did not initialise; ";
    return false;
  }
  err = nullptr;
  x::Reply<xcb_sync_list_system_counters_reply_t> list(
      xcb_sync_list_system_counters_reply(c_, xcb_sync_list_system_counters(c_), &err));
  std::free(err);
  if (!list) {
    status_ = "SYNC lists no system counters; ";
    return false;
  }
  counter_ = find_counter(list.get(), "IDLETIME");
  if (counter_ == XCB_NONE) {
    status_ = "SYNC has no IDLETIME counter; ";
    return false;
  }

  auto make_alarm = [&](xcb_sync_testtype_t test, std::int64_t value) {
    xcb_sync_alarm_t id = xcb_generate_id(c_);
    xcb_sync_create_alarm_value_list_t v{};
    v.counter = counter_;
    v.valueType = XCB_SYNC_VALUETYPE_ABSOLUTE;
    v.value = from_int64(value);
    v.testType = test;
    v.delta = from_int64(0);
    v.events = 1;
    std::uint32_t mask = XCB_SYNC_CA_COUNTER | XCB_SYNC_CA_VALUE_TYPE | XCB_SYNC_CA_VALUE |
                         XCB_SYNC_CA_TEST_TYPE | XCB_SYNC_CA_DELTA | XCB_SYNC_CA_EVENTS;
    xcb_generic_error_t* e = xcb_request_check(c_, xcb_sync_create_alarm_aux_checked(c_, id, mask, &v));
    bool ok = e == nullptr;
    std::free(e);
    return ok ? id : static_cast<xcb_sync_alarm_t>(XCB_NONE);
  };
  idle_alarm_ = make_alarm(XCB_SYNC_TESTTYPE_POSITIVE_TRANSITION, threshold_ms_);
  active_alarm_ = make_alarm(XCB_SYNC_TESTTYPE_NEGATIVE_TRANSITION, threshold_ms_ - 1);
  if (idle_alarm_ == XCB_NONE || active_alarm_ == XCB_NONE) {
    if (idle_alarm_ != XCB_NONE) xcb_sync_destroy_alarm(c_, idle_alarm_);
    if (active_alarm_ != XCB_NONE) xcb_sync_destroy_alarm(c_, active_alarm_);
    status_ = "SYNC refused the idle alarms; ";
    return false;
  }
  mechanism_ = Mechanism::sync_alarms;
  status_ = "idle detection: XSync IDLETIME alarms at " + std::to_string(threshold_ms_ / 1000) +
            " s (event driven)";
  return true;
}

bool IdleWatcher::setup_screensaver() {
  const xcb_query_extension_reply_t* ext = xcb_get_extension_data(c_, &xcb_screensaver_id);
  if (ext == nullptr || !ext->present) return false;
  if (!query_screensaver()) return false;
  std::string why = std::move(status_);
  mechanism_ = Mechanism::screensaver_query;
  status_ = why + "idle detection: MIT-SCREEN-SAVER query when idle could begin, then every " +
            std::to_string(check_ms_) + " ms while idle only";
  return true;
}

std::optional<std::int64_t> IdleWatcher::query_screensaver() {
  xcb_generic_error_t* err = nullptr;
  x::Reply<xcb_screensaver_query_info_reply_t> r(
      xcb_screensaver_query_info_reply(c_, xcb_screensaver_query_info(c_, root_), &err));
  std::free(err);
  if (!r) return std::nullopt;
  return static_cast<std::int64_t>(r->ms_since_user_input);
}

std::optional<std::int64_t> IdleWatcher::idle_ms() {
  if (mechanism_ == Mechanism::screensaver_query) return query_screensaver();
  if (mechanism_ != Mechanism::sync_alarms) return std::nullopt;
  xcb_generic_error_t* err = nullptr;
  x::Reply<xcb_sync_query_counter_reply_t> r(
      xcb_sync_query_counter_reply(c_, xcb_sync_query_counter(c_, counter_), &err));
  std::free(err);
  if (!r) return std::nullopt;
  return to_int64(r->counter_value);
}

IdleWatcher::Transition IdleWatcher::initial() {
  Transition t;
  if (mechanism_ == Mechanism::screensaver_query) return check_screensaver();
  if (mechanism_ != Mechanism::sync_alarms) return t;
  auto ms = idle_ms();
  if (ms && *ms >= threshold_ms_) {
    idle_ = true;
    t = {Change::became_idle, *ms / 1000};
  }
  return t;
}

bool IdleWatcher::handle_event(const xcb_generic_event_t* ev, Transition& out) {
  if (mechanism_ != Mechanism::sync_alarms) return false;
  if ((ev->response_type & 0x7F) != sync_event_base_ + XCB_SYNC_ALARM_NOTIFY) return false;
  const auto* an = reinterpret_cast<const xcb_sync_alarm_notify_event_t*>(ev);
  std::int64_t value = std::max<std::int64_t>(to_int64(an->counter_value), 0);
  out = {};
  if (an->alarm == idle_alarm_ && !idle_) {
    idle_ = true;
    out = {Change::became_idle, value / 1000};
  } else if (an->alarm == active_alarm_ && idle_) {
    idle_ = false;
    out = {Change::became_active, value / 1000};
  }
  return an->alarm == idle_alarm_ || an->alarm == active_alarm_;
}

IdleWatcher::Transition IdleWatcher::check_screensaver() {
  Transition t;
  auto ms = idle_ms();
  auto now = Steady::now();
  if (!ms) {
    next_check_ = now + std::chrono::milliseconds(check_ms_);
    return t;
  }
  if (!idle_ && *ms >= threshold_ms_) {
    idle_ = true;
    t = {Change::became_idle, *ms / 1000};
  } else if (idle_ && *ms < threshold_ms_) {
    // check_ms_ <= threshold/2, so any input since the last look still reads below the threshold.
    idle_ = false;
    t = {Change::became_active, *ms / 1000};
  }
  // Not idle: the earliest moment idle can begin. Idle: look again soon for returning input.
  std::int64_t wait = idle_ ? check_ms_ : threshold_ms_ - *ms + 10;
  next_check_ = now + std::chrono::milliseconds(wait);
  return t;
}

IdleWatcher::Transition IdleWatcher::on_timer() {
  if (mechanism_ != Mechanism::screensaver_query || !next_check_ || Steady::now() < *next_check_) return {};
  return check_screensaver();
}

void IdleWatcher::nudge() {
  if (mechanism_ == Mechanism::screensaver_query && idle_) next_check_ = Steady::now();
}

int IdleWatcher::timeout_ms() const {
  if (mechanism_ != Mechanism::screensaver_query || !next_check_) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*next_check_ - Steady::now()).count();
  return static_cast<int>(std::clamp<std::int64_t>(left, 0, 24 * 3600 * 1000));
}

}  // namespace cairn::activity
