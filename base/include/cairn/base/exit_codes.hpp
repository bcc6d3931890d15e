// The exit statuses of Cairn's programs (`cairn`, `cairn-aggregator`), one map from Errc for all
// of them, matching the README's table:
//   0 ok · 1 failure (disk, network, internal) · 2 usage (and input too large) ·
//   3 wrong passphrase, recovery code or secret · 4 corrupt or tampered vault, store or file ·
//   5 not set up yet · 6 refused by policy
#pragma once

#include "cairn/base/result.hpp"

namespace cairn {

enum Exit : int { kOk = 0, kFailure = 1, kUsage = 2, kWrongSecret = 3, kCorrupt = 4, kNotSetUp = 5, kRefused = 6 };

int exit_code_for(Errc code);

}  // namespace cairn
