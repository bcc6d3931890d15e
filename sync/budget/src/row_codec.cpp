// Canonical text forms of a ledger entry's cost and hashes in the store's ledger rows.
#include <charconv>

#include "cairn/budget/budget.hpp"

namespace cairn::budget {
namespace {

Error bad(std::string_view what) { return make_error(Errc::corrupt, "privacy ledger: " + std::string(what) + " is malformed"); }

// Splits on `sep` keeping empty pieces (an empty piece fails to parse, which is what we want).
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

std::string encode_cost(const dp::ReleaseCost& cost) {
  std::string s;
  for (const auto& t : cost) {
    if (!s.empty()) s += ';';
    s += std::string(dp::mechanism_name(t.mechanism)) + "," + std::to_string(t.variance.num) + "/" +
         std::to_string(t.variance.den) + "," + std::to_string(t.l1) + "," + std::to_string(t.l2_squared);
  }
  return s;
}

Result<dp::ReleaseCost> decode_cost(std::string_view text) {
  if (text.empty() || text.size() > 64 * 1024) return bad("cost");
  dp::ReleaseCost cost;
  for (auto term : split(text, ';')) {
    auto f = split(term, ',');
    if (f.size() != 4) return bad("cost");
    dp::NoiseTerm t;
    if (f[0] == dp::mechanism_name(dp::Mechanism::discrete_gaussian)) {
      t.mechanism = dp::Mechanism::discrete_gaussian;
    } else if (f[0] == dp::mechanism_name(dp::Mechanism::skellam)) {
      t.mechanism = dp::Mechanism::skellam;  // a row charged by version one (see budget.hpp)
    } else {
      return bad("cost");
    }
    auto v = split(f[1], '/');
    if (v.size() != 2 || !parse_u64(v[0], t.variance.num) || !parse_u64(v[1], t.variance.den) || t.variance.den == 0 ||
        !parse_u64(f[2], t.l1) || !parse_u64(f[3], t.l2_squared))
      return bad("cost");
    cost.push_back(t);
  }
  // One entry, one text: leading zeros, "+" and the like would re-encode differently.
  if (encode_cost(cost) != text) return bad("cost");
  return cost;
}

std::string hash_hex(const dp::LedgerHash& hash) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(hash.size() * 2);
  for (auto b : hash) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

Result<dp::LedgerHash> hash_from_hex(std::string_view hex) {
  dp::LedgerHash h{};
  if (hex.size() != h.size() * 2) return bad("hash");
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < h.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return bad("hash");
    h[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return h;
}

store::LedgerRow to_row(const dp::LedgerEntry& e) {
  store::LedgerRow r;
  r.seq = static_cast<std::int64_t>(e.seq);
  r.time = e.time;
  r.plan_id = e.plan_id;
  r.period = e.period;
  r.cost = encode_cost(e.cost);
  r.prev_hash = hash_hex(e.prev_hash);
  r.hash = hash_hex(e.hash);
  return r;
}

Result<dp::LedgerEntry> from_row(const store::LedgerRow& r) {
  if (r.seq < 0) return bad("entry sequence number");
  dp::LedgerEntry e;
  e.seq = static_cast<std::uint64_t>(r.seq);
  e.time = r.time;
  e.plan_id = r.plan_id;
  e.period = r.period;
  auto cost = decode_cost(r.cost);
  if (!cost.ok()) return make_error(Errc::corrupt, cost.error().message + " in entry " + std::to_string(r.seq));
  e.cost = std::move(cost).value();
  auto prev = hash_from_hex(r.prev_hash);
  auto hash = hash_from_hex(r.hash);
  if (!prev.ok() || !hash.ok()) return make_error(Errc::corrupt, "privacy ledger: hash of entry " + std::to_string(r.seq) + " is malformed");
  e.prev_hash = *prev;
  e.hash = *hash;
  return e;
}

}  // namespace cairn::budget
