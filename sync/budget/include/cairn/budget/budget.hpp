// The privacy budget as the device keeps it: the hash-chained ledger of dp::Ledger stored in the
// encrypted store's ledger rows, and the employee's annual cap stored in the store's settings.
//
// A ledger row keeps an entry's integers in its own columns (seq, time) and the rest as canonical
// text (docs/privacy.md §11): cost as "gaussian,NUM/DEN,L1,L2SQ;..." (rows charged by version
// one say "skellam" and are still read: they count against the cap until they leave the rolling
// year) and hashes as 64 lowercase hex digits. Decoding is strict and re-encodes to compare, so one
// entry has exactly one row form; dp::Ledger then re-hashes every entry, so an edited row fails
// verify_chain.
//
// The cap: dp::default_cap() (epsilon 2 at delta 1e-6 per employee-year) until the employee
// changes it. Lowering is always allowed; raising epsilon or delta above the default needs an
// explicit acknowledgement, because it weakens the employee's own protection.
//
// Thread safety: as store::Store (one thread per Store). Two processes charging one store stay
// within the cap: dp::Ledger reloads before charging and the store refuses an out-of-order row.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/ledger.hpp"
#include "cairn/store/store.hpp"

namespace cairn::budget {

// --- row encoding ---------------------------------------------------------------------------
std::string encode_cost(const dp::ReleaseCost& cost);
Result<dp::ReleaseCost> decode_cost(std::string_view text);  // Errc::corrupt unless canonical
std::string hash_hex(const dp::LedgerHash& hash);
Result<dp::LedgerHash> hash_from_hex(std::string_view hex);  // Errc::corrupt unless 64 lowercase hex
store::LedgerRow to_row(const dp::LedgerEntry& entry);
Result<dp::LedgerEntry> from_row(const store::LedgerRow& row);  // Errc::corrupt naming the row

// --- storage --------------------------------------------------------------------------------
class StoreLedgerStorage final : public dp::LedgerStorage {
 public:
  explicit StoreLedgerStorage(store::Store& store) : store_(&store) {}
  Result<std::vector<dp::LedgerEntry>> load_all() override;
  // Errc::exists when entry.seq is not the next row (the store enforces it in one transaction).
  Status append(const dp::LedgerEntry& entry) override;

 private:
  store::Store* store_;
};

// --- the cap --------------------------------------------------------------------------------
inline constexpr const char* kCapSetting = "privacy.cap";  // value: "<epsilon> <delta>" (%.17g)

// The stored cap, or dp::default_cap() when none was set. Errc::corrupt for an unreadable value.
Result<dp::BudgetCap> load_cap(const store::Store& store);
// Errc::usage for epsilon <= 0 or delta outside (0, 1); Errc::refused when the new cap is above
// the default in epsilon or delta and `i_understand` is false. Nothing is written on error.
Status save_cap(store::Store& store, dp::BudgetCap cap, bool i_understand);

// --- convenience ----------------------------------------------------------------------------
struct StoreLedger {
  std::unique_ptr<StoreLedgerStorage> storage;  // on the heap: `ledger` points at it across moves
  dp::Ledger ledger;
};
// The ledger over `store`'s rows with the stored cap: verified on open (Errc::corrupt if the chain
// does not verify). `store` must outlive the result.
Result<StoreLedger> open_ledger(store::Store& store);

}  // namespace cairn::budget
