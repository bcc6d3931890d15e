// Charts drawn with ImDrawList. Kept deliberately plain: thin grid lines, no 3-D, no gradients,
// values readable from labelled axes and tooltips rather than from colour alone.
#include "charts.hpp"

#include <algorithm>
#include <cmath>

#include "theme.hpp"

namespace cairn::ui::charts {

float nice_max(float v) {
  if (!(v > 0)) return 1;
  float p = std::pow(10.0f, std::floor(std::log10(v)));
  for (float m : {1.0f, 2.0f, 2.5f, 5.0f, 10.0f})
    if (v <= m * p) return m * p;
  return 10 * p;
}

int stacked_bars(const char* id, std::span<const std::string> bar_labels, std::span<const Series> series,
                 const std::vector<std::vector<float>>& values, float height,
                 const std::function<std::string(float)>& y_label, float max_value, int highlight,
                 std::span<const float> beside, ImU32 beside_colour) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float w = ImGui::GetContentRegionAvail().x;
  const float h = px(height);
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(w, h));
  const bool hovered_chart = ImGui::IsItemHovered();

  float top = 0;
  for (const auto& bar : values) {
    float s = 0;
    for (float v : bar) s += v;
    top = std::max(top, s);
  }
  for (float b : beside) top = std::max(top, b);
  const float ymax = max_value > 0 ? max_value : nice_max(top);
  const float axis_w = px(44), label_h = ImGui::GetTextLineHeight() + px(6);
  const ImVec2 plot0(p0.x + axis_w, p0.y + px(4)), plot1(p0.x + w, p0.y + h - label_h);
  const float plot_h = plot1.y - plot0.y;

  // Grid and y ticks: four intervals.
  for (int i = 0; i <= 4; ++i) {
    float v = ymax * i / 4.0f;
    float y = plot1.y - plot_h * i / 4.0f;
    dl->AddLine(ImVec2(plot0.x, y), ImVec2(plot1.x, y), colour::faint(), 1.0f);
    std::string t = y_label(v);
    ImVec2 ts = ImGui::CalcTextSize(t.c_str());
    dl->AddText(ImVec2(plot0.x - ts.x - px(6), y - ts.y / 2), colour::muted(), t.c_str());
  }

  const std::size_t n = values.size();
  int hovered = -1;
  if (n == 0) return -1;
  const float slot = (plot1.x - plot0.x) / static_cast<float>(n);
  const float bar_w = std::min(slot * 0.58f, px(56));
  const float beside_w = beside.empty() ? 0.0f : bar_w * 0.3f;
  for (std::size_t i = 0; i < n; ++i) {
    float cx = plot0.x + slot * (static_cast<float>(i) + 0.5f) - beside_w / 2;
    float x0 = cx - bar_w / 2, x1 = cx + bar_w / 2;
    if (hovered_chart) {
      ImVec2 m = ImGui::GetIO().MousePos;
      if (m.x >= cx - slot / 2 && m.x < cx + slot / 2 && m.y >= plot0.y && m.y <= plot1.y + label_h)
        hovered = static_cast<int>(i);
    }
    if (static_cast<int>(i) == hovered || static_cast<int>(i) == highlight)
      dl->AddRectFilled(ImVec2(cx - slot / 2 + px(2), plot0.y), ImVec2(cx + slot / 2 - px(2), plot1.y),
                        IM_COL32(0x1F, 0x6F, 0x8B, 18), px(4));
    float y = plot1.y;
    for (std::size_t s = 0; s < series.size() && s < values[i].size(); ++s) {
      float v = values[i][s];
      if (v <= 0) continue;
      float hh = plot_h * std::min(v / ymax, 1.0f);
      dl->AddRectFilled(ImVec2(x0, y - hh), ImVec2(x1, y), series[s].colour);
      y -= hh;
    }
    if (i < beside.size() && beside[i] > 0) {
      float hh = std::max(px(2), plot_h * std::min(beside[i] / ymax, 1.0f));
      dl->AddRectFilled(ImVec2(x1 + px(2), plot1.y - hh), ImVec2(x1 + px(2) + beside_w, plot1.y), beside_colour & 0x55FFFFFF);
      dl->AddRect(ImVec2(x1 + px(2), plot1.y - hh), ImVec2(x1 + px(2) + beside_w, plot1.y), beside_colour, 0, 0, px(1.5f));
    }
    if (i < bar_labels.size()) {
      ImVec2 ts = ImGui::CalcTextSize(bar_labels[i].c_str());
      dl->AddText(ImVec2(cx + beside_w / 2 - ts.x / 2, plot1.y + px(4)),
                  static_cast<int>(i) == highlight ? colour::text() : colour::muted(), bar_labels[i].c_str());
    }
  }
  dl->AddLine(ImVec2(plot0.x, plot1.y), ImVec2(plot1.x, plot1.y), colour::muted(), 1.0f);
  return hovered;
}

int proportion_bar(const char* id, std::span<const Part> parts, float height, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float w = width > 0 ? width : ImGui::GetContentRegionAvail().x;
  const float h = px(height);
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(w, h));
  const bool hov = ImGui::IsItemHovered();
  float total = 0;
  for (const auto& p : parts) total += std::max(0.0f, p.value);
  dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), colour::faint(), px(4));
  if (total <= 0) return -1;
  int hovered = -1;
  float x = p0.x;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    float pw = w * std::max(0.0f, parts[i].value) / total;
    if (pw <= 0) continue;
    ImDrawFlags corners = ImDrawFlags_RoundCornersNone;
    if (x == p0.x) corners |= ImDrawFlags_RoundCornersLeft;
    if (x + pw >= p0.x + w - 0.5f) corners |= ImDrawFlags_RoundCornersRight;
    dl->AddRectFilled(ImVec2(x, p0.y), ImVec2(x + pw, p0.y + h), parts[i].colour, px(4), corners);
    ImVec2 ts = ImGui::CalcTextSize(parts[i].name.c_str());
    if (ts.x + px(12) < pw && ts.y < h)
      dl->AddText(ImVec2(x + px(6), p0.y + (h - ts.y) / 2), IM_COL32(255, 255, 255, 240), parts[i].name.c_str());
    if (hov) {
      float mx = ImGui::GetIO().MousePos.x;
      if (mx >= x && mx < x + pw) hovered = static_cast<int>(i);
    }
    x += pw;
  }
  return hovered;
}

bool strip(const char* id, std::span<const float> values, std::span<const std::string> tick_labels, int selected,
           float height, ImU32 colour_, int* hovered, int* clicked, float max_value) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float w = ImGui::GetContentRegionAvail().x;
  const float label_h = tick_labels.empty() ? 0 : ImGui::GetTextLineHeight() + px(4);
  const float h = px(height) + label_h;
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton(id, ImVec2(w, h));
  const bool hov = ImGui::IsItemHovered();
  if (hovered) *hovered = -1;
  const std::size_t n = values.size();
  if (n == 0) return false;
  float top = max_value;
  if (top <= 0)
    for (float v : values) top = std::max(top, v);
  if (top <= 0) top = 1;
  const float slot = w / static_cast<float>(n);
  const float bar_h = px(height);
  const float base = p0.y + bar_h;
  dl->AddLine(ImVec2(p0.x, base), ImVec2(p0.x + w, base), colour::faint(), 1.0f);
  int hover_i = -1;
  if (hov) {
    float mx = ImGui::GetIO().MousePos.x - p0.x;
    hover_i = std::clamp(static_cast<int>(mx / slot), 0, static_cast<int>(n) - 1);
  }
  for (std::size_t i = 0; i < n; ++i) {
    float x0 = p0.x + slot * static_cast<float>(i) + std::max(1.0f, slot * 0.12f);
    float x1 = p0.x + slot * static_cast<float>(i + 1) - std::max(1.0f, slot * 0.12f);
    float hh = std::max(values[i] > 0 ? px(2) : 0.0f, (bar_h - px(2)) * std::min(values[i] / top, 1.0f));
    bool sel = static_cast<int>(i) == selected;
    bool hv = static_cast<int>(i) == hover_i;
    if (sel || hv) dl->AddRectFilled(ImVec2(x0 - 1, p0.y), ImVec2(x1 + 1, base), IM_COL32(0x1F, 0x6F, 0x8B, sel ? 40 : 20));
    ImU32 c = sel ? colour::accent() : colour_;
    dl->AddRectFilled(ImVec2(x0, base - hh), ImVec2(x1, base), c, std::min(px(2), (x1 - x0) / 2));
    if (i < tick_labels.size() && !tick_labels[i].empty())
      dl->AddText(ImVec2(x0, base + px(3)), colour::muted(), tick_labels[i].c_str());
  }
  if (hovered) *hovered = hover_i;
  if (pressed && hover_i >= 0) {
    if (clicked) *clicked = hover_i;
    return true;
  }
  return false;
}

void legend(std::span<const Series> series) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float box = ImGui::GetTextLineHeight() * 0.7f;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (i > 0) ImGui::SameLine(0, px(16));
    ImVec2 p = ImGui::GetCursorScreenPos();
    float off = (ImGui::GetTextLineHeight() - box) / 2;
    dl->AddRectFilled(ImVec2(p.x, p.y + off), ImVec2(p.x + box, p.y + off + box), series[i].colour, px(2));
    ImGui::Dummy(ImVec2(box, ImGui::GetTextLineHeight()));
    ImGui::SameLine(0, px(6));
    ImGui::TextUnformatted(series[i].name.c_str());
  }
}

}  // namespace cairn::ui::charts
