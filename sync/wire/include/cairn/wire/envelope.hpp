// The report envelope: what a device uploads for one plan and period (docs/formats.md,
// "Report envelope"). Binary, little-endian, version 1:
//
//   "CRNENV01" | u16 version | str plan_id | str period | report_id[16] | device_key[32]
//   | u64 ledger_length | ledger_head[32] | blob leader_sealed | blob helper_sealed | signature[64]
//
// str = u16 length + bytes; blob = u32 length + bytes. The signature is Ed25519 by device_key over
// every byte before it. Each sealed share is crypto_box_seal to its aggregator's X25519 key of
//
//   "CRNSHR01" | u8 role (1 leader, 2 helper) | str plan_id | str period | report_id[16]
//   | device_key[32] | u32 n | (leader: n × u64 share) (helper: seed[32])
//
// and open_*_share() refuses a share whose inner plan, period, report id or device key differ
// from the envelope's, so a share cannot be lifted into another report. Every parser here has a
// size limit and fails with Errc::corrupt (or too_large) and a one-line message.
//
// Thread safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/ledger.hpp"
#include "cairn/wire/sharing.hpp"

namespace cairn::wire {

inline constexpr std::uint16_t kEnvelopeVersion = 1;
inline constexpr std::size_t kReportIdBytes = 16;
inline constexpr std::size_t kMaxEnvelopeBytes = 64 * 1024;
inline constexpr std::size_t kMaxCoordinates = 512;
inline constexpr std::size_t kMaxLabelBytes = 128;  // plan id, period
using ReportId = std::array<std::uint8_t, kReportIdBytes>;

ReportId new_report_id();
std::string report_id_hex(const ReportId& id);

struct ReportContext {
  std::string plan_id;
  std::string period;
  ReportId report_id{};
  crypto::SignPublicKey device_key{};
  friend bool operator==(const ReportContext&, const ReportContext&) = default;
};

struct Envelope {
  std::uint16_t version = kEnvelopeVersion;
  ReportContext ctx;
  dp::ChainHead ledger;
  crypto::Bytes leader_sealed;
  crypto::Bytes helper_sealed;
  crypto::Signature signature{};
};

// The bytes the signature covers (everything but the signature).
crypto::Bytes signed_part(const Envelope& e);
crypto::Bytes encode(const Envelope& e);
// Syntax only (the signature is not checked here): Errc::too_large above kMaxEnvelopeBytes,
// Errc::corrupt for anything else malformed.
Result<Envelope> parse_envelope(crypto::ByteView bytes);
// Errc::corrupt when the signature does not verify under e.ctx.device_key.
Status verify_envelope(const Envelope& e);

struct Recipients {
  crypto::BoxPublicKey leader{};
  crypto::BoxPublicKey helper{};
};
// Seals both shares and signs. REQUIRES ctx labels within kMaxLabelBytes and
// y.size() <= kMaxCoordinates.
Envelope make_envelope(const ReportContext& ctx, const dp::ChainHead& ledger, const Split& shares,
                       const Recipients& to, const crypto::SignKeyPair& device);

struct LeaderShare {
  ReportContext ctx;
  std::vector<std::uint64_t> values;
};
struct HelperShare {
  ReportContext ctx;
  std::uint32_t n = 0;
  Seed seed{};
};
// Opens this aggregator's share and checks its inner context against the envelope's.
Result<LeaderShare> open_leader_share(const Envelope& e, const crypto::BoxKeyPair& leader);
Result<HelperShare> open_helper_share(const Envelope& e, const crypto::BoxKeyPair& helper);
// The share plaintext parsers on their own (for the fuzz targets).
Result<LeaderShare> parse_leader_share(crypto::ByteView plaintext);
Result<HelperShare> parse_helper_share(crypto::ByteView plaintext);

}  // namespace cairn::wire
