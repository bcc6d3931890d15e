// Soft wrapping for multi-line text fields: see wrap.hpp.
#include "wrap.hpp"

#include <algorithm>

#include "scrub.hpp"

namespace cairn::ui {
namespace {

// Bytes of the UTF-8 character starting at text[i] (1 for a stray byte), within the text.
std::size_t char_bytes(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
  return std::min(n, text.size() - i);
}

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Breaks of one hard line [from, to) of text, appended to out.
void line_breaks(std::string_view text, std::size_t from, std::size_t to, float width, const GlyphWidth& glyph,
                 std::vector<std::size_t>& out) {
  std::size_t start = from;
  float x = 0;
  std::size_t after_space = std::string_view::npos;  // the last place after a space on this line
  for (std::size_t i = from; i < to;) {
    const std::size_t n = char_bytes(text, i);
    const float w = glyph(text.substr(i, n));
    if (text[i] != ' ' && x + w > width && i > start) {
      const std::size_t at = after_space != std::string_view::npos && after_space > start ? after_space : i;
      out.push_back(at);
      start = at;
      after_space = std::string_view::npos;
      x = 0;
      i = at;
      continue;
    }
    x += w;
    i += n;
    if (text[i - n] == ' ') after_space = i;
  }
}

}  // namespace

std::vector<std::size_t> soft_breaks(std::string_view text, float width, const GlyphWidth& glyph) {
  std::vector<std::size_t> out;
  if (width <= 0) return out;
  for (std::size_t from = 0; from <= text.size();) {
    const std::size_t nl = std::min(text.find('\n', from), text.size());
    line_breaks(text, from, nl, width, glyph, out);
    from = nl + 1;
  }
  return out;
}

void WrappedText::set(std::string text) {
  if (paragraph_) std::replace(text.begin(), text.end(), '\n', ' ');
  text_ = std::move(text);
  breaks_.clear();
  shown_ = text_;
  wrapped_for_ = -1;
}

void WrappedText::wrap(float width, const GlyphWidth& glyph) {
  width_ = width;
  if (width == wrapped_for_) return;
  shown_ = rewrapped(glyph);
}

std::string WrappedText::rewrapped(const GlyphWidth& glyph) {
  breaks_ = soft_breaks(text_, width_, glyph);
  wrapped_for_ = width_;
  std::string out;
  out.reserve(text_.size() + breaks_.size());
  std::size_t from = 0;
  for (std::size_t b : breaks_) {
    out.append(text_, from, b - from);
    out += '\n';
    from = b;
  }
  out.append(text_, from, std::string::npos);
  return out;
}

std::size_t WrappedText::to_text(std::size_t shown_pos) const {
  // The k-th soft break sits at breaks_[k] + k in the buffer.
  std::size_t k = 0;
  while (k < breaks_.size() && breaks_[k] + k < shown_pos) ++k;
  return shown_pos - k;
}

std::size_t WrappedText::to_shown(std::size_t text_pos) const {
  // A position a break goes before is shown at the start of the next line.
  return text_pos + static_cast<std::size_t>(std::upper_bound(breaks_.begin(), breaks_.end(), text_pos) - breaks_.begin());
}

WrappedText::Edit WrappedText::edited(std::string_view now, Cursor cursor, int cursor_before, const GlyphWidth& glyph) {
  const std::string_view before = shown_;  // not changed here: the field still holds its pointer
  // The edited span: [p, before.size() - s) became [p, now.size() - s).
  std::size_t p = 0;
  while (p < before.size() && p < now.size() && before[p] == now[p]) ++p;
  std::size_t s = 0;
  while (s < before.size() - p && s < now.size() - p && before[before.size() - 1 - s] == now[now.size() - 1 - s]) ++s;
  std::string typed(now.substr(p, now.size() - s - p));
  if (paragraph_) std::replace(typed.begin(), typed.end(), '\n', ' ');
  std::size_t t0 = to_text(p), t1 = to_text(before.size() - s);
  if (typed.empty() && t0 == t1 && before.size() - s > p) {
    // Only soft breaks were removed: Backspace after one removes the character before it,
    // Delete before one the character after it, as if the break were that character.
    if (cursor_before > static_cast<int>(p) && t0 > 0) {
      do --t0;
      while (t0 > 0 && continuation(text_[t0]));
    } else if (t1 < text_.size()) {
      t1 += char_bytes(text_, t1);
    }
  }
  auto map = [&](int at) {
    const auto x = static_cast<std::size_t>(std::max(at, 0));
    if (x <= p) return std::min(to_text(x), t0);
    if (x <= now.size() - s) return t0 + (x - p);
    return to_text(x - now.size() + before.size()) - t1 + t0 + typed.size();
  };
  const std::size_t c = map(cursor.pos), a = map(cursor.select_start), b = map(cursor.select_end);
  text_ = text_.substr(0, t0) + typed + text_.substr(t1);
  // shown_ itself is left as it is: ImGui copies the new buffer into it after the callback.
  return Edit{rewrapped(glyph), {static_cast<int>(to_shown(c)), static_cast<int>(to_shown(a)), static_cast<int>(to_shown(b))}};
}

void WrappedText::scrub() {
  ui::scrub(text_);
  ui::scrub(shown_);
  breaks_.clear();
}

}  // namespace cairn::ui
