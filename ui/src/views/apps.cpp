// Applications: time per application for a day, this week, this month or chosen dates (the same
// numbers as `cairn apps --range`, both from views::apps_in_days), one day's timeline that zooms
// with the mouse wheel or the buttons, each stretch naming its application on hover, a stretch of
// it selected by dragging (or typed) and marked as a break or moved to a category (the worker
// applies it with Store::mark_activity, as `cairn activity mark`), and the category rules, edited
// here and checked by the daemon's own parser (cairn_activity_rules).
#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <optional>

#include "../format.hpp"
#include "../scrub.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "../zoom.hpp"
#include "cairn/activity_rules/rules.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

const char* kCategoryNames[] = {"Development", "Communication", "Meetings (apps)", "Documents", "AI assistant",
                                "Browsing", "Other", "Calendar meeting"};
constexpr std::size_t kTopRows = 15;

std::string segment_name(const AppSegment& seg) {
  if (seg.kind == 7) return "calendar meeting";
  if (seg.kind == 8) return "away (idle, or marked as a break)";
  return seg.app + " (" + kCategoryNames[std::clamp(seg.kind, 0, 6)] + ")";
}

bool parse_date(const std::string& s, std::int64_t& day) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%d-%u-%u", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  day = days_from_civil(y, m, d);
  return true;
}

class AppsView final : public View {
 public:
  const char* id() const override { return "apps"; }
  const char* title() const override { return "Applications"; }
  void reset() override {
    requested_ = false;
    editing_rules_ = rules_loaded_ = false;
    rules_text_.clear();
    try_.clear();
    parsed_.reset();
    from_.clear();
    to_.clear();
    zoom_ = DayZoom{};
    clear_selection();
  }

  void draw(const Snapshot& s, Actions& a) override {
    if (!s.apps) {
      if (!requested_) a.send(cmd::ShowApps{week_start_day(s.today), s.today, "this week", s.today});
      requested_ = true;
      w::title("Applications");
      w::muted("Reading your activity\xE2\x80\xA6");
      return;
    }
    const AppsData& d = *s.apps;
    w::title("Applications");
    w::muted("Active time per application (the program in front), idle time left out. Shown for your own "
             "reflection: where the time went, not how well it was spent.");
    ImGui::Dummy(ImVec2(0, px(4)));
    range_row(s, d, a);
    table(d);
    ImGui::Dummy(ImVec2(0, px(8)));
    day_timeline(s, d, a);
    ImGui::Dummy(ImVec2(0, px(8)));
    rules_section(s, a);
  }

 private:
  void send(const AppsData& d, Actions& a, std::int64_t first, std::int64_t last, std::string label, std::int64_t day) {
    if (day != d.day) {
      zoom_ = DayZoom{};
      clear_selection();
    }
    a.send(cmd::ShowApps{first, last, std::move(label), day});
  }

  // Today, this week, this month (so far, as the CLI's ranges), or two dates.
  void range_row(const Snapshot& s, const AppsData& d, Actions& a) {
    int y; unsigned m, dd;
    civil_from_days(s.today, y, m, dd);
    const struct { const char* name; const char* label; std::int64_t first; } presets[] = {
        {"Today", "today", s.today}, {"This week", "this week", week_start_day(s.today)},
        {"This month", "this month", days_from_civil(y, m, 1)}};
    for (int i = 0; i < 3; ++i) {
      if (i) ImGui::SameLine();
      const bool on = d.label == presets[i].label && d.last_day == s.today;
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
      if (ImGui::Button(presets[i].name)) send(d, a, presets[i].first, s.today, presets[i].label, d.day);
      if (on) ImGui::PopStyleColor();
      a.track(std::string("apps.range.") + presets[i].label);
    }
    ImGui::SameLine(0, px(24));
    if (from_.empty() || shown_first_ != d.first_day || shown_last_ != d.last_day) {
      from_ = day_string(d.first_day);
      to_ = day_string(d.last_day);
      shown_first_ = d.first_day;
      shown_last_ = d.last_day;
    }
    ImGui::SetNextItemWidth(px(120));
    ImGui::InputText("##from", &from_);
    a.track("apps.from");
    ImGui::SameLine();
    ImGui::TextUnformatted("to");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(120));
    ImGui::InputText("##to", &to_);
    a.track("apps.to");
    ImGui::SameLine();
    std::int64_t f = 0, t = 0;
    const bool valid = parse_date(from_, f) && parse_date(to_, t) && f <= t && t <= s.today;
    ImGui::BeginDisabled(!valid);
    if (ImGui::Button("Use these dates")) send(d, a, f, t, from_ + ".." + to_, d.day);
    a.track("apps.use_dates");
    ImGui::EndDisabled();
  }

  // The largest applications of the range with their share of the active time.
  void table(const AppsData& d) {
    w::heading("Top applications");
    w::small_muted(hours_text(d.total_seconds) + " active, " + short_date(d.first_day) +
                   (d.last_day != d.first_day ? " to " + short_date(d.last_day) : std::string()) + ".");
    if (d.apps.empty()) {
      w::muted("No activity recorded in these days. If that is unexpected, check Sources: the activity source may be off.");
      return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("##apps", 4, flags)) return;
    ImGui::TableSetupColumn("Application", ImGuiTableColumnFlags_WidthStretch, 3);
    ImGui::TableSetupColumn("Category", ImGuiTableColumnFlags_WidthStretch, 2);
    ImGui::TableSetupColumn("Active time", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("Share", ImGuiTableColumnFlags_WidthStretch, 3);
    ImGui::TableHeadersRow();
    const float top = d.apps.empty() ? 1.0f : static_cast<float>(std::max<std::int64_t>(1, d.apps.front().seconds));
    for (std::size_t i = 0; i < d.apps.size() && i < kTopRows; ++i) {
      const auto& x = d.apps[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(x.app.empty() ? "(unknown)" : x.app.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(x.category.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(hours_text(x.seconds).c_str());
      ImGui::TableNextColumn();
      share_bar(static_cast<float>(x.seconds) / top,
                percent_text(static_cast<double>(x.seconds), static_cast<double>(d.total_seconds)));
    }
    ImGui::EndTable();
    if (d.apps.size() > kTopRows) {
      std::int64_t rest = 0;
      for (std::size_t i = kTopRows; i < d.apps.size(); ++i) rest += d.apps[i].seconds;
      w::small_muted(count_text(static_cast<std::int64_t>(d.apps.size() - kTopRows), "more application", "more applications") +
                     ", " + hours_text(rest) + " in all.");
    }
  }

  static void share_bar(float fraction, const std::string& label) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float lw = ImGui::CalcTextSize("100 %").x + px(8);
    const float bw = std::max(0.0f, ImGui::GetContentRegionAvail().x - lw);
    const float h = ImGui::GetTextLineHeight();
    dl->AddRectFilled(ImVec2(p.x, p.y + h * 0.25f), ImVec2(p.x + bw * std::clamp(fraction, 0.0f, 1.0f), p.y + h * 0.75f),
                      colour::accent(), px(2));
    ImGui::Dummy(ImVec2(bw, h));
    ImGui::SameLine(0, px(6));
    ImGui::TextUnformatted(label.c_str());
  }

  void day_timeline(const Snapshot& s, const AppsData& d, Actions& a);
  void zoom_buttons(Actions& a);
  void draw_strip(const AppsData& d, Actions& a);
  void draw_ticks(ImDrawList* dl, ImVec2 p0, float width, float row_h) const;

  // Marking a stretch (a break, or another category).
  void drag_select(ImVec2 p0, float width);
  void draw_selection(ImDrawList* dl, ImVec2 p0, float width, float row_h) const;
  void mark_row(const Snapshot& s, const AppsData& d, Actions& a);
  void category_popup(const AppsData& d, Actions& a);
  void clear_selection() {
    sel_ = {};
    mark_from_.clear();
    mark_to_.clear();
    bad_time_ = false;
  }
  void show_selection() {
    mark_from_ = clock_text(sel_.from);
    mark_to_ = sel_.to >= 86400 ? std::string("24:00") : clock_text(sel_.to);
    bad_time_ = false;
  }
  void typed_selection() {
    const auto f = parse_clock(mark_from_), t = parse_clock(mark_to_);
    bad_time_ = !f || !t;
    sel_ = bad_time_ ? Stretch{} : Stretch{*f, *t};
  }

  void rules_section(const Snapshot& s, Actions& a);
  void rules_editor(Actions& a);
  void check_rules() {
    auto r = activity_rules::CategoryRules::parse(rules_text_);
    rules_error_ = r.ok() ? std::string() : r.error().message;
    if (r.ok()) parsed_ = std::move(r.value());
    else parsed_.reset();
  }

  bool requested_ = false;
  bool editing_rules_ = false, rules_loaded_ = false;
  std::string rules_text_, rules_error_, try_;
  std::optional<activity_rules::CategoryRules> parsed_;
  std::string from_, to_;
  std::int64_t shown_first_ = 0, shown_last_ = 0;
  DayZoom zoom_;
  Stretch sel_;
  float drag_x0_ = 0;
  bool bad_time_ = false;
  std::string mark_from_, mark_to_;
};

// The day: its date with earlier / later, the zoom buttons, then the strip.
void AppsView::day_timeline(const Snapshot& s, const AppsData& d, Actions& a) {
  w::heading("One day, stretch by stretch");
  if (ImGui::Button("\xE2\x86\x90 Day before")) send(d, a, d.first_day, d.last_day, d.label, d.day - 1);
  a.track("apps.day_prev");
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(date_text(d.day).c_str());
  ImGui::SameLine();
  ImGui::BeginDisabled(d.day >= s.today);
  if (ImGui::Button("Day after \xE2\x86\x92")) send(d, a, d.first_day, d.last_day, d.label, d.day + 1);
  a.track("apps.day_next");
  ImGui::EndDisabled();
  ImGui::SameLine(0, px(24));
  zoom_buttons(a);
  draw_strip(d, a);
  w::small_muted("Scroll the mouse wheel over the strip to zoom around the pointer; the buttons zoom around the middle "
                 "and move earlier or later. Outlined boxes are calendar meetings, the thin grey band time away. Hover a stretch to see its application; "
                 "drag across the strip to select a stretch.");
  mark_row(s, d, a);
}

void AppsView::zoom_buttons(Actions& a) {
  const double mid = (zoom_.from + zoom_.to) / 2;
  if (ImGui::Button(" + ")) zoom_ = zoom_around(zoom_, mid, 0.5);
  a.track("apps.zoom_in");
  w::tooltip("Zoom in");
  ImGui::SameLine();
  if (ImGui::Button(" - ")) zoom_ = zoom_around(zoom_, mid, 2.0);
  a.track("apps.zoom_out");
  w::tooltip("Zoom out");
  ImGui::SameLine();
  ImGui::BeginDisabled(zoom_.whole());
  if (ImGui::Button("\xE2\x86\x90")) zoom_ = pan(zoom_, -zoom_.span() / 3);
  ImGui::SameLine();
  if (ImGui::Button("\xE2\x86\x92")) zoom_ = pan(zoom_, zoom_.span() / 3);
  ImGui::SameLine();
  if (ImGui::Button("Whole day")) zoom_ = DayZoom{};
  a.track("apps.zoom_whole");
  ImGui::EndDisabled();
  ImGui::SameLine(0, px(12));
  ImGui::AlignTextToFramePadding();
  w::small_muted(clock_text(static_cast<std::int32_t>(zoom_.from)) + "\xE2\x80\x93" +
                 (zoom_.to >= kDaySeconds ? std::string("24:00") : clock_text(static_cast<std::int32_t>(zoom_.to))));
}

// Faint hour lines across the strip, their times beneath.
void AppsView::draw_ticks(ImDrawList* dl, ImVec2 p0, float width, float row_h) const {
  auto x_of = [&](double sec) { return p0.x + width * static_cast<float>((sec - zoom_.from) / zoom_.span()); };
  const int step = tick_step(zoom_.span(), static_cast<int>(width / px(70)));
  for (int t = (static_cast<int>(zoom_.from) / step + 1) * step; t < zoom_.to; t += step) {
    const float x = x_of(t);
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + row_h), colour::faint());
    const std::string lbl = clock_text(t);
    const float tw = ImGui::CalcTextSize(lbl.c_str()).x;
    dl->AddText(ImVec2(x - tw / 2, p0.y + row_h + px(3)), colour::muted(), lbl.c_str());
  }
}

void AppsView::draw_strip(const AppsData& d, Actions& a) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float width = ImGui::GetContentRegionAvail().x, row_h = px(34);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##daystrip", ImVec2(width, row_h + ImGui::GetTextLineHeight() + px(4)));
  a.track("apps.strip");
  const bool hovered = ImGui::IsItemHovered();
  const float mx = ImGui::GetIO().MousePos.x;
  auto x_of = [&](double sec) { return p0.x + width * static_cast<float>((sec - zoom_.from) / zoom_.span()); };
  drag_select(p0, width);
  if (hovered) {
    ImGui::SetItemUsingMouseWheel();
    const float wheel = ImGui::GetIO().MouseWheel;
    if (wheel != 0) zoom_ = zoom_around(zoom_, zoom_.from + (mx - p0.x) / width * zoom_.span(), wheel > 0 ? 0.7 : 1 / 0.7);
  }
  dl->PushClipRect(p0, ImVec2(p0.x + width, p0.y + row_h + ImGui::GetTextLineHeight() + px(4)), true);
  dl->AddRectFilled(p0, ImVec2(p0.x + width, p0.y + row_h), IM_COL32(0xEE, 0xEA, 0xE3, 255), px(3));
  const AppSegment* under = nullptr;
  draw_ticks(dl, p0, width, row_h);
  for (const auto& seg : d.timeline) {
    if (seg.to <= zoom_.from || seg.from >= zoom_.to) continue;
    const float x0 = x_of(seg.from), x1 = std::max(x_of(seg.to), x0 + 1.0f);
    if (seg.kind == 7) dl->AddRect(ImVec2(x0, p0.y - px(1)), ImVec2(x1, p0.y + row_h + px(1)), colour::calendar_meeting(), 0, 0, px(1.5f));
    else if (seg.kind == 8) dl->AddRectFilled(ImVec2(x0, p0.y + row_h * 0.4f), ImVec2(x1, p0.y + row_h * 0.6f), colour::faint());
    else dl->AddRectFilled(ImVec2(x0, p0.y + px(3)), ImVec2(x1, p0.y + row_h - px(3)), colour::category(seg.kind));
    if (hovered && mx >= x0 && mx < x1 && (!under || seg.kind != 7)) under = &seg;
  }
  draw_selection(dl, p0, width, row_h);
  dl->PopClipRect();
  if (under)
    w::tooltip(clock_text(under->from) + "\xE2\x80\x93" + clock_text(under->to) + "  " + segment_name(*under) + ", " +
               hours_text(under->to - under->from));
}

// A press on the strip starts a selection; moving more than a few pixels while held selects.
void AppsView::drag_select(ImVec2 p0, float width) {
  const float x = ImGui::GetIO().MousePos.x - p0.x;
  if (ImGui::IsItemActivated()) drag_x0_ = x;
  if (ImGui::IsItemActive() && std::abs(x - drag_x0_) > px(3)) {
    sel_ = stretch_from_drag(zoom_, drag_x0_, x, width);
    show_selection();
  }
}

void AppsView::draw_selection(ImDrawList* dl, ImVec2 p0, float width, float row_h) const {
  if (sel_.empty() || sel_.to <= zoom_.from || sel_.from >= zoom_.to) return;
  auto x_of = [&](double sec) { return p0.x + width * static_cast<float>((sec - zoom_.from) / zoom_.span()); };
  const float x0 = std::max(p0.x, x_of(sel_.from)), x1 = std::min(p0.x + width, x_of(sel_.to));
  dl->AddRectFilled(ImVec2(x0, p0.y), ImVec2(x1, p0.y + row_h), IM_COL32(0x2B, 0x4C, 0x7E, 0x50));
  dl->AddRect(ImVec2(x0, p0.y), ImVec2(x1, p0.y + row_h), IM_COL32(0x2B, 0x4C, 0x7E, 0xFF), 0, 0, px(2));
}

// The selected stretch as two times, and what can be done with it.
void AppsView::mark_row(const Snapshot& s, const AppsData& d, Actions& a) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Selected stretch");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(px(70));
  if (ImGui::InputTextWithHint("##markfrom", "HH:MM", &mark_from_)) typed_selection();
  a.track("apps.mark_from", mark_from_);
  ImGui::SameLine();
  ImGui::TextUnformatted("to");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(px(70));
  if (ImGui::InputTextWithHint("##markto", "HH:MM", &mark_to_)) typed_selection();
  a.track("apps.mark_to", mark_to_);
  const auto now = a.clock().now();
  std::string problem = bad_time_ ? "Times look like 09:30 (hours:minutes, 24-hour clock)."
                                  : stretch_problem(sel_, d.day, s.today, local_second_of_day(now, a.clock().utc_offset(now)));
  ImGui::SameLine(0, px(16));
  ImGui::BeginDisabled(!problem.empty());
  if (ImGui::Button("Mark as break")) a.send(cmd::MarkStretch{d.day, sel_.from, sel_.to, store::kBreak});
  a.track("apps.mark_break");
  ImGui::SameLine();
  if (ImGui::Button("Move to category\xE2\x80\xA6")) ImGui::OpenPopup("##movecat");
  a.track("apps.mark_move");
  ImGui::EndDisabled();
  category_popup(d, a);
  if (!problem.empty()) w::small_muted(problem);
  else
    w::small_muted(hours_text(sel_.to - sel_.from) + " selected. A break counts as time away in every number (not active, "
                   "in no category, it ends focus blocks); moving to a category changes only the active time in it. "
                   "Activity the agent delivers later for this stretch is marked the same way.");
  a.track("apps.mark_hint", problem);
}

void AppsView::category_popup(const AppsData& d, Actions& a) {
  if (!ImGui::BeginPopup("##movecat")) return;
  const std::string heading = "Move the active time of " + mark_from_ + "\xE2\x80\x93" + mark_to_ + " to";
  ImGui::TextDisabled("%s", heading.c_str());  // one line: the popup is as wide as it
  for (int i = 0; i < 7; ++i) {
    if (ImGui::Selectable(kCategoryNames[i])) {
      a.send(cmd::MarkStretch{d.day, sel_.from, sel_.to, records::kCategories[i]});
      ImGui::CloseCurrentPopup();
    }
    a.track(std::string("apps.mark_cat.") + records::kCategories[i]);
  }
  ImGui::EndPopup();
}

// The category rules (activity-rules.conf), checked while typing by the daemon's own parser.
void AppsView::rules_section(const Snapshot& s, Actions& a) {
  w::heading("Categories");
  w::small_muted("Each application's category comes from rules you can edit: one \"pattern = category\" per line, the "
                 "first match wins, * stands for any run of characters. Saved rules apply to what is recorded from then "
                 "on; time already recorded keeps its category.");
  if (!editing_rules_) {
    if (w::link_button("Edit the category rules\xE2\x80\xA6")) {
      editing_rules_ = true;
      rules_loaded_ = false;
      a.send(cmd::ReadRules{});
    }
    a.track("apps.rules_open");
    return;
  }
  if (!s.rules) {
    w::muted("Reading the rules\xE2\x80\xA6");
    return;
  }
  if (!rules_loaded_) {
    rules_text_ = s.rules->text;
    rules_loaded_ = true;
    check_rules();
  }
  if (!s.rules->from_file) w::small_muted("No rules file yet: these are the built-in rules; saving writes them as your file.");
  rules_editor(a);
}

void AppsView::rules_editor(Actions& a) {
  if (ImGui::InputTextMultiline("##rules", &rules_text_, ImVec2(-1, px(240)))) check_rules();
  a.track("apps.rules_text");
  if (!rules_error_.empty()) {
    w::message_line(rules_error_, true);
    a.track("apps.rules_error");
  } else if (parsed_) {
    w::small_muted(count_text(static_cast<std::int64_t>(parsed_->rules().size()), "rule", "rules") + ", all valid.");
  }
  ImGui::BeginDisabled(!parsed_);
  if (w::primary_button("Save the rules")) a.send(cmd::SaveRules{rules_text_});
  a.track("apps.rules_save");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Restore the defaults")) {
    rules_text_ = activity_rules::default_rules_text();
    check_rules();
  }
  ImGui::SameLine();
  if (ImGui::Button("Close")) editing_rules_ = false;
  ImGui::SetNextItemWidth(px(320));
  ImGui::InputTextWithHint("##try", "Try an application name, e.g. firefox", &try_);
  a.track("apps.rules_try");
  if (!try_.empty() && parsed_) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    const std::string cat = parsed_->categorize(try_, try_);
    ImGui::Text("\xE2\x86\x92 %s", cat.c_str());
  }
}

}  // namespace

std::unique_ptr<View> make_apps_view() { return std::make_unique<AppsView>(); }

}  // namespace cairn::ui
