// The employee's annual privacy cap, kept in the store's settings (see budget.hpp).
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "cairn/budget/budget.hpp"

namespace cairn::budget {
namespace {

Status valid(const dp::BudgetCap& cap) {
  if (!std::isfinite(cap.epsilon) || !(cap.epsilon > 0))
    return make_error(Errc::usage, "the annual privacy cap must be a positive epsilon");
  if (!(cap.delta > 0 && cap.delta < 1)) return make_error(Errc::usage, "the cap's delta must be between 0 and 1");
  return ok_status();
}

}  // namespace

Result<dp::BudgetCap> load_cap(const store::Store& store) {
  auto text = CAIRN_TRY(store.setting(kCapSetting));
  if (!text) return dp::default_cap();
  dp::BudgetCap cap;
  char* end = nullptr;
  const char* s = text->c_str();
  cap.epsilon = std::strtod(s, &end);
  const bool sep = end != s && *end == ' ';
  const char* d = sep ? end + 1 : end;
  cap.delta = sep ? std::strtod(d, &end) : 0;
  if (!sep || end == d || *end != '\0' || !valid(cap).ok())
    return make_error(Errc::corrupt, "the stored privacy cap is unreadable; set it again with `cairn privacy cap`");
  return cap;
}

Status save_cap(store::Store& store, dp::BudgetCap cap, bool i_understand) {
  CAIRN_TRY(valid(cap));
  const dp::BudgetCap def = dp::default_cap();
  if ((cap.epsilon > def.epsilon || cap.delta > def.delta) && !i_understand) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "a cap above the default (epsilon %g at delta %g) weakens your protection; add --i-understand to "
                  "set it anyway",
                  def.epsilon, def.delta);
    return make_error(Errc::refused, buf);
  }
  char value[64];
  std::snprintf(value, sizeof value, "%.17g %.17g", cap.epsilon, cap.delta);
  return store.set_setting(kCapSetting, value);
}

}  // namespace cairn::budget
