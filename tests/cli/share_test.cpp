// `cairn share show` and `share list` for a report prepared on this device: the one-line guarantee
// and its condition, the values exactly as shared (no device noise), the noise the organisation
// will see, the cost per report and what is left of the year, the same line in `share list`; a
// declined report costs nothing and is no release in `privacy budget`.
#include <doctest/doctest.h>

#include <cstdlib>

#include "../sync/wire/wire_fixture.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/device/device.hpp"
#include "fake_io.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {

class Offline final : public wire::Transport {
 public:
  Result<wire::HttpReply> get(const std::string& base, const std::string&) override {
    return make_error(Errc::network, "cannot reach " + base);
  }
  Result<wire::HttpReply> post(const std::string& base, const std::string&, const std::string&, const std::string&) override {
    return make_error(Errc::network, "cannot reach " + base);
  }
};

int sh(const std::filesystem::path& home, std::vector<std::string> args, std::string* out) {
  args.insert(args.begin(), {"--home", home.string()});
  test::FakeIo io({"pw"});
  int rc = test::run_cairn(io, std::move(args));
  *out = io.out_text() + io.err_text();
  return rc;
}

// Prepares one pending report of a joined plan in an initialised home; returns its id.
std::string prepare_pending(const std::filesystem::path& home) {
  auto paths = resolve_paths(home.string());
  auto keys = crypto::vault_unlock(paths.vault(), crypto::SecretBytes::from(std::string_view("pw")));
  REQUIRE(keys.ok());
  auto s = store::Store::open(paths.store(), keys->store_key(), store::Store::Mode::open_existing);
  REQUIRE(s.ok());
  auto plan = test::sample_plan(crypto::box_keypair().public_key, crypto::box_keypair().public_key);
  auto signed_plan = wire::sign_plan(plan, crypto::sign_keypair());
  REQUIRE(s->put_plan({plan.id, "joined", signed_plan.text, 0}).ok());
  auto ledger = budget::open_ledger(*s);
  REQUIRE(ledger.ok());
  Offline transport;
  ManualClock clock{1'795'000'000};  // 2026-11-18
  const auto device_keys = keys->device_keys();
  device::DeviceShare d(*s, device_keys, ledger->ledger, transport, clock, paths.outbox());
  auto p = d.prepare_due(std::string("2026-W47"));
  REQUIRE(p.ok());
  REQUIRE(p->prepared == 1);
  return d.pending_reports().value().at(0).report_id;
}

}  // namespace

TEST_CASE("share show states the guarantee in one line, the organisation's noise and the cost; list shows the cost") {
  ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  REQUIRE(crypto::init().ok());
  const auto home = test::fresh_dir("cli_share/show");
  std::string out;
  REQUIRE(sh(home, {"init", "--weak-passphrase-ok"}, &out) == cli::kOk);
  const auto id = prepare_pending(home);

  REQUIRE(sh(home, {"share", "show", id}, &out) == cli::kOk);
  INFO(out);
  CHECK(out.find("\nYour values are protected by noise each aggregator adds: ε = ") != std::string::npos);
  const auto line_at = out.find("Your values are protected");
  const auto line = out.substr(line_at, out.find('\n', line_at) - line_at);
  CHECK(line.find("for this year as long as at least one of the two aggregators follows the protocol.") != std::string::npos);
  CHECK(out.find("exactly as shared; this device adds no noise") != std::string::npos);
  CHECK(out.find("Noise the organisation will see (both aggregators' layers") != std::string::npos);
  CHECK(out.find("focus_hours: ±") != std::string::npos);
  CHECK(out.find("on the mean") != std::string::npos);
  CHECK(out.find("\nCost: ε ") != std::string::npos);
  CHECK(out.find(" for this report if you approve it; ε ") != std::string::npos);
  CHECK(out.find(" of your 2.000 left this year after it") != std::string::npos);
  CHECK(out.find("Bytes that will leave") != std::string::npos);

  REQUIRE(sh(home, {"share", "list"}, &out) == cli::kOk);
  CHECK(out.find(id) != std::string::npos);
  CHECK(out.find("[pending]  ε ") != std::string::npos);
  CHECK(out.find("    Cost: ε ") != std::string::npos);  // the plan's line: per report, and what is left
  CHECK(out.find(" per report (the plan's ε ") != std::string::npos);

  // Declined: no guarantee line (nothing will leave), and nothing charged.
  REQUIRE(sh(home, {"share", "decline", id}, &out) == cli::kOk);
  CHECK(out.find("Nothing was charged.") != std::string::npos);
  REQUIRE(sh(home, {"share", "show", id}, &out) == cli::kOk);
  CHECK(out.find("Your values are protected") == std::string::npos);
  CHECK(out.find("No bytes will leave") != std::string::npos);
  CHECK(out.find("Cost: nothing for this report (declined: nothing left this device); ε 2.000 of your 2.000 left this year") !=
        std::string::npos);
  REQUIRE(sh(home, {"privacy", "budget"}, &out) == cli::kOk);
  CHECK(out.find("0 in the past year, 0 in the ledger") != std::string::npos);
}
