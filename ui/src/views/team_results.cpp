// The Sharing view's "Team results": for each plan this device reported to, the periods the
// organisation released, each figure in the organisation's own words (wire::team_value_text via
// device::team_period_text, exactly `cairn share results`' lines) beside what this device sent,
// and a strip that puts the team's mean, its 95 % interval and the employee's own value on the
// metric's range. Everything here came from the organisation and was made safe by the worker; it
// is drawn with TextUnformatted only.
#include <imgui.h>

#include <algorithm>
#include <cfloat>

#include "../theme.hpp"
#include "cairn/wire/results_text.hpp"
#include "../widgets.hpp"
#include "views.hpp"

namespace cairn::ui {
namespace {

constexpr ImU32 kOwn = IM_COL32(0xD5, 0x5E, 0x00, 255);  // Okabe–Ito vermilion: what you sent

// The metric's range as a line with its ends labelled, the team's 95 % interval as a band on it
// (an arrow where it goes past an end), the mean as a tick when it lies in the range (outside, the
// text above says so) and what this device sent as a dot.
void figure_strip(const SharingTeamFigure& f) {
  const float w = std::min(px(420), ImGui::GetContentRegionAvail().x), h = px(20);
  const float label_h = fonts().small->FontSize;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, h + label_h));
  const double span = f.clip_hi - f.clip_lo;
  if (!(span > 0)) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float left = o.x + px(6), right = o.x + w - px(6), mid = o.y + h * 0.5f;
  auto x_of = [&](double v) { return left + static_cast<float>((std::clamp(v, f.clip_lo, f.clip_hi) - f.clip_lo) / span) * (right - left); };
  dl->AddLine(ImVec2(left, mid), ImVec2(right, mid), colour::faint(), px(2));
  for (float x : {left, right}) dl->AddLine(ImVec2(x, mid - px(5)), ImVec2(x, mid + px(5)), colour::muted(), px(1));
  const ImU32 band = (colour::accent() & 0x00FFFFFF) | (0x55u << 24);
  dl->AddRectFilled(ImVec2(x_of(f.lo), mid - px(5)), ImVec2(x_of(f.hi), mid + px(5)), band, px(2));
  const float a = px(5);
  if (f.lo < f.clip_lo) dl->AddTriangleFilled(ImVec2(left - a, mid), ImVec2(left, mid - a), ImVec2(left, mid + a), colour::accent());
  if (f.hi > f.clip_hi) dl->AddTriangleFilled(ImVec2(right + a, mid), ImVec2(right, mid - a), ImVec2(right, mid + a), colour::accent());
  if (f.mean >= f.clip_lo && f.mean <= f.clip_hi)
    dl->AddLine(ImVec2(x_of(f.mean), mid - px(8)), ImVec2(x_of(f.mean), mid + px(8)), colour::accent(), px(2.5f));
  if (f.own_value) dl->AddCircleFilled(ImVec2(x_of(*f.own_value), mid), px(4.5f), kOwn);
  const std::string lo = wire::result_number(f.clip_lo), hi = wire::result_number(f.clip_hi) + " " + f.unit;
  ImFont* small = fonts().small;
  const float hi_w = small->CalcTextSizeA(label_h, FLT_MAX, 0, hi.c_str()).x;
  dl->AddText(small, label_h, ImVec2(left - px(2), o.y + h), colour::muted(), lo.c_str());
  dl->AddText(small, label_h, ImVec2(std::max(left + px(40), right + px(2) - hi_w), o.y + h), colour::muted(), hi.c_str());
}

void figure(const SharingTeamFigure& f, const std::string& key, Actions& a) {
  w::text(f.figure);
  a.track(key, f.figure + "\n" + f.verdict + (f.outside.empty() ? "" : "\n" + f.outside) + (f.own.empty() ? "" : "\n" + f.own));
  ImGui::Indent(px(16));
  w::small_muted(f.verdict);
  if (!f.outside.empty()) w::message_line(f.outside, true);
  if (!f.own.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, colour::to_vec(kOwn));
    w::text(f.own);
    ImGui::PopStyleColor();
  }
  figure_strip(f);
  w::tooltip("The metric's range runs from " + wire::result_number(f.clip_lo) + " to " + wire::result_number(f.clip_hi) + " " + f.unit +
             ". The band is the team mean's 95% interval (an arrow where it runs past the range), the tick the team "
             "mean (none when the noise carried it outside the range), the dot what you sent.");
  ImGui::Dummy(ImVec2(0, px(4)));
  ImGui::Unindent(px(16));
}

void period(const SharingTeamPeriod& p, std::size_t i, Actions& a) {
  ImGui::PushFont(fonts().heading);
  ImGui::TextUnformatted(p.period.c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  const std::string line = p.count + (p.note.empty() ? "" : "; " + p.note);
  w::small_muted(line);
  a.track("share.team." + std::to_string(i), p.plan_id + " " + p.period + ": " + line);
  for (std::size_t j = 0; j < p.figures.size(); ++j) {
    ImGui::PushID(static_cast<int>(j));
    figure(p.figures[j], "share.team." + std::to_string(i) + "." + std::to_string(j), a);
    ImGui::PopID();
  }
}

}  // namespace

void draw_team_results(const SharingData& d, Actions& a) {
  w::heading("Team results");
  a.track("share.team");
  w::small_muted("What your organisation received from the plans you reported to: the team's figures, released only "
                 "for a group at least as large as the plan's smallest group, beside what you sent.");
  if (d.results.empty()) {
    w::muted("No team results yet. They appear here once your organisation releases a period you reported for; the "
             "panel looks for them with each check for plans.");
    return;
  }
  for (std::size_t i = 0; i < d.results.size(); ++i) {
    const auto& p = d.results[i];
    const bool first_of_plan = i == 0 || d.results[i - 1].plan_id != p.plan_id;
    if (first_of_plan) {
      if (i > 0) w::end_card();
      w::begin_card();
      ImGui::PushFont(fonts().heading);
      ImGui::TextUnformatted(p.plan_id.c_str());
      ImGui::PopFont();
      if (!p.purpose.empty()) w::text(p.purpose);
    }
    ImGui::PushID(static_cast<int>(i) + 5000);
    period(p, i, a);
    ImGui::PopID();
  }
  w::end_card();
  w::small_muted(d.team_note);
  ImGui::TextColored(colour::to_vec(kOwn), "\xE2\x97\x8F");
  ImGui::SameLine();
  w::small_muted("what you sent, before the aggregators' noise; the band: the team mean's 95% interval.");
}

}  // namespace cairn::ui
