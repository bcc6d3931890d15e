// ActivityMonitor: the X11 event loop body of the activity source (contract in monitor.hpp).
#include "cairn/activity/monitor.hpp"

#include <xcb/xcb.h>

#include <cstdlib>

#include "idle.hpp"
#include "x_util.hpp"

namespace cairn::activity {

struct ActivityMonitor::Impl {
  Impl(const Clock& clk, CategoryRules r, MonitorOptions o)
      : clock(&clk), rules(std::move(r)), opts(std::move(o)), builder(clk) {}
  ~Impl() {
    idle.reset();  // destroys its alarms while the connection still exists
    if (c != nullptr) xcb_disconnect(c);
  }

  const Clock* clock;
  CategoryRules rules;
  MonitorOptions opts;
  SpanBuilder builder;
  xcb_connection_t* c = nullptr;
  xcb_window_t root = XCB_NONE;
  xcb_atom_t net_active_window = XCB_ATOM_NONE;
  xcb_atom_t net_wm_name = XCB_ATOM_NONE;
  std::unique_ptr<IdleWatcher> idle;
  xcb_window_t active = XCB_NONE;   // the current _NET_ACTIVE_WINDOW
  xcb_window_t watched = XCB_NONE;  // the window whose property changes we selected
  bool lost = false;                // the X connection broke
  bool stopped = false;             // stop() was called
  std::vector<ActivitySpan> final_spans;  // closed when the connection broke, not yet handed out
  std::string status;

  void update_status() {
    status = idle->status() + (opts.collect_titles ? "; window titles: collected" : "; window titles: off");
    if (lost) status = "lost the connection to the X server; " + status;
  }

  void watch(xcb_window_t w) {
    if (w == watched) return;
    unwatch();
    if (w == XCB_NONE || w == root) return;
    // Unchecked: the window may already be gone; the error then arrives as an ignored event.
    const std::uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
    xcb_change_window_attributes(c, w, XCB_CW_EVENT_MASK, &mask);
    watched = w;
  }

  // confirm: wait for the server to have applied the new mask (a round trip), so no event of the
  // window's arrives afterwards (titles switched off must mean no title event at all from then on).
  void unwatch(bool confirm = false) {
    if (watched == XCB_NONE) return;
    const std::uint32_t mask = XCB_EVENT_MASK_NO_EVENT;
    if (confirm) {
      // The window may be gone (BadWindow): then nothing more can come from it either.
      if (xcb_generic_error_t* err =
              xcb_request_check(c, xcb_change_window_attributes_checked(c, watched, XCB_CW_EVENT_MASK, &mask)))
        std::free(err);
    } else {
      xcb_change_window_attributes(c, watched, XCB_CW_EVENT_MASK, &mask);
    }
    watched = XCB_NONE;
  }

  // Reads what is in the foreground and tells the builder. Titles are requested from the server
  // only with the consent: without it no title ever enters this process.
  void refresh_app(Instant now) {
    if (active == XCB_NONE) {
      unwatch();
      builder.set_app(now, std::nullopt);
      return;
    }
    auto class_cookie = x::request_wm_class(c, active);
    std::optional<x::TitleCookies> title_cookies;
    if (opts.collect_titles) title_cookies = x::request_title(c, active, net_wm_name);
    bool gone = false;
    auto wm_class = x::take_wm_class(c, class_cookie, kMaxClassBytes, &gone);
    std::optional<std::string> title;
    if (title_cookies) title = x::take_title(c, *title_cookies, kMaxTitleBytes);
    if (gone) {  // destroyed between the event and our question: a gap until the next change
      unwatch();
      builder.set_app(now, std::nullopt);
      return;
    }
    AppState app;
    if (wm_class) {
      app.app_class = wm_class->app_class.empty() ? wm_class->instance : wm_class->app_class;
      app.category = rules.categorize(wm_class->instance, wm_class->app_class);
    } else {
      app.app_class = "unknown";  // no WM_CLASS (yet): watch for it being set late
      app.category = rules.categorize({}, {});
    }
    if (opts.collect_titles) app.title = std::move(title);  // nullopt: the window has no title
    // Property changes of the active window matter only for titles or a late WM_CLASS; otherwise
    // we do not even listen (every selected window wakes the daemon on each of its changes).
    if (opts.collect_titles || !wm_class)
      watch(active);
    else
      unwatch();
    builder.set_app(now, std::move(app));
  }

  void on_active_window_changed(Instant now) {
    xcb_window_t w = x::read_window_property(c, root, net_active_window).value_or(XCB_NONE);
    if (w == active) return;  // re-set to the same window: nothing changed
    active = w;
    refresh_app(now);
  }

  void apply(IdleWatcher::Transition t, Instant now) {
    if (t.change == IdleWatcher::Change::became_idle) builder.begin_idle(now, t.seconds);
    if (t.change == IdleWatcher::Change::became_active) builder.end_idle(now, t.seconds);
  }

  void handle(const xcb_generic_event_t* ev, Instant now) {
    std::uint8_t type = ev->response_type & 0x7F;
    if (type == 0) return;  // an X error for a request about a vanished window: harmless
    if (type == XCB_PROPERTY_NOTIFY) {
      const auto* pn = reinterpret_cast<const xcb_property_notify_event_t*>(ev);
      if (pn->window == root) {
        if (pn->atom == net_active_window) {
          idle->nudge();  // a focus change hints the user may be back (fallback mechanism only)
          on_active_window_changed(now);
        }
      } else if (pn->window == active && pn->window == watched) {
        if (pn->atom == XCB_ATOM_WM_CLASS ||
            (opts.collect_titles && (pn->atom == net_wm_name || pn->atom == XCB_ATOM_WM_NAME)))
          refresh_app(now);
      }
      return;
    }
    IdleWatcher::Transition t;
    if (idle->handle_event(ev, t)) apply(t, now);
  }

  // Handles everything xcb has read or can read without blocking, then flushes our requests.
  void pump(Instant now) {
    if (lost) return;
    while (xcb_generic_event_t* ev = xcb_poll_for_event(c)) {
      if (!stopped) handle(ev, now);
      std::free(ev);
    }
    xcb_flush(c);
    if (xcb_connection_has_error(c)) {
      lost = true;
      if (!stopped) {
        final_spans = builder.stop(now);
        stopped = true;
      }
      update_status();
    }
  }
};

ActivityMonitor::ActivityMonitor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ActivityMonitor::~ActivityMonitor() = default;

Result<std::unique_ptr<ActivityMonitor>> ActivityMonitor::open(const Clock& clock, CategoryRules rules,
                                                               MonitorOptions options) {
  auto impl = std::make_unique<Impl>(clock, std::move(rules), std::move(options));
  int screen_no = 0;
  const char* name = impl->opts.display.empty() ? nullptr : impl->opts.display.c_str();
  impl->c = xcb_connect(name, &screen_no);
  if (xcb_connection_has_error(impl->c)) {
    const char* shown = name ? name : std::getenv("DISPLAY");
    return make_error(Errc::not_found, std::string("cannot connect to the X display \"") +
                                           (shown ? shown : "") +
                                           "\"; the activity source needs an X11 session (DISPLAY)");
  }
  xcb_connection_t* c = impl->c;
  xcb_prefetch_extension_data(c, &xcb_sync_id);

  auto it = xcb_setup_roots_iterator(xcb_get_setup(c));
  for (int i = 0; i < screen_no && it.rem > 0; ++i) xcb_screen_next(&it);
  if (it.rem == 0) return make_error(Errc::refused, "the X display has no screen " + std::to_string(screen_no));
  impl->root = it.data->root;

  impl->net_active_window = x::intern(c, "_NET_ACTIVE_WINDOW");
  impl->net_wm_name = x::intern(c, "_NET_WM_NAME");
  if (impl->net_active_window == XCB_ATOM_NONE)
    return make_error(Errc::refused, "the X server refused to name _NET_ACTIVE_WINDOW");

  const std::uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
  xcb_generic_error_t* err =
      xcb_request_check(c, xcb_change_window_attributes_checked(c, impl->root, XCB_CW_EVENT_MASK, &mask));
  if (err != nullptr) {
    std::free(err);
    return make_error(Errc::refused, "the X server refused property-change events on the root window");
  }

  impl->idle = std::make_unique<IdleWatcher>(c, impl->root, impl->opts.idle_threshold_s,
                                             impl->opts.force_screensaver_idle, impl->opts.screensaver_check_s);
  impl->update_status();

  Instant now = clock.now();
  impl->active = x::read_window_property(c, impl->root, impl->net_active_window).value_or(XCB_NONE);
  impl->refresh_app(now);
  impl->apply(impl->idle->initial(), now);
  impl->pump(now);
  if (impl->lost) return make_error(Errc::io, "lost the connection to the X server while starting");
  return std::unique_ptr<ActivityMonitor>(new ActivityMonitor(std::move(impl)));
}

int ActivityMonitor::fd() const { return xcb_get_file_descriptor(impl_->c); }

int ActivityMonitor::poll_timeout_ms() const {
  if (impl_->lost || impl_->stopped) return -1;
  return impl_->idle->timeout_ms();
}

Status ActivityMonitor::dispatch(Instant now) {
  Impl& m = *impl_;
  if (!m.lost && !m.stopped) m.apply(m.idle->on_timer(), now);
  m.pump(now);
  if (m.lost) return make_error(Errc::io, "lost the connection to the X server; activity is no longer recorded");
  return ok_status();
}

std::vector<ActivitySpan> ActivityMonitor::checkpoint(Instant now) {
  Impl& m = *impl_;
  m.pump(now);
  std::vector<ActivitySpan> out = std::move(m.final_spans);
  m.final_spans.clear();
  if (m.stopped) return out;
  // Hold back the stretch since the last input: an idle alarm may still claim it (spans.hpp).
  std::int64_t quiet = 0;
  if (!m.builder.idle())
    if (auto ms = m.idle->idle_ms()) quiet = *ms / 1000;
  auto spans = m.builder.checkpoint(now, quiet);
  out.insert(out.end(), std::make_move_iterator(spans.begin()), std::make_move_iterator(spans.end()));
  m.pump(now);  // the round trip may have queued events; the caller's poll() would not see them
  return out;
}

std::vector<ActivitySpan> ActivityMonitor::stop(Instant now) {
  Impl& m = *impl_;
  m.pump(now);
  std::vector<ActivitySpan> out = std::move(m.final_spans);
  m.final_spans.clear();
  if (m.stopped) return out;
  auto spans = m.builder.stop(now);
  out.insert(out.end(), std::make_move_iterator(spans.begin()), std::make_move_iterator(spans.end()));
  m.stopped = true;
  m.unwatch();
  if (!m.lost) xcb_flush(m.c);
  return out;
}

void ActivityMonitor::set_collect_titles(bool on, Instant now) {
  Impl& m = *impl_;
  m.pump(now);
  if (m.opts.collect_titles == on) return;
  m.opts.collect_titles = on;
  if (!on) m.builder.drop_titles();
  m.update_status();
  if (m.lost || m.stopped) return;
  if (!on) m.unwatch(true);  // confirmed: no title event of the window may follow (refresh re-watches if needed)
  m.refresh_app(now);
  m.pump(now);  // events queued before the confirmation are dropped by the builder having no titles
}

void ActivityMonitor::set_rules(CategoryRules rules, Instant now) {
  Impl& m = *impl_;
  m.pump(now);
  m.rules = std::move(rules);
  if (m.lost || m.stopped) return;
  m.refresh_app(now);
  m.pump(now);
}

const std::string& ActivityMonitor::status() const { return impl_->status; }
bool ActivityMonitor::idle() const { return impl_->builder.idle(); }
bool ActivityMonitor::collect_titles() const { return impl_->opts.collect_titles; }

}  // namespace cairn::activity
