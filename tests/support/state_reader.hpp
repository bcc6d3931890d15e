// Reads an aggregator's state database with its key file, the way an insider with the disk and
// the key would: every stored report row, for the test that decodes what each side holds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cairn::test {

struct StoredReport {
  std::string plan_id, period;
  std::vector<std::uint8_t> report_id, device_key, share;
};

// Every report row of the aggregator in `dir`; empty with `error` set when the database does not
// open.
std::vector<StoredReport> read_reports(const std::filesystem::path& dir, std::string& error);

// The same, failing the test (REQUIRE) when the database does not open.
std::vector<StoredReport> stored_reports(const std::filesystem::path& dir);

}  // namespace cairn::test
