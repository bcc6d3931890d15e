// The Sharing view's parts, built on the worker thread: SharingData from the device sharing API
// (plans, reports awaiting approval with their detail, the history, each with its cost line) and
// SharingStatus from the keyless uploader's status file and the panel's own checks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "cairn/base/clock.hpp"
#include "cairn/device/device.hpp"
#include "cairn/dp/ledger.hpp"
#include "snapshot.hpp"
#include "share_check.hpp"

namespace cairn::ui {

// Never fails: a read error becomes SharingData::error, so the rest of the panel still opens.
// Every cost is device::cost_line / device::plan_cost_line with "epsilon" for the symbol the font
// lacks: the same lines as `cairn share list` and `cairn share show`.
std::shared_ptr<const SharingData> build_sharing(device::DeviceShare& share, const store::Store& s,
                                                 const dp::Ledger& ledger, const Clock& clock);

// The uploader's line (read from the spool, no key needed) and the line about the panel's checks.
std::shared_ptr<const SharingStatus> build_sharing_status(const std::filesystem::path& outbox, bool enrolled,
                                                          const ShareCheckResult* last_check, bool checking,
                                                          const Clock& clock);

}  // namespace cairn::ui
