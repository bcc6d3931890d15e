// The panel's passphrase meter uses the one rule the CLI also applies: cairn/crypto/strength.hpp.
// These names keep the gate and its tests reading as before.
#pragma once

#include "cairn/crypto/strength.hpp"

namespace cairn::ui {

using crypto::estimate_strength;
using crypto::kMinimumLevel;
using crypto::Strength;

}  // namespace cairn::ui
