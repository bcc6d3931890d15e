// Ledger entry encoding, hashing and chain verification (see ledger.hpp, docs/privacy.md "Ledger").
#include <cstring>

#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/ledger.hpp"

namespace cairn::dp {

namespace {

constexpr char kDomain[16] = "cairn-ledger-v1";  // 15 characters + NUL = 16 bytes, part of the encoding

// Appends little-endian integers and length-prefixed text at a write position in a pre-sized buffer.
struct Writer {
  std::vector<std::uint8_t>& out;
  std::size_t pos = 0;
  void bytes(const void* p, std::size_t n) {
    std::memcpy(out.data() + pos, p, n);
    pos += n;
  }
  void u64(std::uint64_t v) {
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
    bytes(b, 8);
  }
  void u32(std::uint32_t v) {
    std::uint8_t b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
    bytes(b, 4);
  }
  void text(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    bytes(s.data(), s.size());
  }
};

std::string entry_name(std::size_t i) { return "privacy ledger entry " + std::to_string(i); }

}  // namespace

std::vector<std::uint8_t> canonical_encoding(const LedgerEntry& e) {
  std::vector<std::uint8_t> out(sizeof kDomain + 8 + 8 + 4 + e.plan_id.size() + 4 + e.period.size() + 4 +
                                33 * e.cost.size() + kLedgerHashBytes);
  Writer w{out};
  w.bytes(kDomain, sizeof kDomain);
  w.u64(e.seq);
  w.u64(static_cast<std::uint64_t>(e.time));
  w.text(e.plan_id);
  w.text(e.period);
  w.u32(static_cast<std::uint32_t>(e.cost.size()));
  for (const auto& t : e.cost) {
    const auto kind = static_cast<std::uint8_t>(t.mechanism);
    w.bytes(&kind, 1);
    w.u64(t.variance.num);
    w.u64(t.variance.den);
    w.u64(t.l1);
    w.u64(t.l2_squared);
  }
  w.bytes(e.prev_hash.data(), e.prev_hash.size());
  if (w.pos != out.size()) std::abort();
  return out;
}

LedgerHash entry_hash(const LedgerEntry& entry) {
  crypto::sodium_init_or_abort();
  const auto bytes = canonical_encoding(entry);
  static_assert(kLedgerHashBytes == crypto::kHashBytes);
  return crypto::generichash(bytes);
}

ChainHead chain_head(std::span<const LedgerEntry> entries) {
  ChainHead head;
  head.length = entries.size();
  if (!entries.empty()) head.head = entries.back().hash;
  return head;
}

Status verify_chain(std::span<const LedgerEntry> entries) {
  LedgerHash prev{};
  std::int64_t prev_time = INT64_MIN;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if (e.seq != i) return make_error(Errc::corrupt, entry_name(i) + " is out of sequence: the ledger was damaged or edited");
    if (e.prev_hash != prev) {
      return make_error(Errc::corrupt, entry_name(i) + " does not link to the entry before it: the ledger was damaged or edited");
    }
    if (entry_hash(e) != e.hash) {
      return make_error(Errc::corrupt, entry_name(i) + " does not match its hash: the ledger was damaged or edited");
    }
    if (e.time < prev_time) return make_error(Errc::corrupt, entry_name(i) + " is dated before the entry before it");
    prev = e.hash;
    prev_time = e.time;
  }
  return ok_status();
}

Status verify_witness(std::span<const LedgerEntry> entries, const ChainHead& witnessed) {
  if (witnessed.length == 0) return ok_status();
  if (entries.size() < witnessed.length) {
    return make_error(Errc::corrupt, "privacy ledger was rolled back: it holds " + std::to_string(entries.size()) +
                                         " entries but a report already carried " + std::to_string(witnessed.length));
  }
  if (entries[witnessed.length - 1].hash != witnessed.head) {
    return make_error(Errc::corrupt, "privacy ledger was rolled back or replaced: entry " +
                                         std::to_string(witnessed.length - 1) +
                                         " differs from the one a report already carried");
  }
  return ok_status();
}

Status MemoryLedgerStorage::append(const LedgerEntry& entry) {
  if (entry.seq != entries_.size()) {
    return make_error(Errc::exists, "privacy ledger changed while charging a release; try again");
  }
  entries_.push_back(entry);
  return ok_status();
}

}  // namespace cairn::dp
