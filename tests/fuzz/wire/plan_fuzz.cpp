// Fuzz target: the JSON parsers of outside input on the device and the aggregators — signed plans,
// enrollment tokens, enrollment requests. They must never crash, hang or accept a plan whose
// signature does not verify.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/answers.hpp"
#include "cairn/wire/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = cairn::crypto::init().ok();
  if (!ready) std::abort();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = cairn::wire::parse_signed_plan(text);
  if (p.ok() && p->plan.metrics.empty()) std::abort();  // the parser promises at least one metric
  (void)cairn::wire::parse_token(text);
  (void)cairn::wire::parse_enroll(text);
  (void)cairn::wire::parse_upload_answer(text);
  if (auto a = cairn::wire::parse_enroll_answer(text); a.ok() && a->reported.size() > cairn::wire::kMaxPriorReleases) std::abort();
  return 0;
}
