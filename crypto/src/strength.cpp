// Passphrase strength (see strength.hpp). Deliberately conservative: it is better to ask for one
// more word than to praise a guessable passphrase.
#include "cairn/crypto/strength.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace cairn::crypto {
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

struct Classes {
  bool lower = false, upper = false, digit = false, symbol = false, other = false;
  double pool() const { return (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 64 : 0); }
  int count() const { return lower + upper + digit + symbol + other; }
};

Classes classes_of(std::string_view p) {
  Classes k;
  for (unsigned char c : p) {
    if (c >= 'a' && c <= 'z') k.lower = true;
    else if (c >= 'A' && c <= 'Z') k.upper = true;
    else if (c >= '0' && c <= '9') k.digit = true;
    else if (c < 0x80) k.symbol = true;
    else k.other = true;
  }
  return k;
}

// Effective characters: a repeat of the previous character or a step of +-1 from it ("aaa",
// "abc", "321") adds little.
double effective_chars(std::string_view p) {
  double effective = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i > 0) {
      int d = static_cast<unsigned char>(p[i]) - static_cast<unsigned char>(p[i - 1]);
      if (d == 0 || d == 1 || d == -1) {
        effective += 0.25;
        continue;
      }
    }
    effective += 1;
  }
  return effective;
}

// Words of three or more letters.
int word_count(std::string_view p) {
  int words = 0, run = 0;
  for (std::size_t i = 0; i <= p.size(); ++i) {
    bool letter = i < p.size() && std::isalpha(static_cast<unsigned char>(p[i]));
    if (letter) ++run;
    else {
      if (run >= 3) ++words;
      run = 0;
    }
  }
  return words;
}

void set_level(Strength& s, bool empty) {
  const double bits = s.bits;
  if (empty) { s.level = 0; s.label = ""; s.advice = "Choose a passphrase you can remember: four or more unrelated words work well."; }
  else if (bits < 28) { s.level = 0; s.label = "Very weak"; s.advice = "This could be guessed quickly. Use a longer phrase of several unrelated words."; }
  else if (bits < 45) { s.level = 1; s.label = "Weak"; s.advice = "Add another word or two; length helps more than symbols."; }
  else if (bits < 60) { s.level = 2; s.label = "Fair"; s.advice = "Acceptable. One more word would make it strong."; }
  else if (bits < 80) { s.level = 3; s.label = "Strong"; s.advice = "Good. Keep it in your memory or a password manager only."; }
  else { s.level = 4; s.label = "Very strong"; s.advice = "Very good. Keep it in your memory or a password manager only."; }
}

}  // namespace

Strength estimate_strength(std::string_view p) {
  Strength s;
  const Classes k = classes_of(p);
  const double pool = k.pool();
  const double effective = effective_chars(p);
  const double char_bits = pool > 0 ? effective * std::log2(pool) : 0;
  // A phrase of words: credit about 11 bits per word of three or more letters (a large word
  // list), which for long phrases is less than the character count suggests.
  const int words = word_count(p);
  double bits = char_bits;
  if (words >= 3) bits = std::min(char_bits, words * 11.0 + (k.digit || k.symbol || k.upper ? 4.0 : 0.0));
  const bool common = contains_common(p);
  if (common) bits = std::min(bits, 12.0);
  s.bits = bits;
  set_level(s, p.empty());
  if (s.level >= 3) return s;
  // The main reason it is not stronger, most telling first.
  if (p.empty()) s.reason = "it is empty";
  else if (common) s.reason = "it is or contains a very common password";
  else if (effective < 0.75 * static_cast<double>(p.size())) s.reason = "it is mostly repeated or consecutive characters";
  else if (words >= 3) s.reason = "a phrase of only a few words";
  else if (p.size() < 12) s.reason = "it is short";
  else if (k.count() == 1) s.reason = "it uses only one kind of character";
  else s.reason = "it could be guessed with moderate effort";
  return s;
}

}  // namespace cairn::crypto
