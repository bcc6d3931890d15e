// Text shown to a person, in one place. Two concerns live here:
//
// Counts: count_text(n, one, many) writes "1 report" / "2 reports", "0 problems", so no message
// says "report(s)". Both forms are passed explicitly ("match"/"matches"), nothing is guessed.
//
// Outside text: text from outside (an organisation's plan, a server's error message, a file,
// another program) made safe to show on a terminal or in a panel. Every string that did not come
// from Cairn itself or from the employee's own typing goes through safe_outside_text() before it
// is printed: otherwise ESC sequences could move the cursor and rewrite an approval screen, set a
// window title, and bidirectional overrides could make text read differently than it is.
//
// What it does, on the decoded UTF-8:
// - C0 controls (U+0000..U+001F), DEL (U+007F) and C1 controls (U+0080..U+009F) become the
//   visible escape "\xNN"; a tab becomes a space; "\n" is kept only when multi_line is set.
// - bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A..U+202E,
//   U+2066..U+2069) and the line/paragraph separators U+2028, U+2029 become "\u{NNNN}".
// - invalid UTF-8 (bad, overlong, surrogate or truncated sequences) becomes U+FFFD, byte by byte.
// Everything else passes unchanged, so ordinary text in any script reads as it was written.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

// "1 report", "2 reports", "0 reports": n, a space, then `one` when n == 1 and `many` otherwise.
std::string count_text(std::int64_t n, std::string_view one, std::string_view many);

std::string safe_outside_text(std::string_view text, bool multi_line = false);

// true when safe_outside_text(text, multi_line) would return text unchanged.
bool is_safe_outside_text(std::string_view text, bool multi_line = false);

}  // namespace cairn
