// Scrubbing decrypted data (see scrub.hpp). crypto::memzero (sodium_memzero) cannot be optimised away.
#include "scrub.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include "cairn/crypto/sodium.hpp"

namespace cairn::ui {
namespace {

void zero_string(std::string& s) {
  if (!s.empty()) crypto::memzero(s.data(), s.size());
  s.clear();
  s.shrink_to_fit();
}

template <class T>
void zero_pod(std::vector<T>& v) {
  if (!v.empty()) crypto::memzero(v.data(), v.size() * sizeof(T));
  v.clear();
  v.shrink_to_fit();
}

void scrub_contribution(records::Contribution& c) {
  zero_string(c.text);
  for (auto& s : c.skills) zero_string(s);
  for (auto& s : c.links) zero_string(s);
}

void scrub_goal(store::Goal& g) {
  for (auto* r : {&g.current}) {
    zero_string(r->title);
    zero_string(r->description);
  }
  for (auto& r : g.history) {
    zero_string(r.title);
    zero_string(r.description);
  }
}

// A part may be scrubbed only when nobody else holds it (the UI dropped its snapshot first).
template <class T>
T* sole(std::shared_ptr<const T>& p) {
  return p && p.use_count() == 1 ? const_cast<T*>(p.get()) : nullptr;
}

void scrub_timeline(std::shared_ptr<const WeekTimeline>& p) {
  if (auto* t = sole(p)) {
    for (auto& d : t->days) zero_pod(d);
    t->focus_blocks = t->longest_focus_seconds = 0;
  }
  p.reset();
}

// Overwrites a week held only here; its day strips too when nothing else holds them. The week is
// kept (a snapshot being scrubbed keeps its parts) but lets go of its day strips.
void scrub_week(std::shared_ptr<const WeekData>& p) {
  auto* w = sole(p);
  if (!w) return;
  crypto::memzero(w->days.data(), sizeof w->days);
  crypto::memzero(&w->total, sizeof w->total);
  for (auto& c : w->contributions) scrub_contribution(c);
  if (w->reflection) {
    zero_string(w->reflection->changed);
    zero_string(w->reflection->helped);
    zero_string(w->reflection->judgment);
  }
  for (auto& s : w->prefill) zero_string(s);
  scrub_timeline(w->timeline);
}

}  // namespace

void scrub(std::string& s) { zero_string(s); }

void scrub(std::map<std::int64_t, std::shared_ptr<const WeekData>>& weeks) {
  for (auto& [day, w] : weeks) scrub_week(w);
  weeks.clear();
}

void scrub(std::map<std::int64_t, std::shared_ptr<const WeekTimeline>>& timelines) {
  for (auto& [day, t] : timelines) scrub_timeline(t);
  timelines.clear();
}

void scrub(Journal& j) {
  for (auto& c : j.contributions) scrub_contribution(c);
  for (auto& o : j.outcomes) scrub(o.note);
  for (auto& g : j.goals) scrub_goal(g);
  j = Journal{};
}

void scrub(Snapshot& s) {
  // The read-ahead weeks first: dropping the cache's hold lets the week on screen be scrubbed.
  if (auto* c = sole(s.weeks)) {
    scrub(c->weeks);
    c->bytes = 0;
  }
  scrub_week(s.week);
  if (auto* y = sole(s.year)) {
    for (auto& [day, r] : y->days) crypto::memzero(&r, sizeof r);
    zero_pod(y->weeks);
  }
  if (auto* c = sole(s.contributions)) {
    for (auto& e : c->entries) {
      scrub_contribution(e.c);
      for (auto& o : e.outcomes) scrub(o.note);
    }
    for (auto& k : c->known_skills) scrub(k);
  }
  if (auto* e = sole(s.evidence)) {
    for (auto& c : e->commits) {
      scrub(c.repo);
      if (c.message) scrub(*c.message);
    }
    zero_pod(e->meetings);
  }
  if (auto* g = sole(s.goals)) {
    for (auto& goal : g->goals) scrub_goal(goal);
  }
  if (auto* k = sole(s.skills)) {
    for (auto& r : k->rows) scrub(r.name);
  }
  if (auto* r = sole(s.review)) {
    for (auto& sec : r->sections)
      for (auto& sen : sec.sentences) {
        scrub(sen.text);
        for (auto& e : sen.evidence) scrub(e.label);
      }
  }
  if (auto* a = sole(s.apps)) {
    for (auto& x : a->apps) {
      scrub(x.app);
      scrub(x.category);
      x.seconds = 0;
    }
    for (auto& seg : a->timeline) scrub(seg.app), seg.from = seg.to = 0;
    a->total_seconds = 0;
  }
}

void scrub_imgui_text_state() {
  ImGuiContext* g = ImGui::GetCurrentContext();
  if (!g) return;
  ImGuiInputTextState& st = g->InputTextState;
  if (!st.TextW.empty()) crypto::memzero(st.TextW.Data, static_cast<std::size_t>(st.TextW.Size) * sizeof(ImWchar));
  if (!st.TextA.empty()) crypto::memzero(st.TextA.Data, static_cast<std::size_t>(st.TextA.Size));
  if (!st.InitialTextA.empty()) crypto::memzero(st.InitialTextA.Data, static_cast<std::size_t>(st.InitialTextA.Size));
  crypto::memzero(&st.Stb, sizeof st.Stb);
  st.ClearFreeMemory();
  st.ID = 0;
}

}  // namespace cairn::ui
