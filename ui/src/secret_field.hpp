// A password input whose text lives only in sodium_malloc memory: ImGui edits a fixed-capacity
// SecretBytes buffer in place, take() hands the typed bytes over as a SecretBytes and wipes the
// buffer and ImGui's own copy of the text being edited (its input state and undo buffer).
#pragma once

#include <string_view>

#include "cairn/crypto/secret.hpp"

namespace cairn::ui {

class SecretField {
 public:
  static constexpr std::size_t kCapacity = 256;
  SecretField();
  // Draws the field; true when Enter was pressed in it.
  bool draw(const char* label, const char* hint, float width);
  std::string_view view() const;  // the typed text, for the strength meter; never copied out
  bool empty() const { return view().empty(); }
  crypto::SecretBytes take();     // returns the text and wipes every copy
  void wipe();

 private:
  crypto::SecretBytes buf_;
};

}  // namespace cairn::ui
