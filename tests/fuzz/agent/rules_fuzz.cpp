// Fuzz target: the category rules file (agent/activity, CategoryRules::parse), which the employee
// edits by hand, and the glob matching it drives. A parse that succeeds must respect the limits
// the header promises, and categorising must end quickly (no exponential glob backtracking) and
// always name a category.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cairn/activity/rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rules = cairn::activity::CategoryRules::parse(text);
  if (!rules.ok()) return 0;
  if (size > cairn::activity::kMaxRulesBytes || rules->rules().size() > cairn::activity::kMaxRules) std::abort();
  for (const auto& r : rules->rules())
    if (r.pattern.size() > cairn::activity::kMaxPatternBytes) std::abort();
  // Match against window classes built from the input itself (long, pattern-like) and plain ones.
  const std::string tail(text.substr(size / 2)), long_name(300, 'a');
  for (std::string_view cls : {std::string_view("firefox"), std::string_view(tail), std::string_view(long_name)})
    if (rules->categorize(cls, cls).empty()) std::abort();
  return 0;
}
