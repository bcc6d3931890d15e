// Checking the command line's address and token file: see args.hpp.
#include "cairn/aggregator/args.hpp"

#include <charconv>
#include <sstream>

#include "cairn/base/files.hpp"

namespace cairn::aggregator {

Result<ListenAddress> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return make_error(Errc::usage, "--listen is ADDR:PORT, e.g. 127.0.0.1:8440");
  const std::string digits = listen.substr(colon + 1);
  int port = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || port < 0 || port > 65535)
    return make_error(Errc::usage, "--listen port is not a number");
  return ListenAddress{listen.substr(0, colon), port};
}

Result<std::vector<std::string>> read_token_hashes(const std::filesystem::path& file) {
  auto text = CAIRN_TRY(fs::read_text_file(file, 1 << 20));
  std::vector<std::string> hashes;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) hashes.push_back(line);
  return hashes;
}

}  // namespace cairn::aggregator
