// A passphrase strength estimate in plain words, with no outside word list: length times the
// size of the character classes used, discounted for repeats, runs like "abc"/"123" and a few
// very common passwords; a phrase of several words is credited per word instead. Pure function;
// reads the secret in place and copies nothing out.
#pragma once

#include <string>
#include <string_view>

namespace cairn::ui {

struct Strength {
  double bits = 0;     // rough guessing entropy
  int level = 0;       // 0 very weak, 1 weak, 2 fair, 3 strong, 4 very strong
  const char* label = "";
  const char* advice = "";
};

// A vault may be created from level 2 (fair) on.
inline constexpr int kMinimumLevel = 2;

Strength estimate_strength(std::string_view passphrase);

}  // namespace cairn::ui
