// Soft wrapping of the panel's multi-line fields (ui/src/wrap.hpp): lines break after a space or,
// for a word wider than the field, between characters; an edit to the wrapped buffer reaches the
// written text with only the breaks that were typed; the cursor stays at the same place in the
// text; Backspace or Delete on a soft break removes the character it stands for.
#include <doctest/doctest.h>

#include <string>

#include "wrap.hpp"

using namespace cairn;

namespace {

const ui::GlyphWidth kOneEach = [](std::string_view) { return 1.0f; };  // one unit a character

// Types `typed` at the cursor of a field showing t, as ImGui would, and applies the callback.
ui::WrappedText::Cursor type_at(ui::WrappedText& t, int at, const std::string& typed, std::string* shown = nullptr) {
  std::string now = t.shown();
  now.insert(static_cast<std::size_t>(at), typed);
  const int c = at + static_cast<int>(typed.size());
  auto e = t.edited(now, {c, c, c}, at, kOneEach);
  t.shown() = e.shown;  // what ImGui copies back
  if (shown) *shown = e.shown;
  return e.cursor;
}

}  // namespace

TEST_CASE("soft breaks: after spaces, inside a word only when it is wider than the line, per typed line") {
  CHECK(ui::soft_breaks("one two three four five", 9, kOneEach) == std::vector<std::size_t>{8, 14});
  // "one two " | "three " | "four five": the space hangs at a line's end.
  CHECK(ui::soft_breaks("https://example.org/mr/9", 10, kOneEach) == std::vector<std::size_t>{10, 20});
  CHECK(ui::soft_breaks("ab\nab cd ef", 5, kOneEach) == std::vector<std::size_t>{9});
  CHECK(ui::soft_breaks("short", 100, kOneEach).empty());
  CHECK(ui::soft_breaks("anything at all", 0, kOneEach).empty());  // no width yet: no wrapping
  // UTF-8: a break never splits a character.
  const std::string accents = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";  // four é, 8 bytes
  CHECK(ui::soft_breaks(accents, 3, kOneEach) == std::vector<std::size_t>{6});
}

TEST_CASE("a wrapped field shows soft breaks and keeps the written text as typed") {
  ui::WrappedText t;
  t.set("merge request https://example.org/a/very/long/link\nticket 42");
  t.wrap(16, kOneEach);
  CHECK(t.shown() == "merge request \nhttps://example.\norg/a/very/long/\nlink\nticket 42");
  CHECK(t.text() == "merge request https://example.org/a/very/long/link\nticket 42");
  t.wrap(100, kOneEach);  // wider: the soft breaks go, the typed one stays
  CHECK(t.shown() == "merge request https://example.org/a/very/long/link\nticket 42");

  ui::WrappedText para(true);  // a paragraph: a typed line break is a space
  para.set("one\ntwo");
  CHECK(para.text() == "one two");
}

TEST_CASE("edits to the wrapped buffer reach the text; the cursor follows the re-wrap") {
  ui::WrappedText t;
  t.set("aaa bbb");
  t.wrap(5, kOneEach);
  REQUIRE(t.shown() == "aaa \nbbb");
  // Typing at the end of a wrapped line.
  std::string shown;
  auto c = type_at(t, 8, " cc", &shown);
  CHECK(t.text() == "aaa bbb cc");
  CHECK(shown == "aaa \nbbb \ncc");
  CHECK(c.pos == 12);  // the end, after two soft breaks
  // Enter typed just before a soft break: a real line break, the soft one gone.
  t.set("aaa bbb");
  t.wrap(5, kOneEach);
  c = type_at(t, 5, "\n");  // at the start of the second line
  CHECK(t.text() == "aaa \nbbb");
  CHECK(t.shown() == "aaa \nbbb");
  CHECK(c.pos == 5);
  // Pasting a long link in the middle: wrapped between characters, kept whole in the text.
  t.set("see  here");
  t.wrap(8, kOneEach);
  c = type_at(t, 4, "https://x.org/abcdef");
  CHECK(t.text() == "see https://x.org/abcdef here");
  CHECK(t.shown() == "see \nhttps://\nx.org/ab\ncdef \nhere");
  CHECK(c.pos == 27);  // after "cdef", before the space, as in the text
  CHECK(t.shown()[static_cast<std::size_t>(c.pos)] == ' ');
}

TEST_CASE("Backspace or Delete on a soft break removes the character it stands for") {
  ui::WrappedText t;
  t.set("aaa bbb");
  t.wrap(5, kOneEach);
  REQUIRE(t.shown() == "aaa \nbbb");
  // Backspace at the start of the second line: ImGui removes the soft '\n'; the space goes.
  auto e = t.edited("aaa bbb", {4, 4, 4}, 5, kOneEach);
  CHECK(t.text() == "aaabbb");
  CHECK(e.shown == "aaabb\nb");  // one word wider than the line: broken between characters
  CHECK(e.cursor.pos == 3);
  // Delete at the end of the first line (after the space): the 'b' after the break goes.
  t.set("aaa bbb");
  t.wrap(5, kOneEach);
  e = t.edited("aaa bbb", {4, 4, 4}, 4, kOneEach);
  CHECK(t.text() == "aaa bb");
  CHECK(e.cursor.pos == 5);  // still before "bb", on the second line
  CHECK(e.shown == "aaa \nbb");
}

TEST_CASE("a paragraph field turns a typed line break into a space") {
  ui::WrappedText t(true);
  t.set("first");
  t.wrap(40, kOneEach);
  type_at(t, 5, "\nsecond");
  CHECK(t.text() == "first second");
  CHECK(t.shown() == "first second");
}

TEST_CASE("scrub empties both copies") {
  ui::WrappedText t;
  t.set("a private note");
  t.wrap(5, kOneEach);
  t.scrub();
  CHECK(t.text().empty());
  CHECK(t.shown().empty());
}
