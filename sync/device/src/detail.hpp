// Reading back a shared report's stored detail (the JSON DeviceShare::prepare_one writes beside
// the envelope: the values, the noise, the costs, the ledger length, the upload attempts), through
// cairn/base/json.hpp. A detail that is not a JSON object reads as empty (no fields); a field of
// the wrong type is a one-line corrupt error, never an exception.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "cairn/base/json.hpp"
#include "cairn/base/result.hpp"
#include "cairn/device/device.hpp"

namespace cairn::device {

// The stored detail as an object to update; an empty object when it is not one.
json::Json detail_object(const std::string& text);

// Fills what the approval screen shows (values, noise, k, costs, purpose) from the detail.
Status read_detail(const std::string& text, ReportDetail& d);

// The device's ledger length when the report was prepared (0 when not recorded).
Result<std::uint64_t> detail_ledger_length(const std::string& text);

// How many upload attempts the detail records (0 when none).
Result<int> detail_upload_attempts(const json::Json& detail);

// Whether the report's privacy cost is already on the ledger: reports prepared before charges
// moved to approval carry no "charged" and were charged when prepared (true when absent).
Result<bool> detail_charged(const json::Json& detail);

// When a report prepared uncharged is to be charged (its "charged_at"), `fallback` when absent.
Result<std::int64_t> detail_charged_at(const json::Json& detail, std::int64_t fallback);

}  // namespace cairn::device
