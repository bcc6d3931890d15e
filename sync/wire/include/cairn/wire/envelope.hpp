// The report envelope: what a device uploads for one plan and period (docs/formats.md,
// "Report envelope"). Binary, little-endian, version 2:
//
//   "CRNENV02" | u16 version=2 | str plan_id | str period | report_id[16] | device_key[32]
//   | u64 ledger_length | ledger_head[32] | blob public_share
//   | blob leader_sealed | blob helper_sealed | signature[64]
//
// str = u16 length + bytes; blob = u32 length + bytes. The report id is the Prio3 nonce; the
// public share is Prio3's (joint randomness parts). The signature is Ed25519 by device_key over
// every byte before it. Each sealed part is crypto_box_seal to its aggregator's X25519 key of
//
//   "CRNSHR02" | u8 role (1 leader, 2 helper) | str plan_id | str period | report_id[16]
//   | device_key[32] | blob prio3_input_share
//
// and open_share() refuses a share whose inner plan, period, report id or device key differ from
// the envelope's, so a share cannot be lifted into another report. Version 1 envelopes (additive
// shares without a validity proof) are refused with a one-line error. Every parser here has a size
// limit and fails with Errc::corrupt (or too_large) and a one-line message.
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

namespace cairn::wire {

inline constexpr std::uint16_t kEnvelopeVersion = 2;
inline constexpr std::size_t kReportIdBytes = 16;  // = vdaf::Prio3::kNonceSize
inline constexpr std::size_t kMaxEnvelopeBytes = 64 * 1024;
inline constexpr std::size_t kMaxCoordinates = 512;
inline constexpr std::size_t kMaxLabelBytes = 128;  // plan id, period
// A Prio3 public share or input share is at most this long (a plan of kMaxCoordinates 20-bit
// coordinates needs well under it; docs/vdaf.md gives the sizes).
inline constexpr std::size_t kMaxPrio3Bytes = 56 * 1024;
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

// The Prio3 application context of a report: "cairn-report-v2\n" + plan_id + "\n" + period.
crypto::Bytes prio3_context(const std::string& plan_id, const std::string& period);

struct Envelope {
  std::uint16_t version = kEnvelopeVersion;
  ReportContext ctx;
  dp::ChainHead ledger;
  crypto::Bytes public_share;   // Prio3 public share (may be empty)
  crypto::Bytes leader_sealed;
  crypto::Bytes helper_sealed;
  crypto::Signature signature{};
};

// The bytes the signature covers (everything but the signature).
crypto::Bytes signed_part(const Envelope& e);
crypto::Bytes encode(const Envelope& e);
// Syntax only (the signature is not checked here): Errc::too_large above kMaxEnvelopeBytes,
// Errc::corrupt for anything else malformed (a version-1 envelope: "version 1 ... no longer
// accepted").
Result<Envelope> parse_envelope(crypto::ByteView bytes);
// Errc::corrupt when the signature does not verify under e.ctx.device_key.
Status verify_envelope(const Envelope& e);

struct Recipients {
  crypto::BoxPublicKey leader{};
  crypto::BoxPublicKey helper{};
};

// The Prio3 output of shard() for one report.
struct Prio3Shares {
  crypto::Bytes public_share;
  crypto::Bytes leader_input;  // input share of aggregator 0
  crypto::Bytes helper_input;  // input share of aggregator 1
};

// Seals both input shares and signs. REQUIRES ctx labels within kMaxLabelBytes and shares within
// kMaxPrio3Bytes.
Envelope make_envelope(const ReportContext& ctx, const dp::ChainHead& ledger, const Prio3Shares& shares,
                       const Recipients& to, const crypto::SignKeyPair& device);

enum class Role : std::uint8_t { leader = 1, helper = 2 };
// Prio3 aggregator id of a role: leader 0, helper 1.
inline std::size_t agg_id(Role r) { return r == Role::leader ? 0 : 1; }

struct InputShare {
  Role role = Role::leader;
  ReportContext ctx;
  crypto::Bytes prio3;  // the Prio3 input share, to pass to prep_init
};
// Opens this aggregator's sealed part and checks its role and inner context against the
// envelope's. Errc::corrupt, one line.
Result<InputShare> open_share(const Envelope& e, Role role, const crypto::BoxKeyPair& key);
// The share plaintext parser on its own (for the fuzz target).
Result<InputShare> parse_share(crypto::ByteView plaintext, Role role);

}  // namespace cairn::wire
