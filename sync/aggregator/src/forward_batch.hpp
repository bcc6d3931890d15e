// The leader -> helper forward of reports, many per request: the wire framing of the batch and of
// the helper's answer, one verdict per report in the same order.
//
// Request body (POST /v1/helper/reports), little endian:
//   "cairn-fwd-v2\n" || mac (32) || u32 count
//   || count × (u32 length || envelope bytes || u32 length || the leader's Prio3 prep share)
// mac = BLAKE2b-256 keyed with the link key, over the magic and everything after the mac. The
// link key is crypto_kx's client-to-server key between the leader's and the helper's box keys
// (crypto::kx_client_to_server); the helper trusts the leader's box key because the org signed it
// into every plan it registered. A MAC costs microseconds where the org signature it replaces
// cost a signature and a verification per call.
// Answer (200): {"results": [{"status": 201, "prep": "<b64 prep message>"}
//                            | {"status": 200, "prep": "..."}   (already held: the stored message)
//                            | {"status": 400, "error": "..."} ...]}
// The helper stores its output share only for a valid report (201); the leader runs prep_next
// with the prep message and stores its own only for 201 and 200.
//
// One MAC and one helper transaction per batch instead of per report: the leader collects the
// reports that arrive while earlier batches are with the helper (see group_commit.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/base/result.hpp"
#include "cairn/crypto/secret.hpp"

namespace cairn::aggregator {

inline constexpr std::size_t kMaxForwardReports = 256;
inline constexpr std::size_t kForwardHeaderBytes = 13 + 32 + 4;  // magic + mac + count
inline constexpr std::size_t kForwardItemOverhead = 8;      // two length prefixes
inline constexpr std::size_t kMaxPrepShareBytes = 4096;

struct Verdict {
  int status = 0;  // 0: accepted so far; else the HTTP status of the refusal
  std::string message;
  bool held = false;  // the helper already held this report (status stays 0)
  std::vector<std::uint8_t> prep;  // the Prio3 prep message of an accepted or held report
};

struct ForwardItem {
  std::string_view envelope;
  std::string_view prep_share;  // the leader's (aggregator 0) prep share
};

std::string encode_forward(const std::vector<ForwardItem>& items, const crypto::SecretBytes& link_key);
// Errc::wrong_secret when the MAC does not verify under link_key (checked before anything is
// parsed); Errc::corrupt for a malformed body (wrong magic, lengths past the end, trailing bytes,
// count 0 or above kMaxForwardReports).
Result<std::vector<ForwardItem>> decode_forward(std::string_view body, const crypto::SecretBytes& link_key);

std::string encode_verdicts(const std::vector<Verdict>& verdicts);  // status 0 is written as 201 (200 when held)
// Errc::network when the helper's answer is not exactly `expected` verdicts.
Result<std::vector<Verdict>> decode_verdicts(std::string_view body, std::size_t expected);

}  // namespace cairn::aggregator
