// The week at a glance: where the time went, focus against fragmented time, meetings, switches,
// after-hours time and how much of the work was AI-assisted, each number saying how it is
// computed; day-by-day charts; the year as a strip of weeks to move back in time.
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "../charts.hpp"
#include "../format.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "cairn/store/summary.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

const char* kCategoryNames[] = {"Development", "Communication", "Meetings (apps)", "Documents", "AI assistant", "Browsing", "Other"};

class WeekView final : public View {
 public:
  const char* id() const override { return "week"; }
  const char* title() const override { return "Week"; }

  void draw(const Snapshot& s, Actions& a) override {
    if (!s.week || !s.year) return;
    const WeekData& wk = *s.week;
    const auto& t = wk.total;
    header(s, a);
    year_strip(s, a);
    if (t.active_seconds == 0 && t.meetings == 0 && t.commits == 0 && wk.contributions.empty()) {
      w::begin_card();
      w::heading("Nothing recorded this week");
      w::muted("No source recorded anything in these seven days. If that is unexpected, check Sources: every "
               "source is off until you turn it on.");
      w::end_card();
      return;
    }

    stats(s, a);
    focus_bar(t);
    day_by_day(s);
    timeline(wk);
    a.track("week.timeline");

    if (!wk.contributions.empty()) {
      w::heading("What you logged this week");
      for (const auto& c : wk.contributions) {
        ImGui::Bullet();
        ImGui::SameLine();
        w::text(c.text);
      }
    }
  }

 private:
  // The year, one bar per week: where this week sits, and a way back to any earlier one.
  void year_strip(const Snapshot& s, Actions& a) {
    const WeekData& wk = *s.week;
    std::vector<float> values;
    std::vector<std::string> ticks;
    int selected = -1;
    unsigned last_month = 0;
    for (std::size_t i = 0; i < s.year->weeks.size(); ++i) {
      const auto& yw = s.year->weeks[i];
      values.push_back(yw.active_hours);
      int y; unsigned m, d;
      civil_from_days(yw.start_day, y, m, d);
      ticks.push_back(m != last_month && i + 2 < s.year->weeks.size() ? month_name(m) : "");
      last_month = m;
      if (yw.start_day == wk.start_day) selected = static_cast<int>(i);
    }
    int hovered = -1, clicked = -1;
    if (charts::strip("##year", values, ticks, selected, 34, colour::fragmented(), &hovered, &clicked))
      a.send(cmd::ShowWeek{s.year->weeks[static_cast<std::size_t>(clicked)].start_day});
    a.track("week.year");
    if (hovered >= 0) {
      const auto& yw = s.year->weeks[static_cast<std::size_t>(hovered)];
      w::tooltip(week_label(yw.start_day) + "\nActive: " + hours_text(static_cast<std::int64_t>(yw.active_hours * 3600)) +
                 ", focus: " + hours_text(static_cast<std::int64_t>(yw.focus_hours * 3600)) + "\nClick to open this week.");
    }
    w::small_muted("Active time per week over the last year. Click a week to open it.");
    ImGui::Dummy(ImVec2(0, px(6)));
  }

  // Numbers, each with how it is computed.
  void stats(const Snapshot& s, Actions& a) {
    const WeekData& wk = *s.week;
    const auto& t = wk.total;
    const float card_w = 232;
    const float avail = ImGui::GetContentRegionAvail().x;
    const int per_row = std::max(1, static_cast<int>((avail + px(10)) / (px(card_w) + px(10))));
    int n = 0;
    auto next = [&] {
      if (++n % per_row != 0) ImGui::SameLine(0, px(10));
    };
    w::stat("##active", "Active time", hours_text(t.active_seconds),
            "Desktop time that was not idle (no input for " +
                std::to_string(s.consent ? s.consent->state.idle_threshold_seconds / 60 : 3) + " minutes counts as idle).",
            card_w);
    next();
    w::stat("##focus", "Focus time", hours_text(t.focus_seconds),
            wk.timeline ? count_text(wk.timeline->focus_blocks, "block", "blocks") + " of 25 min or more without a break; longest " +
                              hours_text(wk.timeline->longest_focus_seconds) + "."
                        : std::string("Time in blocks of 25 min or more without a break."),
            card_w);
    next();
    w::stat("##meet", "Meetings", hours_text(t.meeting_seconds),
            count_text(t.meetings, "calendar meeting", "calendar meetings") + ", " + std::to_string(t.one_on_ones) +
                " of them one-to-one.",
            card_w);
    next();
    const RateText rate = rate_text(t.context_switches, t.active_seconds);
    w::stat("##switch", "Context switches", rate.value,
            count_text(t.context_switches, "change", "changes") + " of application less than 2 minutes apart, per active hour." +
                (rate.note.empty() ? std::string() : " " + rate.note),
            card_w);
    a.track("week.switches");
    next();
    w::stat("##after", "After hours", hours_text(t.after_hours_seconds),
            "Active time before 08:00, from 18:00, or at the weekend (local time).", card_w);
    next();
    w::stat("##ai", "AI-assisted", percent_text(static_cast<double>(t.ai_commits), static_cast<double>(t.commits)) + " of commits",
            std::to_string(t.ai_commits) + " of " + std::to_string(t.commits) +
                " commits carry an AI co-author trailer; " + std::to_string(t.ai_contributions) + " of " +
                std::to_string(t.contributions) + " logged contributions are marked AI-assisted. Shown, not judged.",
            card_w);
    a.track("week.ai");
    ImGui::Dummy(ImVec2(0, px(6)));
  }

  // Focus against fragmented time.
  void focus_bar(const store::DayRollup& t) {
    w::heading("Focus and fragmented time");
    charts::Part parts[] = {{"Focus " + hours_text(t.focus_seconds), static_cast<float>(t.focus_seconds), colour::focus()},
                            {"Fragmented " + hours_text(t.fragmented_seconds), static_cast<float>(t.fragmented_seconds),
                             colour::fragmented()},
                            {"Meetings " + hours_text(t.meeting_seconds), static_cast<float>(t.meeting_seconds), colour::meeting()}};
    int hp = charts::proportion_bar("##focusbar", parts, 26);
    if (hp >= 0) w::tooltip(parts[hp].name);
    w::small_muted("Focus: active runs of 25 minutes or more with no idle time, gap over 2 minutes, communication "
                   "app or meeting. Fragmented: the rest of the active time. Meetings: calendar time.");
  }

  // Day by day, by category.
  void day_by_day(const Snapshot& s) {
    const WeekData& wk = *s.week;
    w::heading("Day by day");
    std::vector<std::string> labels;
    std::vector<std::vector<float>> vals;
    int today_idx = -1;
    for (int d = 0; d < 7; ++d) {
      const auto& r = wk.days[static_cast<std::size_t>(d)];
      labels.push_back(short_date(wk.start_day + d));
      std::vector<float> v;
      for (int c = 0; c < 7; ++c) v.push_back(static_cast<float>(r.category_seconds[c]) / 3600.0f);
      vals.push_back(std::move(v));
      if (wk.start_day + d == s.today) today_idx = d;
    }
    std::vector<charts::Series> series;
    for (int c = 0; c < 7; ++c) series.push_back({kCategoryNames[c], colour::category(c)});
    // Calendar meetings beside each day's active time: they overlap it (a call at the desk) or
    // not (a meeting away from it), so they are not stacked on it.
    std::vector<float> meetings;
    float top = 0;
    for (int d = 0; d < 7; ++d) {
      const auto& r = wk.days[static_cast<std::size_t>(d)];
      meetings.push_back(static_cast<float>(r.meeting_seconds) / 3600.0f);
      top = std::max({top, meetings.back(), static_cast<float>(r.active_seconds) / 3600.0f});
      float sum = 0;
      for (float v : vals[static_cast<std::size_t>(d)]) sum += v;
      top = std::max(top, sum);
    }
    const HourAxis axis = hour_axis(top, 4);
    auto y_label = [&axis](float v) {
      const auto i = static_cast<std::size_t>(std::lround(v / axis.max_hours * 4));
      return i < axis.labels.size() ? axis.labels[i] : std::string();
    };
    int hd = charts::stacked_bars("##days", labels, series, vals, 190, y_label, axis.max_hours, today_idx, meetings,
                                  colour::calendar_meeting());
    if (hd >= 0) {
      const auto& r = wk.days[static_cast<std::size_t>(hd)];
      std::string tip = date_text(wk.start_day + hd) + "\nActive " + hours_text(r.active_seconds) + ", focus " +
                        hours_text(r.focus_seconds) + ", meetings " + hours_text(r.meeting_seconds) + "\n";
      for (int c = 0; c < 7; ++c)
        if (r.category_seconds[c] > 0) tip += std::string(kCategoryNames[c]) + ": " + hours_text(r.category_seconds[c]) + "\n";
      tip += "Calendar meetings: " + hours_text(r.meeting_seconds) + " (" +
             count_text(r.meetings, "meeting", "meetings") + ")\n";
      tip += count_text(r.commits, "commit", "commits") + ", " +
             count_text(r.context_switches, "context switch", "context switches");
      w::tooltip(tip);
    }
    series.push_back({"Calendar meetings (beside)", colour::calendar_meeting()});
    charts::legend(series);
    w::small_muted("Active time by the category of the application in front; calendar meetings as the outlined bar "
                   "beside each day, since they may overlap active time. Categories come from rules you can edit.");
  }

  void header(const Snapshot& s, Actions& a) {
    const WeekData& wk = *s.week;
    w::title(wk.start_day == week_start_day(s.today) ? "This week" : "An earlier week");
    w::muted(wk.label);
    ImGui::Dummy(ImVec2(0, px(2)));
    if (ImGui::Button("\xE2\x86\x90 Earlier")) a.send(cmd::ShowWeek{wk.start_day - 7});
    a.track("week.prev");
    ImGui::SameLine();
    ImGui::BeginDisabled(wk.start_day >= week_start_day(s.today));
    if (ImGui::Button("Later \xE2\x86\x92")) a.send(cmd::ShowWeek{wk.start_day + 7});
    a.track("week.next");
    ImGui::SameLine();
    if (ImGui::Button("This week")) a.send(cmd::ShowWeek{s.today});
    a.track("week.this");
    ImGui::EndDisabled();
    ImGui::Dummy(ImVec2(0, px(2)));
  }

  // One strip per day from 06:00 to 22:00: what was in front, and meetings on top.
  void timeline(const WeekData& wk) {
    w::heading("When");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float label_w = px(96);
    const float width = ImGui::GetContentRegionAvail().x - label_w;
    const float row_h = px(14), gap = px(6);
    const int from = 6 * 3600, to = 22 * 3600;
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(label_w + width, 7 * (row_h + gap) + ImGui::GetTextLineHeight()));
    static const WeekTimeline kEmpty;
    const WeekTimeline& tl = wk.timeline ? *wk.timeline : kEmpty;
    auto x_of = [&](int sec) {
      return p0.x + label_w + width * static_cast<float>(std::clamp(sec, from, to) - from) / static_cast<float>(to - from);
    };
    for (int h = 6; h <= 22; h += 2) {
      float x = x_of(h * 3600);
      dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + 7 * (row_h + gap)), colour::faint());
      std::string lbl = clock_text(h * 3600);
      float tw = fonts().small->CalcTextSizeA(fonts().small->FontSize, FLT_MAX, 0, lbl.c_str()).x;
      float lx = h == 22 ? x - tw : h == 6 ? x : x - tw / 2;  // keep the end labels inside
      dl->AddText(fonts().small, fonts().small->FontSize, ImVec2(lx, p0.y + 7 * (row_h + gap)), colour::muted(), lbl.c_str());
    }
    for (int d = 0; d < 7; ++d) {
      float y = p0.y + static_cast<float>(d) * (row_h + gap);
      std::string lbl = short_date(wk.start_day + d);
      dl->AddText(ImVec2(p0.x, y - px(1)), colour::muted(), lbl.c_str());
      dl->AddRectFilled(ImVec2(x_of(from), y), ImVec2(x_of(to), y + row_h), IM_COL32(0xEE, 0xEA, 0xE3, 255), px(3));
      for (const auto& seg : tl.days[static_cast<std::size_t>(d)]) {
        if (seg.to <= from || seg.from >= to) continue;
        float x0 = x_of(seg.from), x1 = std::max(x_of(seg.to), x0 + 1.0f);
        // Meetings are outlined in a darker shade so they stay visible over meeting-app time.
        if (seg.kind == 7) dl->AddRect(ImVec2(x0, y - px(1)), ImVec2(x1, y + row_h + px(1)), colour::calendar_meeting(), 0, 0, px(1.5f));
        else dl->AddRectFilled(ImVec2(x0, y), ImVec2(x1, y + row_h), colour::category(seg.kind));
      }
    }
    w::small_muted(wk.timeline ? "Each row is a day from 06:00 to 22:00, coloured by category; outlined boxes are calendar meetings."
                               : "Reading this week's activity\xE2\x80\xA6");
  }
};

}  // namespace

std::unique_ptr<View> make_week_view() { return std::make_unique<WeekView>(); }

}  // namespace cairn::ui
