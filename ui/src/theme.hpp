// The panel's look in one place: the scale helper every view uses instead of pixel constants,
// fonts (DejaVu Sans from Debian, ImGui's own font as fallback), the calm light style and the
// colour-blind-safe palette (Okabe & Ito) the charts and category keys share.
#pragma once

#include <imgui.h>

namespace cairn::ui {

// Scaled size: px(12) is 12 logical pixels at the current content scale.
float px(float logical);
void set_ui_scale(float scale);  // backend only, when the monitor's content scale changes

// Fonts loaded by load_fonts(): body, heading and small.
struct Fonts {
  ImFont* body = nullptr;
  ImFont* heading = nullptr;
  ImFont* title = nullptr;
  ImFont* small = nullptr;
};
const Fonts& fonts();
void load_fonts(float scale);  // rebuilds the atlas; the renderer must re-upload it afterwards
void apply_style(float scale);

namespace colour {
ImU32 text();
ImU32 muted();
ImU32 faint();      // grid lines
ImU32 accent();
ImU32 panel_bg();
ImU32 card_bg();
ImU32 category(int index);  // records::kCategories order
ImU32 focus();
ImU32 fragmented();
ImU32 meeting();
ImU32 calendar_meeting();  // outlines of calendar meetings, darker than meeting-app time
ImU32 impact_kind(int index);  // records::ImpactKind order
ImVec4 to_vec(ImU32 c);
}  // namespace colour

}  // namespace cairn::ui
