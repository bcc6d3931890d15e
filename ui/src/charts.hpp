// A small chart module over ImDrawList: stacked bars per day, a horizontal proportion bar, a strip
// of bars over time (weeks of a year, evidence over a period) and a legend. Each chart reserves its
// rectangle as one ImGui item, labels its axes, and reports which bar the mouse is over so the
// caller can explain it in a tooltip. Sizes are logical pixels (scaled inside).
#pragma once

#include <imgui.h>

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace cairn::ui::charts {

struct Series {
  std::string name;
  ImU32 colour;
};

// values[bar][series]; a bar's stack is the sum of its series. Returns the hovered bar or -1.
// y_label formats a tick value (e.g. hours); max_value <= 0 picks a round maximum from the data.
// beside (one value per bar, may be empty) is drawn as a narrow outlined bar to the right of each
// stack in beside_colour: a quantity that overlaps the stack (calendar meetings beside active time).
int stacked_bars(const char* id, std::span<const std::string> bar_labels, std::span<const Series> series,
                 const std::vector<std::vector<float>>& values, float height,
                 const std::function<std::string(float)>& y_label, float max_value = 0, int highlight = -1,
                 std::span<const float> beside = {}, ImU32 beside_colour = 0);

// One horizontal bar split into parts proportional to their values, with the parts' names drawn
// inside when they fit. Returns the hovered part or -1.
struct Part {
  std::string name;
  float value;
  ImU32 colour;
};
int proportion_bar(const char* id, std::span<const Part> parts, float height, float width = 0);  // width 0: all available

// Bars over time (one per week or day) with optional labels under some of them. A click selects a
// bar: returns true and sets clicked. hovered receives the bar under the mouse or -1.
// max_value > 0 fixes the scale (to compare several strips); otherwise the largest value fills it.
bool strip(const char* id, std::span<const float> values, std::span<const std::string> tick_labels, int selected,
           float height, ImU32 colour, int* hovered, int* clicked, float max_value = 0);

// A row of coloured squares with names.
void legend(std::span<const Series> series);

// A round upper bound for an axis (1, 2, 2.5, 5 × 10^k).
float nice_max(float v);

}  // namespace cairn::ui::charts
