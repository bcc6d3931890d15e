// Report envelope (v2) and sealed Prio3 input shares: see envelope.hpp and docs/formats.md.
#include "cairn/wire/envelope.hpp"

#include <cstdlib>
#include <cstring>

#include "bytes.hpp"

namespace cairn::wire {
namespace {

constexpr std::string_view kEnvMagic = "CRNENV02";
constexpr std::string_view kEnvMagicV1 = "CRNENV01";
constexpr std::string_view kShareMagic = "CRNSHR02";
constexpr std::string_view kContextDomain = "cairn-report-v2\n";
// A sealed share holds the header plus one Prio3 input share.
constexpr std::size_t kMaxSealed = 4 * kMaxLabelBytes + 128 + kMaxPrio3Bytes + crypto::kSealOverheadBytes;

Error corrupt(const std::string& what) { return make_error(Errc::corrupt, "report envelope: " + what); }

void write_ctx(detail::Writer& w, const ReportContext& c) {
  w.str(c.plan_id);
  w.str(c.period);
  w.raw(c.report_id);
  w.raw(c.device_key);
}
void read_ctx(detail::Reader& r, ReportContext& c) {
  c.plan_id = r.str(kMaxLabelBytes);
  c.period = r.str(kMaxLabelBytes);
  r.fixed(c.report_id);
  r.fixed(c.device_key);
}

crypto::Bytes share_plaintext(Role role, const ReportContext& ctx, const crypto::Bytes& input) {
  detail::Writer w;
  w.raw(kShareMagic);
  w.u8(static_cast<std::uint8_t>(role));
  write_ctx(w, ctx);
  w.blob(input);
  return std::move(w.bytes());
}

}  // namespace

ReportId new_report_id() {
  ReportId id;
  crypto::random_bytes(id);
  return id;
}

std::string report_id_hex(const ReportId& id) { return crypto::to_hex(id); }

crypto::Bytes prio3_context(const std::string& plan_id, const std::string& period) {
  crypto::Bytes out(kContextDomain.begin(), kContextDomain.end());
  out.insert(out.end(), plan_id.begin(), plan_id.end());
  out.push_back('\n');
  out.insert(out.end(), period.begin(), period.end());
  return out;
}

crypto::Bytes signed_part(const Envelope& e) {
  detail::Writer w;
  w.raw(kEnvMagic);
  w.u16(e.version);
  write_ctx(w, e.ctx);
  w.u64(e.ledger.length);
  w.raw(e.ledger.head);
  w.blob(e.public_share);
  w.blob(e.leader_sealed);
  w.blob(e.helper_sealed);
  return std::move(w.bytes());
}

crypto::Bytes encode(const Envelope& e) {
  auto out = signed_part(e);
  out.insert(out.end(), e.signature.begin(), e.signature.end());
  return out;
}

Result<Envelope> parse_envelope(crypto::ByteView bytes) {
  if (bytes.size() > kMaxEnvelopeBytes)
    return make_error(Errc::too_large, "report envelope: larger than " + std::to_string(kMaxEnvelopeBytes) + " bytes");
  detail::Reader r(bytes);
  auto magic = r.raw(kEnvMagic.size());
  if (r.ok() && std::memcmp(magic.data(), kEnvMagicV1.data(), kEnvMagicV1.size()) == 0)
    return corrupt("version 1 (shares without a validity proof) is no longer accepted; update Cairn on the device");
  if (!r.ok() || std::memcmp(magic.data(), kEnvMagic.data(), kEnvMagic.size()) != 0)
    return corrupt("not a Cairn report envelope");
  Envelope e;
  e.version = r.u16();
  if (r.ok() && e.version != kEnvelopeVersion)
    return corrupt("version " + std::to_string(e.version) + " is not supported (this build reads 2)");
  read_ctx(r, e.ctx);
  e.ledger.length = r.u64();
  r.fixed(e.ledger.head);
  auto ps = r.blob(kMaxPrio3Bytes);
  e.public_share.assign(ps.begin(), ps.end());
  auto ls = r.blob(kMaxSealed);
  e.leader_sealed.assign(ls.begin(), ls.end());
  auto hs = r.blob(kMaxSealed);
  e.helper_sealed.assign(hs.begin(), hs.end());
  r.fixed(e.signature);
  if (!r.ok()) return corrupt("truncated or a field is out of range");
  if (!r.at_end()) return corrupt("trailing bytes after the signature");
  if (e.ctx.plan_id.empty() || e.ctx.period.empty()) return corrupt("empty plan id or period");
  return e;
}

Status verify_envelope(const Envelope& e) {
  auto msg = signed_part(e);
  if (!crypto::verify_detached(e.ctx.device_key, msg, e.signature).ok())
    return corrupt("the device signature does not verify");
  return {};
}

Envelope make_envelope(const ReportContext& ctx, const dp::ChainHead& ledger, const Prio3Shares& shares,
                       const Recipients& to, const crypto::SignKeyPair& device) {
  if (ctx.plan_id.size() > kMaxLabelBytes || ctx.period.size() > kMaxLabelBytes ||
      shares.public_share.size() > kMaxPrio3Bytes || shares.leader_input.size() > kMaxPrio3Bytes ||
      shares.helper_input.size() > kMaxPrio3Bytes || shares.leader_input.empty() || shares.helper_input.empty())
    std::abort();
  Envelope e;
  e.ctx = ctx;
  e.ledger = ledger;
  e.public_share = shares.public_share;
  auto lp = share_plaintext(Role::leader, ctx, shares.leader_input);
  auto hp = share_plaintext(Role::helper, ctx, shares.helper_input);
  e.leader_sealed = crypto::seal(to.leader, lp);
  e.helper_sealed = crypto::seal(to.helper, hp);
  crypto::wipe(lp);
  crypto::wipe(hp);
  e.signature = crypto::sign_detached(device, signed_part(e));
  return e;
}

Result<InputShare> parse_share(crypto::ByteView plaintext, Role role) {
  detail::Reader r(plaintext);
  auto magic = r.raw(kShareMagic.size());
  if (!r.ok() || std::memcmp(magic.data(), kShareMagic.data(), kShareMagic.size()) != 0)
    return make_error(Errc::corrupt, "share: not a Cairn v2 share");
  if (r.u8() != static_cast<std::uint8_t>(role)) return make_error(Errc::corrupt, "share: meant for the other aggregator");
  InputShare s;
  s.role = role;
  read_ctx(r, s.ctx);
  auto b = r.blob(kMaxPrio3Bytes);
  if (!r.ok()) return make_error(Errc::corrupt, "share: truncated or too long");
  if (!r.at_end()) return make_error(Errc::corrupt, "share: trailing bytes");
  if (b.empty()) return make_error(Errc::corrupt, "share: empty Prio3 input share");
  s.prio3.assign(b.begin(), b.end());
  return s;
}

Result<InputShare> open_share(const Envelope& e, Role role, const crypto::BoxKeyPair& key) {
  auto plain = crypto::seal_open(key, role == Role::leader ? e.leader_sealed : e.helper_sealed);
  if (!plain.ok()) return make_error(Errc::corrupt, "share: does not open with this aggregator's key");
  auto s = parse_share(*plain, role);
  crypto::wipe(*plain);
  if (!s.ok()) return s.error();
  if (!(s->ctx == e.ctx)) return make_error(Errc::corrupt, "share: its plan, period, report id or device differ from the envelope's");
  return s;
}

}  // namespace cairn::wire
