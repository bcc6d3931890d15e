// What the live record compares (docs/panel.md, "One live record"): cheap fingerprints that tell
// the worker WHICH part of the snapshot a change made elsewhere touched, so it rebuilds only that
// part. The trigger is the store's data_version (another connection committed) and the stamps of
// a few files (the inbox, the outbox, consent.conf); the fingerprints then say what changed.
// Pure functions over values and file metadata; unit-tested in tests/ui/live_test.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <set>
#include <string_view>
#include <vector>

#include "builders.hpp"
#include "snapshot.hpp"

namespace cairn::ui {

// FNV-1a over the fields fed to it; collisions only cost a missed refresh of one part until the
// next change, never wrong data.
class Fingerprint {
 public:
  Fingerprint& add(std::string_view bytes);
  Fingerprint& add(std::int64_t v);
  std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 1469598103934665603ull;
};

// Modification time, size and inode of each path (a missing path counts as such), folded into
// one value: a folder's stamp changes when a file is added, removed or renamed in it.
std::uint64_t file_stamp(std::initializer_list<std::filesystem::path> paths);

std::uint64_t fingerprint(const Journal& j);
std::uint64_t fingerprint(const std::vector<store::Reflection>& rs);
std::uint64_t fingerprint(const std::vector<store::ConsentEvent>& log);
// The rows the Sharing view is built from: plans (state, body), reports (state, times, detail and
// envelope size), the ledger's length and head, and the sharing settings.
std::uint64_t fingerprint(const std::vector<store::PlanRow>& plans, const std::vector<store::SharedReport>& reports,
                          const std::vector<store::LedgerRow>& ledger, std::initializer_list<std::string_view> settings);

// The same over what the store holds now, read BEFORE the sharing part is built: a change made
// meanwhile then shows as a difference at the next poll, never as a part that looks current.
std::uint64_t sharing_fingerprint(const store::Store& s);

// The Mondays (local day numbers) of the weeks whose day rollups differ between two reads of the
// year, including days present in only one of them.
std::set<std::int64_t> changed_weeks(const YearData& before, const YearData& after);
// True when the strip itself moved (another first or last week, e.g. after midnight on Sunday).
bool strip_moved(const YearData& before, const YearData& after);

}  // namespace cairn::ui
