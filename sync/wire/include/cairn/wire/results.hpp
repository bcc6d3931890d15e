// Team results for the employee (docs/formats.md, "Team results"): a device of a plan's team asks
// the leader for the plan's released periods, and the leader answers with exactly what
// `cairn-aggregator results` publishes (n, k, means, 95 % intervals, the verdict, the clamped
// estimate of a mean outside the metric's range). Only released periods; only enrolled devices of
// the plan's team.
//
// Request (device -> leader, POST /v1/results, at most 4096 bytes):
//   {"v":1,"plan":"focus-q","device_key":"<b64>","time":1764547200,"sig":"<b64>"}
// sig is the device's Ed25519 signature over "cairn-results-v1\n" || plan || "\n" || time. The
// leader accepts it within kResultsRequestSkewSeconds of its own clock (a captured request cannot
// be replayed later), from an enrolled, not replaced device whose team is the plan's.
//
// Answer (HTTP 200): {"results":[{"plan":…,"team":…,"period":…,"n":…,"k":…,"dropped":…,
//   "released":true,"values":[{"metric":…,"coordinate":…,"unit":…,"mean":…,"ci95_lo":…,
//   "ci95_hi":…,"se":…,"clip_lo":…,"clip_hi":…,"verdict":"useful","verdict_sentence":…,
//   "out_of_range":false,"clamped_mean":…}]}, …]}
// parse_results_answer caps it (kMaxTeamReleases periods, kMaxTeamValues values each, short
// strings) and never throws.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"

namespace cairn::wire {

inline constexpr std::size_t kMaxResultsRequestBytes = 4096;
inline constexpr std::int64_t kResultsRequestSkewSeconds = 600;
inline constexpr std::size_t kMaxTeamReleases = 400;
inline constexpr std::size_t kMaxTeamValues = 64;

struct ResultsRequest {
  std::string plan_id;
  crypto::SignPublicKey device_key{};
  std::int64_t time = 0;
  crypto::Signature sig{};
};
ResultsRequest make_results_request(const std::string& plan_id, const crypto::SignKeyPair& device, std::int64_t now);
std::string encode_results_request(const ResultsRequest& r);
// Syntax, size and signature (not the time window or the device's enrolment: the leader's).
// Errc::too_large over kMaxResultsRequestBytes, Errc::corrupt otherwise (one line).
Result<ResultsRequest> parse_results_request(std::string_view body);

struct TeamValue {
  std::string metric, coordinate, unit;
  double mean = 0, lo = 0, hi = 0, se = 0;
  double clip_lo = 0, clip_hi = 0;
  std::string verdict;           // dp::verdict_words: "useful", "only broad differences", …
  std::string verdict_sentence;  // "too noisy to be useful: ±12.3 hours per week at 95%"
  bool out_of_range = false;
  double clamped_mean = 0;       // the mean clamped to [clip_lo, clip_hi]: post-processing
};
struct TeamRelease {
  std::string plan_id, team, period;
  std::uint32_t n = 0, k = 0, dropped = 0;
  bool released = false;  // false: closed below k, no values
  std::vector<TeamValue> values;
};
std::string encode_results_answer(const std::vector<TeamRelease>& releases);
// Errc::corrupt (one line) for anything malformed or over the caps.
Result<std::vector<TeamRelease>> parse_results_answer(std::string_view body);

}  // namespace cairn::wire
