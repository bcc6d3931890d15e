// base/text.hpp: what reaches a terminal from outside text, and counts written in words.
#include <doctest/doctest.h>

#include "cairn/base/text.hpp"

using cairn::is_safe_outside_text;
using cairn::safe_outside_text;

TEST_CASE("ordinary text in any script passes unchanged") {
  for (const char* s : {"Team health, Q4", "Équipe « plateforme »", "チームの健康", "فريق المنصة", "emoji 🧱 ok", ""}) {
    CAPTURE(s);
    CHECK(safe_outside_text(s) == s);
    CHECK(is_safe_outside_text(s));
  }
}

TEST_CASE("C0 controls, ESC sequences, DEL and C1 controls become visible escapes") {
  CHECK(safe_outside_text("a\x1b[1A\x1b[2Kb") == "a\\x1B[1A\\x1B[2Kb");
  CHECK(safe_outside_text("\x1b]0;title\x07") == "\\x1B]0;title\\x07");
  CHECK(safe_outside_text(std::string("nul\0x", 5)) == "nul\\x00x");
  CHECK(safe_outside_text("cr\rlf") == "cr\\x0Dlf");
  CHECK(safe_outside_text("del\x7f") == "del\\x7F");
  CHECK(safe_outside_text("csi\xC2\x9B" "31m") == "csi\\x9B31m");  // U+009B, the 8-bit CSI
  CHECK(safe_outside_text("tab\there") == "tab here");
}

TEST_CASE("newlines are kept only for multi-line text") {
  CHECK(safe_outside_text("one\ntwo") == "one\\x0Atwo");
  CHECK(safe_outside_text("one\ntwo", true) == "one\ntwo");
  CHECK(safe_outside_text("one\r\ntwo", true) == "one\\x0D\ntwo");
  CHECK_FALSE(is_safe_outside_text("one\ntwo"));
  CHECK(is_safe_outside_text("one\ntwo", true));
}

TEST_CASE("bidirectional overrides, isolates and marks become visible escapes") {
  CHECK(safe_outside_text("a\u202Eb") == "a\\u{202E}b");
  for (char32_t cp : {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
                      0x2028, 0x2029}) {
    std::string utf8;
    if (cp < 0x800) {
      utf8 += static_cast<char>(0xC0 | (cp >> 6));
    } else {
      utf8 += static_cast<char>(0xE0 | (cp >> 12));
      utf8 += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    }
    utf8 += static_cast<char>(0x80 | (cp & 0x3F));
    auto out = safe_outside_text("x" + utf8 + "y");
    CAPTURE(static_cast<unsigned>(cp));
    CHECK(out.find(utf8) == std::string::npos);
    CHECK(out.find("\\u{") != std::string::npos);
  }
  CHECK(safe_outside_text("\u200B") == "\u200B");  // zero-width space is not a direction control
}

TEST_CASE("invalid UTF-8 becomes U+FFFD, byte by byte, and never swallows what follows") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(safe_outside_text("a\xff" "b") == "a" + fffd + "b");
  CHECK(safe_outside_text("\xC0\xAF") == fffd + fffd);              // overlong '/'
  CHECK(safe_outside_text("\xE0\x80\x9B") == fffd + fffd + fffd);   // overlong ESC-like
  CHECK(safe_outside_text("\xED\xA0\x80") == fffd + fffd + fffd);   // a surrogate
  CHECK(safe_outside_text("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // past U+10FFFF
  CHECK(safe_outside_text("\xE2\x80") == fffd + fffd);              // truncated
  CHECK(safe_outside_text("\xE2\x80\x1b[2J") == fffd + fffd + "\\x1B[2J");  // ESC after a cut sequence
}

TEST_CASE("the output never holds a control byte or a bidi control, whatever the input") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  all += "\u202E\u2066\xC2\x85";
  auto out = safe_outside_text(all);
  for (unsigned char c : out) CHECK((c >= 0x20 && c != 0x7f));
  CHECK(out.find("\u202E") == std::string::npos);
  CHECK(is_safe_outside_text(out));
}

TEST_CASE("count_text writes the singular for exactly one and the plural otherwise") {
  using cairn::count_text;
  CHECK(count_text(0, "report", "reports") == "0 reports");
  CHECK(count_text(1, "report", "reports") == "1 report");
  CHECK(count_text(2, "report", "reports") == "2 reports");
  CHECK(count_text(1, "activity span", "activity spans") == "1 activity span");
  CHECK(count_text(15, "activity span", "activity spans") == "15 activity spans");
  CHECK(count_text(1, "match", "matches") == "1 match");
  CHECK(count_text(3, "match", "matches") == "3 matches");
  CHECK(count_text(9223372036854775807, "token", "tokens") == "9223372036854775807 tokens");
}
