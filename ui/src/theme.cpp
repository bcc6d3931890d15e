// Fonts, style and palette. The palette is Okabe & Ito's colour-blind-safe set, softened a little
// towards the background so the panel reads calm; text contrast stays above WCAG AA.
#include "theme.hpp"

#include <filesystem>

namespace cairn::ui {
namespace {

// ImGui itself keeps one global context; the scale lives beside it for the same reason.
float g_scale = 1.0f;
Fonts g_fonts;

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

ImFont* add_font(const char* file, float size) {
  ImGuiIO& io = ImGui::GetIO();
  std::filesystem::path p = std::filesystem::path(kFontDir) / file;
  std::error_code ec;
  if (std::filesystem::exists(p, ec)) {
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2013, 0x2026, 0x2190, 0x2193, 0x2264, 0x2265, 0x25CF, 0x25CF, 0};
    if (ImFont* f = io.Fonts->AddFontFromFileTTF(p.c_str(), size, &cfg, ranges)) return f;
  }
  ImFontConfig cfg;
  cfg.SizePixels = size;
  return io.Fonts->AddFontDefault(&cfg);
}

}  // namespace

float px(float logical) { return logical * g_scale; }
void set_ui_scale(float scale) { g_scale = scale; }
const Fonts& fonts() { return g_fonts; }

void load_fonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  g_fonts.body = add_font("DejaVuSans.ttf", 15.0f * scale);
  g_fonts.heading = add_font("DejaVuSans-Bold.ttf", 16.0f * scale);
  g_fonts.title = add_font("DejaVuSans.ttf", 24.0f * scale);
  g_fonts.small = add_font("DejaVuSans.ttf", 13.0f * scale);
  io.FontDefault = g_fonts.body;
  io.Fonts->Build();
}

void apply_style(float scale) {
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = ImVec2(20, 18);
  style.FramePadding = ImVec2(10, 6);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(8, 6);
  style.CellPadding = ImVec2(8, 5);
  style.ScrollbarSize = 12;
  style.WindowRounding = 0;
  style.ChildRounding = 6;
  style.FrameRounding = 5;
  style.PopupRounding = 6;
  style.GrabRounding = 5;
  style.ScrollbarRounding = 6;
  style.TabRounding = 5;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 1;
  style.FrameBorderSize = 0;
  style.PopupBorderSize = 1;

  ImVec4* c = style.Colors;
  auto rgb = [](int r, int g, int b, float a = 1.0f) { return ImVec4(r / 255.f, g / 255.f, b / 255.f, a); };
  c[ImGuiCol_Text] = rgb(0x2B, 0x30, 0x36);
  c[ImGuiCol_TextDisabled] = rgb(0x6B, 0x72, 0x7A);
  c[ImGuiCol_WindowBg] = rgb(0xF6, 0xF4, 0xF0);
  c[ImGuiCol_ChildBg] = rgb(0xFF, 0xFF, 0xFF, 0.0f);
  c[ImGuiCol_PopupBg] = rgb(0xFF, 0xFF, 0xFD);
  c[ImGuiCol_Border] = rgb(0xDD, 0xD8, 0xD0);
  c[ImGuiCol_FrameBg] = rgb(0xEC, 0xE8, 0xE1);
  c[ImGuiCol_FrameBgHovered] = rgb(0xE3, 0xDE, 0xD5);
  c[ImGuiCol_FrameBgActive] = rgb(0xDA, 0xD4, 0xCA);
  c[ImGuiCol_Button] = rgb(0xE6, 0xE1, 0xD8);
  c[ImGuiCol_ButtonHovered] = rgb(0xD9, 0xE6, 0xEC);
  c[ImGuiCol_ButtonActive] = rgb(0xC6, 0xDA, 0xE3);
  c[ImGuiCol_Header] = rgb(0xDD, 0xE9, 0xEE);
  c[ImGuiCol_HeaderHovered] = rgb(0xE6, 0xEF, 0xF2);
  c[ImGuiCol_HeaderActive] = rgb(0xCF, 0xE0, 0xE7);
  c[ImGuiCol_CheckMark] = rgb(0x1F, 0x6F, 0x8B);
  c[ImGuiCol_SliderGrab] = rgb(0x1F, 0x6F, 0x8B);
  c[ImGuiCol_SliderGrabActive] = rgb(0x17, 0x5A, 0x72);
  c[ImGuiCol_Separator] = rgb(0xE2, 0xDD, 0xD4);
  c[ImGuiCol_ScrollbarBg] = rgb(0xF6, 0xF4, 0xF0);
  c[ImGuiCol_ScrollbarGrab] = rgb(0xD6, 0xD0, 0xC6);
  c[ImGuiCol_TableHeaderBg] = rgb(0xEE, 0xEA, 0xE3);
  c[ImGuiCol_TableBorderLight] = rgb(0xE6, 0xE1, 0xD9);
  c[ImGuiCol_TableBorderStrong] = rgb(0xDD, 0xD8, 0xD0);
  c[ImGuiCol_TableRowBgAlt] = rgb(0xF0, 0xED, 0xE7, 0.6f);
  c[ImGuiCol_Tab] = rgb(0xE6, 0xE1, 0xD8);
  c[ImGuiCol_TabHovered] = rgb(0xD9, 0xE6, 0xEC);
  c[ImGuiCol_TabActive] = rgb(0xC6, 0xDA, 0xE3);
  c[ImGuiCol_PlotHistogram] = rgb(0x1F, 0x6F, 0x8B);
  c[ImGuiCol_NavHighlight] = rgb(0x1F, 0x6F, 0x8B);
  c[ImGuiCol_TextSelectedBg] = rgb(0xB8, 0xD5, 0xE0);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

namespace colour {
ImU32 text() { return IM_COL32(0x2B, 0x30, 0x36, 255); }
ImU32 muted() { return IM_COL32(0x6B, 0x72, 0x7A, 255); }
ImU32 faint() { return IM_COL32(0xE2, 0xDD, 0xD4, 255); }
ImU32 accent() { return IM_COL32(0x1F, 0x6F, 0x8B, 255); }
ImU32 panel_bg() { return IM_COL32(0xEE, 0xEA, 0xE3, 255); }
ImU32 card_bg() { return IM_COL32(0xFF, 0xFF, 0xFD, 255); }
ImU32 category(int i) {
  // development, communication, meetings, documents, ai-assistant, browsing, other
  static const ImU32 c[] = {IM_COL32(0x2C, 0x7F, 0xB8, 255), IM_COL32(0xE6, 0x9F, 0x00, 255),
                            IM_COL32(0xCC, 0x79, 0xA7, 255), IM_COL32(0x00, 0x9E, 0x73, 255),
                            IM_COL32(0x7A, 0x68, 0xA6, 255), IM_COL32(0x86, 0xC5, 0xE8, 255),
                            IM_COL32(0xB8, 0xB2, 0xA8, 255)};
  return c[(i >= 0 && i < 7) ? i : 6];
}
ImU32 focus() { return IM_COL32(0x2C, 0x7F, 0xB8, 255); }
ImU32 fragmented() { return IM_COL32(0xA9, 0xCB, 0xE0, 255); }
ImU32 meeting() { return IM_COL32(0xCC, 0x79, 0xA7, 255); }
ImU32 impact_kind(int i) {
  static const ImU32 c[] = {IM_COL32(0x2C, 0x7F, 0xB8, 255), IM_COL32(0x00, 0x9E, 0x73, 255),
                            IM_COL32(0xE6, 0x9F, 0x00, 255), IM_COL32(0xCC, 0x79, 0xA7, 255)};
  return c[(i >= 0 && i < 4) ? i : 0];
}
ImVec4 to_vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }
}  // namespace colour

}  // namespace cairn::ui
