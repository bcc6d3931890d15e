// dp::LedgerStorage over the store's ledger rows, and opening the ledger with the stored cap.
#include "cairn/budget/budget.hpp"

namespace cairn::budget {

Result<std::vector<dp::LedgerEntry>> StoreLedgerStorage::load_all() {
  std::vector<dp::LedgerEntry> out;
  for (const auto& row : CAIRN_TRY(store_->ledger_rows())) out.push_back(CAIRN_TRY(from_row(row)));
  return out;
}

Status StoreLedgerStorage::append(const dp::LedgerEntry& entry) { return store_->append_ledger_row(to_row(entry)); }

Result<StoreLedger> open_ledger(store::Store& store) {
  const dp::BudgetCap cap = CAIRN_TRY(load_cap(store));
  auto storage = std::make_unique<StoreLedgerStorage>(store);
  auto ledger = CAIRN_TRY(dp::Ledger::open(*storage, cap));
  return StoreLedger{std::move(storage), std::move(ledger)};
}

}  // namespace cairn::budget
