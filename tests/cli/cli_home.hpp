// A home directory for the CLI tests of the human views and the passphrase rule: runs `cairn`
// in-process (run() with a FakeIo) and opens the same store files directly to plant records.
#pragma once

#include <cstdlib>
#include <ctime>
#include <functional>

#include "cairn/base/clock.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/store/store.hpp"
#include "fake_io.hpp"
#include "temp_dir.hpp"

namespace cairn::test {

struct CliHome {
  explicit CliHome(const std::string& name) : dir(fresh_dir("cli-views/" + name)) {
    ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  }
  // Runs `cairn --home DIR args...` with the input lines; captures stdout and stderr.
  int sh(std::deque<std::string> input, std::vector<std::string> args) {
    FakeIo io(std::move(input));
    args.insert(args.begin(), {"--home", dir.string()});
    int rc = run_cairn(io, args);
    out = io.out_text();
    err = io.err_text();
    return rc;
  }
  // Opens the store with the passphrase and runs fn on it (closed again before returning).
  void with_store(const std::string& pass, const std::function<void(store::Store&)>& fn) const {
    auto paths = resolve_paths(dir.string());
    auto keys = crypto::vault_unlock(paths.vault(), crypto::SecretBytes::from(std::string_view(pass))).value();
    auto s = store::Store::open(paths.store(), keys.store_key(), store::Store::Mode::open_existing).value();
    fn(s);
  }
  std::filesystem::path dir;
  std::string out, err;
};

// Today as the CLI sees it (the system clock and local time zone).
inline std::int64_t today_local() {
  const auto now = system_clock().now();
  return local_day(now, system_clock().utc_offset(now));
}
// The UTC instant of local day `day` at `seconds` past midnight, and that instant's offset.
inline std::int32_t offset_at(std::int64_t day, std::int32_t seconds) {
  return system_clock().utc_offset(day * 86400 + seconds);
}
inline std::int64_t local_instant(std::int64_t day, std::int32_t seconds) {
  return day * 86400 + seconds - offset_at(day, seconds);
}

// A span of `minutes` from local time h:m on `day` (days since 1970, local), as the daemon would
// record it: an empty `app` is time away (idle, category "idle").
inline records::ActivitySpan planted_span(std::int64_t day, int h, int m, int minutes, const char* app, const char* cat) {
  records::ActivitySpan s;
  s.start = local_instant(day, h * 3600 + m * 60);
  s.end = s.start + minutes * 60;
  s.utc_offset = offset_at(day, h * 3600);
  s.idle = std::string(app).empty();
  s.app_class = app;
  s.category = s.idle ? "idle" : cat;
  return s;
}

}  // namespace cairn::test
