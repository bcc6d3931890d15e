// The privacy budget ledger: every release an employee's device makes is charged here BEFORE any
// noise is drawn or any byte is prepared, and refused if it would take the employee past the
// annual cap. Privacy unit: one employee over one year (a rolling window of kBudgetWindowSeconds).
//
// Entries are hash-chained: hash = BLAKE2b-256(canonical_encoding(entry)), and the encoding
// includes the previous entry's hash. A report carries the chain's head (length, hash); given a
// head witnessed earlier, verify_witness() detects a ledger rolled back to an older copy or
// replaced by another chain. The store persists entries through LedgerStorage; this file holds
// only the pure logic and an in-memory storage for tests. Format: docs/privacy.md, "Ledger".
//
// Thread safety: a Ledger is not thread-safe. Two Ledgers over one storage stay within the cap
// because charge() reloads the chain first and storage refuses an append whose seq is not next.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/accounting.hpp"

namespace cairn::dp {

inline constexpr std::size_t kLedgerHashBytes = 32;
using LedgerHash = std::array<std::uint8_t, kLedgerHashBytes>;
inline constexpr std::size_t kMaxLedgerLabelBytes = 256;  // plan_id and period

struct LedgerEntry {
  std::uint64_t seq = 0;   // position in the chain: 0, 1, 2, ...
  std::int64_t time = 0;   // UTC seconds of the charge (never before the previous entry's time)
  std::string plan_id;
  std::string period;      // e.g. "2026-W47", "2026-11", "2026-Q4"
  ReleaseCost cost;        // exact mechanism parameters; the RDP curve is recomputed from them
  LedgerHash prev_hash{};  // hash of entry seq-1; all zero for seq 0
  LedgerHash hash{};       // BLAKE2b-256 of canonical_encoding(*this)
  friend bool operator==(const LedgerEntry&, const LedgerEntry&) = default;
};

// Every field but `hash`, in a fixed little-endian layout (docs/privacy.md, "Ledger").
std::vector<std::uint8_t> canonical_encoding(const LedgerEntry& entry);
LedgerHash entry_hash(const LedgerEntry& entry);

// What a report carries and the helper witnesses: chain length and hash of its last entry
// (all zero for an empty chain).
struct ChainHead {
  std::uint64_t length = 0;
  LedgerHash head{};
  friend bool operator==(const ChainHead&, const ChainHead&) = default;
};
ChainHead chain_head(std::span<const LedgerEntry> entries);

// Errc::corrupt naming the first bad entry when seq, prev_hash, hash or time order is wrong.
Status verify_chain(std::span<const LedgerEntry> entries);
// Errc::corrupt when `entries` no longer holds the witnessed (length, head) as a prefix: the
// ledger was rolled back to an older copy or replaced.
Status verify_witness(std::span<const LedgerEntry> entries, const ChainHead& witnessed);

// The employee's annual cap, in (epsilon, delta) at the rolling-year window.
struct BudgetCap {
  double epsilon = 2.0;
  double delta = 1e-6;
};
// epsilon 2 at delta 1e-6 per employee-year (about rho = 0.07 zCDP); why: docs/privacy.md.
BudgetCap default_cap();
inline constexpr std::int64_t kBudgetWindowSeconds = 366LL * 24 * 3600;

class LedgerStorage {
 public:
  virtual ~LedgerStorage() = default;
  virtual Result<std::vector<LedgerEntry>> load_all() = 0;
  // Appends atomically. Must fail (Errc::exists) unless entry.seq equals the stored length, so a
  // concurrent writer cannot slip an entry in between a cap check and its append.
  virtual Status append(const LedgerEntry& entry) = 0;
};

class MemoryLedgerStorage final : public LedgerStorage {
 public:
  Result<std::vector<LedgerEntry>> load_all() override { return entries_; }
  Status append(const LedgerEntry& entry) override;
  // Tests reach in to tamper with or roll back the stored chain.
  std::vector<LedgerEntry>& raw() { return entries_; }

 private:
  std::vector<LedgerEntry> entries_;
};

struct SpendCheck {
  double spent_epsilon = 0;  // the window's entries, at cap.delta
  double after_epsilon = 0;  // with the new release added
  double cap_epsilon = 0;
  double delta = 0;
  bool allowed = false;
};

class Ledger {
 public:
  // Loads and verifies the chain. Errc::corrupt if it does not verify; Errc::usage for a cap that
  // is not a positive epsilon with delta in (0, 1).
  static Result<Ledger> open(LedgerStorage& storage, BudgetCap cap = default_cap());

  // The cap check alone, on the chain as loaded; records nothing.
  SpendCheck check(const ReleaseCost& cost, std::int64_t now) const;
  // Reloads the chain (refusing one that shrank or changed: Errc::corrupt), checks the cap
  // (Errc::refused, with the numbers, when the release would pass it) and appends the entry.
  // Call it before drawing any noise; draw noise only when it returned ok.
  Result<LedgerEntry> charge(std::string_view plan_id, std::string_view period, const ReleaseCost& cost,
                             std::int64_t now);
  // The entry charge() would append next on the chain as loaded (same seq, time, prev_hash and
  // hash), without checking the cap or appending anything. A report prepared for approval carries
  // this head, so charging it at approval leaves its bytes unchanged unless the chain moved.
  LedgerEntry next_entry(std::string_view plan_id, std::string_view period, const ReleaseCost& cost,
                         std::int64_t now) const;

  double spent_epsilon(std::int64_t now) const;  // rolling window ending at `now`, at cap().delta
  ChainHead head() const { return chain_head(entries_); }
  Status verify_witness(const ChainHead& witnessed) const { return dp::verify_witness(entries_, witnessed); }
  const std::vector<LedgerEntry>& entries() const { return entries_; }
  const BudgetCap& cap() const { return cap_; }
  Status set_cap(BudgetCap cap);

 private:
  Ledger(LedgerStorage& storage, BudgetCap cap) : storage_(&storage), cap_(cap) {}
  RdpCurve window_curve(std::int64_t now) const;
  LedgerStorage* storage_;
  BudgetCap cap_;
  std::vector<LedgerEntry> entries_;
};

}  // namespace cairn::dp
