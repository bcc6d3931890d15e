// The aggregators' JSON answers the device acts on (docs/formats.md, "Upload answer" and
// "Enrollment answer"); the leader and the helper write them with the encoders here, the device
// reads them with the parsers.
//
// Upload (POST /v1/reports to the leader), HTTP 201 or 200:
//   {"status":"stored","report":"<hex id>","held_by":["leader","helper"]}
// The device marks a report uploaded only when held_by names BOTH aggregators; "stored" with one
// holder (or "already held") is a retry later.
//
// Enrollment (POST /v1/enroll), HTTP 200/201:
//   {"status":"enrolled","replaced":false,"reported":[{"plan":"p","period":"2026-W47",
//     "time":1764547200,"cost":[{"mechanism":"gaussian","variance":"123/1","l1":600,
//     "l2_squared":360000}]}, ...]}
// One token is one employee: enrolling again with the same token from another device replaces the
// first device (replaced = true), and `reported` lists what that employee's token slot already
// reported in the rolling year (plan, period, charge time = the period's end, the per-release
// cost one layer guarantees), so the new device carries it into its own ledger.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/accounting.hpp"

namespace cairn::wire {

inline constexpr std::size_t kMaxPriorReleases = 4096;

struct UploadAnswer {
  std::string status;   // "stored" | "already held"
  std::string report;   // hex id
  bool leader_holds = false, helper_holds = false;
  bool both_hold() const { return leader_holds && helper_holds; }
};
std::string encode_upload_answer(const UploadAnswer& a);
// Errc::corrupt (one line) for a malformed answer or an unknown holder name.
Result<UploadAnswer> parse_upload_answer(std::string_view body);

struct PriorRelease {
  std::string plan_id, period;
  std::int64_t time = 0;  // the charge time on the first device (the period's end)
  dp::ReleaseCost cost;
  friend bool operator==(const PriorRelease&, const PriorRelease&) = default;
};
struct EnrollAnswer {
  bool replaced = false;
  std::vector<PriorRelease> reported;
};
std::string encode_enroll_answer(const EnrollAnswer& a);
// Errc::corrupt (one line) for a malformed answer, a cost term that is not a discrete Gaussian
// ("gaussian") with a positive variance, or more than kMaxPriorReleases entries. An empty body or
// one without "reported" is no history.
Result<EnrollAnswer> parse_enroll_answer(std::string_view body);

}  // namespace cairn::wire
