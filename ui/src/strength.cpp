// Passphrase strength (see strength.hpp). Deliberately conservative: it is better to ask for one
// more word than to praise a guessable passphrase.
#include "strength.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace cairn::ui {
namespace {

bool contains_common(std::string_view p) {
  static const char* common[] = {"password", "passwort", "123456", "qwerty", "letmein", "iloveyou", "welcome",
                                 "admin", "monkey", "dragon", "abc123", "111111", "secret", "cairn", "azerty"};
  std::string lower(p);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  bool found = false;
  for (const char* c : common)
    if (lower.find(c) != std::string::npos && lower.size() < std::string_view(c).size() + 6) found = true;
  // The lowered copy is an ordinary string: wipe it before it is freed (volatile so the stores
  // are not optimised away).
  volatile char* v = lower.data();
  for (std::size_t i = 0; i < lower.size(); ++i) v[i] = 0;
  return found;
}

}  // namespace

Strength estimate_strength(std::string_view p) {
  Strength s;
  bool lower = false, upper = false, digit = false, symbol = false, other = false;
  for (unsigned char c : p) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else if (c < 0x80) symbol = true;
    else other = true;
  }
  double pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 64 : 0);
  // Count effective characters: a repeat of the previous character or a step of +-1 from it
  // ("aaa", "abc", "321") adds little.
  double effective = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i > 0) {
      int d = static_cast<unsigned char>(p[i]) - static_cast<unsigned char>(p[i - 1]);
      if (d == 0 || d == 1 || d == -1) { effective += 0.25; continue; }
    }
    effective += 1;
  }
  double char_bits = pool > 0 ? effective * std::log2(pool) : 0;
  // A phrase of words: credit about 11 bits per word of three or more letters (a large word
  // list), which for long phrases is less than the character count suggests.
  int words = 0, run = 0;
  for (std::size_t i = 0; i <= p.size(); ++i) {
    bool letter = i < p.size() && std::isalpha(static_cast<unsigned char>(p[i]));
    if (letter) ++run;
    else { if (run >= 3) ++words; run = 0; }
  }
  double bits = char_bits;
  if (words >= 3) bits = std::min(char_bits, words * 11.0 + (digit || symbol || upper ? 4.0 : 0.0));
  if (contains_common(p)) bits = std::min(bits, 12.0);
  s.bits = bits;
  if (p.empty()) { s.level = 0; s.label = ""; s.advice = "Choose a passphrase you can remember: four or more unrelated words work well."; }
  else if (bits < 28) { s.level = 0; s.label = "Very weak"; s.advice = "This could be guessed quickly. Use a longer phrase of several unrelated words."; }
  else if (bits < 45) { s.level = 1; s.label = "Weak"; s.advice = "Add another word or two; length helps more than symbols."; }
  else if (bits < 60) { s.level = 2; s.label = "Fair"; s.advice = "Acceptable. One more word would make it strong."; }
  else if (bits < 80) { s.level = 3; s.label = "Strong"; s.advice = "Good. Keep it in your memory or a password manager only."; }
  else { s.level = 4; s.label = "Very strong"; s.advice = "Very good. Keep it in your memory or a password manager only."; }
  return s;
}

}  // namespace cairn::ui
