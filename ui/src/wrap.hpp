// Soft wrapping for the panel's multi-line text fields: ImGui 1.86's InputTextMultiline has no
// wrap flag, so a field edits a copy of the text with a '\n' inserted wherever a line has to break
// to fit the field's width ("soft" breaks), and every edit ImGui makes to that copy is carried back
// to the text the employee wrote, which keeps only the line breaks they typed ("hard" breaks).
// This works because the soft breaks' places are known: an edit is the span where the field's
// buffer before and after it differ; outside that span the soft breaks are where they were, inside
// it everything was typed (or pasted). The text is then wrapped again and the cursor put at the
// same place in it. Lines break after a space; a word wider than the field (a long link) breaks
// between two characters.
//
// Pure: no ImGui here (w::wrapped_input in widgets.hpp is the field); unit-tested in
// tests/ui/wrap_test.cpp. Known limit: ImGui's undo replays edits at the positions they had, so
// the field forgets its undo history whenever an edit moves a line break (undo works between).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::ui {

// The width of one UTF-8 character (the bytes of one code point).
using GlyphWidth = std::function<float(std::string_view glyph)>;

// Positions in `text` before which a soft break goes so that no line is wider than `width`
// (spaces at a line's end may hang past it). Nothing when width <= 0.
std::vector<std::size_t> soft_breaks(std::string_view text, float width, const GlyphWidth& glyph);

class WrappedText {
 public:
  WrappedText() = default;
  // paragraph: one paragraph (a contribution's text): a typed line break becomes a space.
  explicit WrappedText(bool paragraph) : paragraph_(paragraph) {}

  const std::string& text() const { return text_; }  // as written: hard line breaks only
  void set(std::string text);
  // The buffer the field edits: text() with the soft breaks.
  std::string& shown() { return shown_; }
  // Wraps again when the width or the text changed. Not while the field is being edited (ImGui
  // holds its own copy then): set_width() only, and edits re-wrap through edited().
  void wrap(float width, const GlyphWidth& glyph);
  void set_width(float width) { width_ = width; }

  struct Cursor {
    int pos = 0, select_start = 0, select_end = 0;  // byte offsets into the field's buffer
  };
  struct Edit {
    std::string shown;  // the buffer to put in the field
    Cursor cursor;      // where the cursor and selection go in it
  };
  // The field's buffer after an edit, its cursor, and where the cursor was before the edit (to
  // tell Backspace from Delete on a soft break: either removes the character the break stood for).
  // Updates text(); the returned buffer is what shown() must become (the field copies it back).
  Edit edited(std::string_view now, Cursor cursor, int cursor_before, const GlyphWidth& glyph);

  // Overwrites both copies before they are dropped (scrub.hpp's rule).
  void scrub();

 private:
  std::size_t to_text(std::size_t shown_pos) const;  // a buffer position as a position in text_
  std::size_t to_shown(std::size_t text_pos) const;  // and back, after the soft breaks before it
  // Sets breaks_ for text_ at width_ and returns text_ with them.
  std::string rewrapped(const GlyphWidth& glyph);

  std::string text_, shown_;
  std::vector<std::size_t> breaks_;  // positions in text_, ascending
  bool paragraph_ = false;
  float width_ = 0;        // the width wrapped for
  float wrapped_for_ = -1;  // the width shown_ was last built for (-1: text changed since)
};

}  // namespace cairn::ui
