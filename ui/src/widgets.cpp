// Shared widgets (see widgets.hpp).
#include "widgets.hpp"

#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "format.hpp"
#include "theme.hpp"

namespace cairn::ui::w {

void title(const char* t) {
  ImGui::PushFont(fonts().title);
  ImGui::TextUnformatted(t);
  ImGui::PopFont();
}

void heading(const char* t) {
  ImGui::Dummy(ImVec2(0, px(4)));
  ImGui::PushFont(fonts().heading);
  ImGui::TextUnformatted(t);
  ImGui::PopFont();
}

namespace {
// Wraps at the window edge unless the caller already set a narrower wrap position.
struct Wrap {
  bool pushed;
  Wrap() : pushed(ImGui::GetCurrentWindow()->DC.TextWrapPos < 0) {
    if (pushed) ImGui::PushTextWrapPos(0.0f);
  }
  ~Wrap() {
    if (pushed) ImGui::PopTextWrapPos();
  }
};
}  // namespace

void muted(const std::string& t) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour::to_vec(colour::muted()));
  Wrap wrap;
  ImGui::TextUnformatted(t.c_str());
  ImGui::PopStyleColor();
}

void small_muted(const std::string& t) {
  ImGui::PushFont(fonts().small);
  muted(t);
  ImGui::PopFont();
}

void text(const std::string& t) {
  Wrap wrap;
  ImGui::TextUnformatted(t.c_str());
}

void tooltip(const std::string& t) {
  if (!ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(px(360));
  ImGui::TextUnformatted(t.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void help(const char* explanation) {
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, colour::to_vec(colour::muted()));
  ImGui::TextUnformatted("(?)");
  ImGui::PopStyleColor();
  tooltip(explanation);
}

void stat(const char* id, const char* name, const std::string& value, const std::string& how, float width) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, colour::to_vec(colour::card_bg()));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(14), px(10)));
  // Name, value and up to three lines of explanation.
  const float h = fonts().small->FontSize * 5.2f + fonts().title->FontSize + px(30);
  ImGui::BeginChild(id, ImVec2(px(width), h), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PushFont(fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, colour::to_vec(colour::muted()));
  ImGui::TextUnformatted(name);
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::PushFont(fonts().title);
  ImGui::TextUnformatted(value.c_str());
  ImGui::PopFont();
  ImGui::PushFont(fonts().small);
  muted(how);
  ImGui::PopFont();
  ImGui::EndChild();
  tooltip(how);
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

bool primary_button(const char* label) {
  ImGui::PushStyleColor(ImGuiCol_Button, colour::to_vec(colour::accent()));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.15f, 0.50f, 0.62f, 1));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.09f, 0.35f, 0.45f, 1));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  bool pressed = ImGui::Button(label);
  ImGui::PopStyleColor(4);
  return pressed;
}

bool link_button(const char* label) {
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.12f, 0.44f, 0.55f, 0.08f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.12f, 0.44f, 0.55f, 0.16f));
  ImGui::PushStyleColor(ImGuiCol_Text, colour::to_vec(colour::accent()));
  bool pressed = ImGui::Button(label);
  ImGui::PopStyleColor(4);
  return pressed;
}

namespace {

// The width of one character in the current font, as the multi-line field measures its text.
float glyph_width(std::string_view g) {
  unsigned int c = 0;
  ImTextCharFromUtf8(&c, g.data(), g.data() + g.size());
  ImFont* font = ImGui::GetFont();
  return font->GetCharAdvance(static_cast<ImWchar>(c)) * (ImGui::GetFontSize() / font->FontSize);
}

// ImGui's undo history records positions in the buffer as it was; once a re-wrap moved line
// breaks they may lie past its end (ImGui would then read beyond the text), so it is forgotten,
// as stb_textedit_clear_state forgets it.
void forget_undo() {
  auto& u = GImGui->InputTextState.Stb.undostate;
  u.undo_point = 0;
  u.undo_char_point = 0;
  u.redo_point = static_cast<short>(IM_ARRAYSIZE(u.undo_rec));
  u.redo_char_point = IM_ARRAYSIZE(u.undo_char);
}

// One callback per frame while the field is active: the cursor (kept for the next edit), or an
// edit, which is carried over to the written text and replaced by the re-wrapped buffer.
int wrapped_callback(ImGuiInputTextCallbackData* d) {
  static int cursor_before = 0;  // UI thread only; one field is active at a time
  auto& t = *static_cast<WrappedText*>(d->UserData);
  if (d->EventFlag != ImGuiInputTextFlags_CallbackEdit) {
    cursor_before = d->CursorPos;
    return 0;
  }
  auto e = t.edited(std::string_view(d->Buf, static_cast<std::size_t>(d->BufTextLen)),
                    {d->CursorPos, d->SelectionStart, d->SelectionEnd}, cursor_before, glyph_width);
  if (e.shown != std::string_view(d->Buf, static_cast<std::size_t>(d->BufTextLen))) {
    d->DeleteChars(0, d->BufTextLen);
    d->InsertChars(0, e.shown.data(), e.shown.data() + e.shown.size());
    forget_undo();
  }
  d->CursorPos = e.cursor.pos;
  d->SelectionStart = e.cursor.select_start;
  d->SelectionEnd = e.cursor.select_end;
  cursor_before = d->CursorPos;
  return 0;
}

}  // namespace

bool wrapped_input(const char* id, WrappedText& text, float height) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float width = ImGui::GetContentRegionAvail().x - style.FramePadding.x * 2 - style.ScrollbarSize - px(4);
  if (ImGui::GetActiveID() != ImGui::GetID(id)) text.wrap(width, glyph_width);
  else text.set_width(width);
  return ImGui::InputTextMultiline(id, &text.shown(), ImVec2(-1, height),
                                   ImGuiInputTextFlags_CallbackEdit | ImGuiInputTextFlags_CallbackAlways, wrapped_callback,
                                   &text);
}

bool export_form(const char* key, std::string& path, bool& replace, const char* button, const char* hint,
                 const std::function<void(const std::string&)>& track) {
  ImGui::PushID(key);
  const float button_w = ImGui::CalcTextSize(button).x + ImGui::GetStyle().FramePadding.x * 2;
  const float check_w = ImGui::CalcTextSize("Replace an existing file").x + ImGui::GetFrameHeight() + px(24);
  ImGui::SetNextItemWidth(std::max(px(160), std::min(px(520), ImGui::GetContentRegionAvail().x - button_w - check_w - px(16))));
  ImGui::InputTextWithHint("##path", hint, &path);
  track(std::string(key) + ".path");
  ImGui::SameLine();
  ImGui::Checkbox("Replace an existing file", &replace);
  track(std::string(key) + ".replace");
  ImGui::SameLine();
  ImGui::BeginDisabled(path.empty());
  const bool pressed = primary_button(button);
  track(std::string(key) + ".export");
  ImGui::EndDisabled();
  ImGui::PopID();
  return pressed;
}

void message_line(const std::string& t, bool error) {
  if (t.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, error ? ImVec4(0.62f, 0.22f, 0.12f, 1) : colour::to_vec(colour::accent()));
  {
    Wrap wrap;
    ImGui::TextUnformatted(t.c_str());
  }
  ImGui::PopStyleColor();
}

// Cards size themselves to their content: the content is drawn on a foreground channel, then the
// background is filled behind it once its height is known. The window's content rectangle is
// narrowed meanwhile so wrapped text and full-width widgets keep a right margin.
namespace {
struct CardFrame {
  ImVec2 start;
  float right;
};
ImVector<CardFrame> g_cards;  // cards do not nest; the vector only guards against misuse
}  // namespace

void begin_card() {
  IM_ASSERT(g_cards.empty() && "cards do not nest");
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  const float pad = px(16);
  CardFrame f{ImGui::GetCursorScreenPos(), win->ContentRegionRect.Max.x};
  g_cards.push_back(f);
  win->DrawList->ChannelsSplit(2);
  win->DrawList->ChannelsSetCurrent(1);
  win->ContentRegionRect.Max.x -= pad;
  win->WorkRect.Max.x -= pad;
  ImGui::Dummy(ImVec2(0, px(6)));
  ImGui::Indent(pad);
  ImGui::BeginGroup();
}

void end_card() {
  IM_ASSERT(!g_cards.empty());
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  const float pad = px(16);
  ImGui::EndGroup();
  const float bottom = ImGui::GetItemRectMax().y + px(12);
  ImGui::Unindent(pad);
  win->ContentRegionRect.Max.x += pad;
  win->WorkRect.Max.x += pad;
  CardFrame f = g_cards.back();
  g_cards.pop_back();
  win->DrawList->ChannelsSetCurrent(0);
  ImVec2 a(f.start.x, f.start.y), b(f.right, bottom);
  win->DrawList->AddRectFilled(a, b, colour::card_bg(), px(8));
  win->DrawList->AddRect(a, b, IM_COL32(0xE4, 0xDF, 0xD6, 255), px(8));
  win->DrawList->ChannelsMerge();
  ImGui::SetCursorScreenPos(ImVec2(f.start.x, bottom + px(14)));
  ImGui::Dummy(ImVec2(0, 0));
}

}  // namespace cairn::ui::w
