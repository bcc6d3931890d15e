// The category rules of the activity source: cairn/activity_rules/rules.hpp (its own small library,
// shared with the panel's rules editor), under the names the collection code uses.
#pragma once

#include "cairn/activity_rules/rules.hpp"

namespace cairn::activity {

using activity_rules::CategoryRules;
using activity_rules::default_rules_text;
using activity_rules::kMaxPatternBytes;
using activity_rules::kMaxRules;
using activity_rules::kMaxRulesBytes;
using activity_rules::write_default_rules;

}  // namespace cairn::activity
