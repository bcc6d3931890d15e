// The one passphrase rule: a strength estimate in plain words, with no outside word list, used by
// the panel (the meter on the gate) and by the CLI (`cairn init`, `cairn passwd` refuse a weak
// passphrase unless told --weak-passphrase-ok). Length times the size of the character classes
// used, discounted for repeats, runs like "abc"/"123" and a few very common passwords; a phrase of
// several words is credited per word instead.
//
// Thread safety: pure functions. They read the secret in place and copy nothing out (the one
// lowered copy used to look for common passwords is wiped before it is freed); no result holds
// any character of the passphrase.
#pragma once

#include <string_view>

namespace cairn::crypto {

struct Strength {
  double bits = 0;     // rough guessing entropy
  int level = 0;       // 0 very weak, 1 weak, 2 fair, 3 strong, 4 very strong
  const char* label = "";
  const char* advice = "";
  const char* reason = "";  // why it is not stronger, in a few words ("" from level 3 on)
};

// A vault may be created, or a passphrase changed, from level 2 (fair) on.
inline constexpr int kMinimumLevel = 2;

Strength estimate_strength(std::string_view passphrase);

// true when the passphrase reaches kMinimumLevel.
inline bool strong_enough(const Strength& s) { return s.level >= kMinimumLevel; }

}  // namespace cairn::crypto
