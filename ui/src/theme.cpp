// Fonts, style and palette. The palette is Okabe & Ito's colour-blind-safe set, softened a little
// towards the background so the panel reads calm; text contrast stays above WCAG AA.
#include "theme.hpp"

#include <cstdint>
#include <filesystem>

namespace cairn::ui {
namespace {

// ImGui itself keeps one global context; the scale lives beside it for the same reason.
float g_scale = 1.0f;
Fonts g_fonts;

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

// The palette, 0xRRGGBB, each colour named once: the ImGui style below and colour:: use these.
constexpr std::uint32_t kInk = 0x2B3036, kMuted = 0x6B727A, kPaper = 0xF6F4F0, kCard = 0xFFFFFD, kWhite = 0xFFFFFF;
constexpr std::uint32_t kBorder = 0xDDD8D0, kFaint = 0xE2DDD4, kPanel = 0xEEEAE3, kSelection = 0xB8D5E0;
constexpr std::uint32_t kFrame = 0xECE8E1, kFrameHover = 0xE3DED5, kFrameActive = 0xDAD4CA;
constexpr std::uint32_t kControl = 0xE6E1D8, kControlHover = 0xD9E6EC, kControlActive = 0xC6DAE3;
constexpr std::uint32_t kHeader = 0xDDE9EE, kHeaderHover = 0xE6EFF2, kHeaderActive = 0xCFE0E7;
// Okabe & Ito's hues (categories, impact kinds, the timeline).
constexpr std::uint32_t kBlue = 0x2C7FB8, kOrange = 0xE69F00, kPink = 0xCC79A7, kGreen = 0x009E73, kViolet = 0x7A68A6;
constexpr std::uint32_t kSky = 0x86C5E8, kStone = 0xB8B2A8, kPaleBlue = 0xA9CBE0;
constexpr std::uint32_t kAccent = 0x1F6F8B, kAccentDark = 0x175A72, kGrab = 0xD6D0C6, kRule = 0xE6E1D9, kRowAlt = 0xF0EDE7;

ImU32 u32(std::uint32_t rgb) { return IM_COL32((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, 255); }
ImVec4 vec(std::uint32_t rgb, float alpha) {
  return ImVec4(((rgb >> 16) & 0xFF) / 255.f, ((rgb >> 8) & 0xFF) / 255.f, (rgb & 0xFF) / 255.f, alpha);
}

struct StyleColour {
  ImGuiCol slot;
  std::uint32_t rgb;
  float alpha = 1.0f;
};
// The ImGui style's colours, grouped by what they paint.
const StyleColour kStyleColours[] = {
    {ImGuiCol_Text, kInk}, {ImGuiCol_TextDisabled, kMuted}, {ImGuiCol_TextSelectedBg, kSelection},
    {ImGuiCol_WindowBg, kPaper}, {ImGuiCol_ChildBg, kWhite, 0.0f}, {ImGuiCol_PopupBg, kCard}, {ImGuiCol_Border, kBorder},
    {ImGuiCol_FrameBg, kFrame}, {ImGuiCol_FrameBgHovered, kFrameHover}, {ImGuiCol_FrameBgActive, kFrameActive},
    {ImGuiCol_Button, kControl}, {ImGuiCol_ButtonHovered, kControlHover}, {ImGuiCol_ButtonActive, kControlActive},
    {ImGuiCol_Tab, kControl}, {ImGuiCol_TabHovered, kControlHover}, {ImGuiCol_TabActive, kControlActive},
    {ImGuiCol_Header, kHeader}, {ImGuiCol_HeaderHovered, kHeaderHover}, {ImGuiCol_HeaderActive, kHeaderActive},
    {ImGuiCol_CheckMark, kAccent}, {ImGuiCol_SliderGrab, kAccent}, {ImGuiCol_SliderGrabActive, kAccentDark},
    {ImGuiCol_PlotHistogram, kAccent}, {ImGuiCol_NavHighlight, kAccent}, {ImGuiCol_Separator, kFaint},
    {ImGuiCol_ScrollbarBg, kPaper}, {ImGuiCol_ScrollbarGrab, kGrab},
    {ImGuiCol_TableHeaderBg, kPanel}, {ImGuiCol_TableBorderLight, kRule}, {ImGuiCol_TableBorderStrong, kBorder},
    {ImGuiCol_TableRowBgAlt, kRowAlt, 0.6f},
};

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

  for (const auto& e : kStyleColours) style.Colors[e.slot] = vec(e.rgb, e.alpha);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

namespace colour {
ImU32 text() { return u32(kInk); }
ImU32 muted() { return u32(kMuted); }
ImU32 faint() { return u32(kFaint); }
ImU32 accent() { return u32(kAccent); }
ImU32 panel_bg() { return u32(kPanel); }
ImU32 card_bg() { return u32(kCard); }
ImU32 category(int i) {
  // development, communication, meetings, documents, ai-assistant, browsing, other
  static const ImU32 c[] = {u32(kBlue), u32(kOrange), u32(kPink), u32(kGreen), u32(kViolet), u32(kSky), u32(kStone)};
  return c[(i >= 0 && i < 7) ? i : 6];
}
ImU32 focus() { return u32(kBlue); }
ImU32 fragmented() { return u32(kPaleBlue); }
ImU32 meeting() { return u32(kPink); }
ImU32 calendar_meeting() { return IM_COL32(0x7A, 0x3E, 0x63, 255); }
ImU32 impact_kind(int i) {
  static const ImU32 c[] = {u32(kBlue), u32(kGreen), u32(kOrange), u32(kPink)};
  return c[(i >= 0 && i < 4) ? i : 0];
}
ImVec4 to_vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }
}  // namespace colour

}  // namespace cairn::ui
