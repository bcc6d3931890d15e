// What `cairn-aggregator`'s command line hands the library, checked here so tests can call it:
// the --listen address and the token-hash file of `tokens allow --from`.
//
// Thread safety: pure functions (read_token_hashes reads the file given).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"

namespace cairn::aggregator {

struct ListenAddress {
  std::string host;
  int port = 0;  // 0: any free port (the bound one is reported)
};
// "ADDR:PORT" split at the last ':' (so "[::1]:8440" keeps its brackets for the server). Errc::usage
// without a ':' or with a port that is not a whole number in 0..65535.
Result<ListenAddress> parse_listen(const std::string& listen);

// One token hash per line, empty lines skipped; the file may hold at most 1 MiB.
Result<std::vector<std::string>> read_token_hashes(const std::filesystem::path& file);

}  // namespace cairn::aggregator
