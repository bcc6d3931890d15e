// SecretField (see secret_field.hpp).
#include "secret_field.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <cstring>

#include "cairn/crypto/sodium.hpp"
#include "scrub.hpp"

namespace cairn::ui {

SecretField::SecretField() = default;

bool SecretField::draw(const char* label, const char* hint, float width) {
  if (buf_.empty()) buf_ = crypto::SecretBytes(kCapacity);  // zero-filled, so always terminated
  ImGui::SetNextItemWidth(width);
  return ImGui::InputTextWithHint(label, hint, reinterpret_cast<char*>(buf_.data()), kCapacity,
                                  ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
}

std::string_view SecretField::view() const {
  if (buf_.empty()) return {};
  const char* p = reinterpret_cast<const char*>(buf_.data());
  return {p, ::strnlen(p, kCapacity)};
}

crypto::SecretBytes SecretField::take() {
  auto v = view();
  crypto::SecretBytes out = crypto::SecretBytes::from(v);
  wipe();
  return out;
}

void SecretField::wipe() {
  if (!buf_.empty()) crypto::memzero(buf_.data(), buf_.size());
  // ImGui keeps a wide-char copy, a UTF-8 copy and an undo record of the field being edited.
  if (ImGuiContext* g = ImGui::GetCurrentContext()) {
    if (g->ActiveId == g->InputTextState.ID) ImGui::ClearActiveID();
    scrub_imgui_text_state();
  }
}

}  // namespace cairn::ui
