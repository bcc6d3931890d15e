// Report envelope and share encodings: see envelope.hpp and docs/formats.md.
#include "cairn/wire/envelope.hpp"

#include <cstring>

#include "bytes.hpp"

namespace cairn::wire {
namespace {

constexpr std::string_view kEnvMagic = "CRNENV01";
constexpr std::string_view kShareMagic = "CRNSHR01";
constexpr std::uint8_t kRoleLeader = 1, kRoleHelper = 2;
// A sealed share holds at most the header plus kMaxCoordinates words.
constexpr std::size_t kMaxSealed = 4 * kMaxLabelBytes + 128 + kMaxCoordinates * 8 + crypto::kSealOverheadBytes;

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

crypto::Bytes share_plaintext(std::uint8_t role, const ReportContext& ctx, const Split& s) {
  detail::Writer w;
  w.raw(kShareMagic);
  w.u8(role);
  write_ctx(w, ctx);
  w.u32(static_cast<std::uint32_t>(s.leader.size()));
  if (role == kRoleLeader)
    for (auto v : s.leader) w.u64(v);
  else
    w.raw(s.helper);
  return std::move(w.bytes());
}

// Parses the common head of a share; returns n.
Result<std::uint32_t> read_share_head(detail::Reader& r, std::uint8_t role, ReportContext& ctx) {
  auto magic = r.raw(kShareMagic.size());
  if (!r.ok() || std::memcmp(magic.data(), kShareMagic.data(), kShareMagic.size()) != 0)
    return make_error(Errc::corrupt, "share: not a Cairn share");
  if (r.u8() != role) return make_error(Errc::corrupt, "share: meant for the other aggregator");
  read_ctx(r, ctx);
  const std::uint32_t n = r.u32();
  if (!r.ok()) return make_error(Errc::corrupt, "share: truncated");
  if (n == 0 || n > kMaxCoordinates) return make_error(Errc::corrupt, "share: coordinate count out of range");
  return n;
}

}  // namespace

ReportId new_report_id() {
  ReportId id;
  crypto::random_bytes(id);
  return id;
}

std::string report_id_hex(const ReportId& id) { return crypto::to_hex(id); }

crypto::Bytes signed_part(const Envelope& e) {
  detail::Writer w;
  w.raw(kEnvMagic);
  w.u16(e.version);
  write_ctx(w, e.ctx);
  w.u64(e.ledger.length);
  w.raw(e.ledger.head);
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
  if (!r.ok() || std::memcmp(magic.data(), kEnvMagic.data(), kEnvMagic.size()) != 0)
    return corrupt("not a Cairn report envelope");
  Envelope e;
  e.version = r.u16();
  if (r.ok() && e.version != kEnvelopeVersion)
    return corrupt("version " + std::to_string(e.version) + " is not supported (this build reads 1)");
  read_ctx(r, e.ctx);
  e.ledger.length = r.u64();
  r.fixed(e.ledger.head);
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

Envelope make_envelope(const ReportContext& ctx, const dp::ChainHead& ledger, const Split& shares,
                       const Recipients& to, const crypto::SignKeyPair& device) {
  if (ctx.plan_id.size() > kMaxLabelBytes || ctx.period.size() > kMaxLabelBytes ||
      shares.leader.size() > kMaxCoordinates || shares.leader.empty())
    std::abort();
  Envelope e;
  e.ctx = ctx;
  e.ledger = ledger;
  auto lp = share_plaintext(kRoleLeader, ctx, shares);
  auto hp = share_plaintext(kRoleHelper, ctx, shares);
  e.leader_sealed = crypto::seal(to.leader, lp);
  e.helper_sealed = crypto::seal(to.helper, hp);
  crypto::wipe(lp);
  crypto::wipe(hp);
  e.signature = crypto::sign_detached(device, signed_part(e));
  return e;
}

Result<LeaderShare> parse_leader_share(crypto::ByteView plaintext) {
  detail::Reader r(plaintext);
  LeaderShare s;
  auto n = CAIRN_TRY(read_share_head(r, kRoleLeader, s.ctx));
  if (r.remaining() != std::size_t{n} * 8) return make_error(Errc::corrupt, "share: length does not match its count");
  s.values.resize(n);
  for (auto& v : s.values) v = r.u64();
  return s;
}

Result<HelperShare> parse_helper_share(crypto::ByteView plaintext) {
  detail::Reader r(plaintext);
  HelperShare s;
  s.n = CAIRN_TRY(read_share_head(r, kRoleHelper, s.ctx));
  r.fixed(s.seed);
  if (!r.at_end()) return make_error(Errc::corrupt, "share: length does not match");
  return s;
}

Result<LeaderShare> open_leader_share(const Envelope& e, const crypto::BoxKeyPair& leader) {
  auto plain = crypto::seal_open(leader, e.leader_sealed);
  if (!plain.ok()) return make_error(Errc::corrupt, "share: does not open with this aggregator's key");
  auto s = parse_leader_share(*plain);
  crypto::wipe(*plain);
  if (!s.ok()) return s.error();
  if (!(s->ctx == e.ctx)) return make_error(Errc::corrupt, "share: its plan, period, report id or device differ from the envelope's");
  return s;
}

Result<HelperShare> open_helper_share(const Envelope& e, const crypto::BoxKeyPair& helper) {
  auto plain = crypto::seal_open(helper, e.helper_sealed);
  if (!plain.ok()) return make_error(Errc::corrupt, "share: does not open with this aggregator's key");
  auto s = parse_helper_share(*plain);
  crypto::wipe(*plain);
  if (!s.ok()) return s.error();
  if (!(s->ctx == e.ctx)) return make_error(Errc::corrupt, "share: its plan, period, report id or device differ from the envelope's");
  return s;
}

}  // namespace cairn::wire
