// What the attack suite needs besides the real binaries: an HTTPS client, the wire pieces a
// cheating aggregator writes for itself as an outsider would (from docs/formats.md and
// docs/sharing.md, not from the aggregator's private code: the org signature on leader calls, the
// forwarded-batch framing with its link MAC, the batch checksum), test devices built on the
// device-side wire library, and the statistics the two attack cases share. The real programs run
// through tests/support (runner.hpp, aggregators.hpp).
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/wire/prio3_plan.hpp"

namespace cairn::attack {

inline std::string str(const crypto::Bytes& b) { return std::string(b.begin(), b.end()); }
inline crypto::Bytes bytes(const std::string& s) { return crypto::Bytes(s.begin(), s.end()); }

// The month that holds now (UTC): every plan of the suite reports for it, inside the report window.
inline std::string current_month() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m", &tm);
  return buf;
}

// An HTTPS client for one aggregator, trusting the test CA.
class Client {
 public:
  Client(int port, const std::filesystem::path& ca) : c_("https://127.0.0.1:" + std::to_string(port)) {
    c_.set_ca_cert_path(ca.string());
    c_.set_connection_timeout(5);
    c_.set_read_timeout(60);
    c_.set_keep_alive(true);
  }
  struct Answer {
    int status = 0;
    std::string body;
  };
  Answer post(const std::string& path, const std::string& body, const std::string& org_signature = "") {
    httplib::Headers h;
    if (!org_signature.empty()) h.emplace("X-Cairn-Org-Signature", org_signature);
    auto r = c_.Post(path, h, body, "application/octet-stream");
    if (!r) return {0, httplib::to_string(r.error())};
    return {r->status, r->body};
  }

 private:
  httplib::Client c_;
};

// The organisation's signature on every leader -> helper call (docs/sharing.md): Ed25519 over
// "cairn-leader-v1\n" || path || "\n" || body, base64url.
inline std::string org_signature(const crypto::SignKeyPair& org, const std::string& path, const std::string& body) {
  return crypto::to_base64(crypto::sign_detached(org, crypto::as_bytes("cairn-leader-v1\n" + path + "\n" + body)));
}

// A forwarded batch (POST /v1/helper/reports): "cairn-fwd-v2\n" || mac || u32 count || per report
// (u32 len || envelope || u32 len || the leader's prep share); mac = BLAKE2b-256 keyed with the
// link key over the magic and everything after the mac.
struct ForwardItem {
  std::string envelope, prep_share;
};
inline void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
inline bool get_u32(std::string_view& in, std::uint32_t& v) {
  if (in.size() < 4) return false;
  v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(in[i])} << (8 * i);
  in.remove_prefix(4);
  return true;
}
inline constexpr std::string_view kForwardMagic = "cairn-fwd-v2\n";
inline std::string forward_body(const std::vector<ForwardItem>& items, const crypto::SecretBytes& link_key) {
  std::string rest;
  put_u32(rest, static_cast<std::uint32_t>(items.size()));
  for (const auto& i : items) {
    put_u32(rest, static_cast<std::uint32_t>(i.envelope.size()));
    rest += i.envelope;
    put_u32(rest, static_cast<std::uint32_t>(i.prep_share.size()));
    rest += i.prep_share;
  }
  const auto mac = crypto::generichash_keyed(link_key, crypto::as_bytes(std::string(kForwardMagic) + rest));
  return std::string(kForwardMagic) + std::string(mac.begin(), mac.end()) + rest;
}
// The same read back (the cheating helper's side); empty when the MAC or the framing is wrong.
inline std::vector<ForwardItem> read_forward(std::string_view body, const crypto::SecretBytes& link_key) {
  const std::size_t head = kForwardMagic.size() + crypto::kHashBytes;
  if (body.size() < head || body.substr(0, kForwardMagic.size()) != kForwardMagic) return {};
  const auto mac = crypto::generichash_keyed(link_key, crypto::as_bytes(std::string(kForwardMagic) + std::string(body.substr(head))));
  if (!crypto::equal_ct(mac, crypto::as_bytes(body.substr(kForwardMagic.size(), crypto::kHashBytes)))) return {};
  body.remove_prefix(head);
  std::uint32_t count = 0;
  if (!get_u32(body, count)) return {};
  std::vector<ForwardItem> out;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t n = 0, m = 0;
    if (!get_u32(body, n) || n > body.size()) return {};
    ForwardItem it;
    it.envelope = std::string(body.substr(0, n));
    body.remove_prefix(n);
    if (!get_u32(body, m) || m > body.size()) return {};
    it.prep_share = std::string(body.substr(0, m));
    body.remove_prefix(m);
    out.push_back(std::move(it));
  }
  return out;
}

// The batch both aggregators agree on: hex BLAKE2b-256 of "cairn-batch-v1\n" plan \n period \n
// and each sorted report id (hex) followed by \n.
inline std::string batch_checksum(const std::string& plan, const std::string& period, std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  std::string m = "cairn-batch-v1\n" + plan + "\n" + period + "\n";
  for (const auto& id : ids) m += id + "\n";
  return crypto::to_hex(crypto::generichash(crypto::as_bytes(m)));
}

// A device as the test plays it: its key and its ledger chain length (every report moves it on, as
// a device's ledger does; the aggregators refuse a chain that goes backwards).
struct Device {
  crypto::SignKeyPair keys = crypto::sign_keypair();
  std::uint64_t ledger_length = 0;
};

// An honest device's report of `values` (encoded units, one per coordinate) for plan and period.
inline wire::Envelope make_report(const wire::Plan& plan, const wire::Prio3Scheme& scheme, Device& d, const std::string& period,
                                  const std::vector<std::int64_t>& values) {
  ++d.ledger_length;
  wire::ReportContext ctx{plan.id, period, wire::new_report_id(), d.keys.public_key};
  dp::ChainHead head;
  head.length = d.ledger_length;
  head.head[0] = static_cast<std::uint8_t>(d.ledger_length);
  head.head[1] = static_cast<std::uint8_t>(d.ledger_length >> 8);
  auto shares = wire::shard(scheme, ctx, wire::encode_measurement(scheme, values)).value();
  return wire::make_envelope(ctx, head, shares, {plan.leader.box_key, plan.helper.box_key}, d.keys);
}

inline std::string envelope_text(const wire::Envelope& e) { return str(wire::encode(e)); }

// n values in encoded units, uniform over 0..1000 (both metrics of the suite: 0..1 at scale 1000).
inline std::vector<std::int64_t> random_values(std::size_t n) {
  std::vector<std::int64_t> v(n);
  for (auto& x : v) x = crypto::random_uniform(1001);
  return v;
}

// The noise per coordinate of the cheater's best estimate, over many releases, against the honest
// layer's sigma^2. If the estimate's error is N(0, v), (n - 1) s^2 / v ~ chi^2(n - 1). For n = 200
// releases (199 degrees of freedom) the chi^2(199) quantiles at 1e-6 and 1 - 1e-6 are 118.109 and
// 308.601 (regularised incomplete gamma, bisection), so with v = sigma^2:
//   P(s^2 < 0.5935 sigma^2) = 1e-6 and P(s^2 > 1.5508 sigma^2) = 1e-6.
// Each bound is one false failure in a million runs per coordinate and attack (8 checks in all:
// under 1e-5 together). A missing honest layer gives s^2 = 0 here (the cheater knows everything
// else exactly); both layers where one was subtracted gives 2 sigma^2, above the upper bound.
inline constexpr int kReleases = 200;
inline constexpr double kChi2LowerRatio = 118.109 / 199;  // chi^2(199) at 1e-6, over 199
inline constexpr double kChi2UpperRatio = 308.601 / 199;  // chi^2(199) at 1 - 1e-6, over 199

struct NoiseFigures {
  double mean = 0, variance = 0;
};
inline NoiseFigures figures(const std::vector<double>& errors) {
  NoiseFigures f;
  for (double e : errors) f.mean += e / static_cast<double>(errors.size());
  double ss = 0;
  for (double e : errors) ss += (e - f.mean) * (e - f.mean);
  f.variance = ss / static_cast<double>(errors.size() - 1);
  return f;
}

// Prints and checks one coordinate's figures against the honest layer's sigma^2.
inline void check_noise(const char* attack, std::size_t coordinate, const std::vector<double>& errors, double sigma2) {
  REQUIRE(errors.size() == static_cast<std::size_t>(kReleases));
  const auto f = figures(errors);
  const double ratio = f.variance / sigma2;
  MESSAGE(std::string(attack) << ", coordinate " << coordinate << ": over " << errors.size() << " releases the estimate's error has variance "
                 << f.variance << " vs the honest layer's sigma^2 " << sigma2 << " (ratio " << ratio << ", accepted ["
                 << kChi2LowerRatio << ", " << kChi2UpperRatio << "]), mean " << f.mean);
  CHECK(ratio >= kChi2LowerRatio);
  CHECK(ratio <= kChi2UpperRatio);
  // No bias either: the mean of 200 draws of N(0, sigma^2) is within 5 sigma / sqrt(200) but for
  // 6e-7 of runs.
  CHECK(std::fabs(f.mean) <= 5 * std::sqrt(sigma2 / kReleases));
}

}  // namespace cairn::attack
