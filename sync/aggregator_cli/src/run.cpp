// The `cairn-aggregator` command: every subcommand over the output and error streams given, so
// tests run it in-process; apps/cairn-aggregator/main.cpp only hands over argv. Exit statuses are
// base's exit_code_for (the README's table): 0 ok, 1 failure, 2 usage, 3 wrong secret, 4 corrupt
// or tampered state, 5 not set up, 6 refused (e.g. below k).
#include <CLI/CLI.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <thread>
#include <vector>

#include "cairn/aggregator_cli/aggregator_cli.hpp"

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/aggregator/args.hpp"
#include "cairn/aggregator/scheduler.hpp"
#include "cairn/aggregator/server.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/exit_codes.hpp"
#include "cairn/base/files.hpp"
#include "cairn/base/hardening.hpp"
#include "cairn/base/text.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/preview.hpp"
#include "cairn/version.hpp"
#include "cairn/wire/plan_check.hpp"

using namespace cairn;
namespace agg = cairn::aggregator;

namespace {

// "2026-12-07 00:00 UTC".
std::string utc_minute(std::int64_t t) {
  std::int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  const std::int64_t sec = t - day * 86400;
  char buf[32];
  std::snprintf(buf, sizeof buf, " %02d:%02d UTC", static_cast<int>(sec / 3600), static_cast<int>(sec % 3600 / 60));
  return day_string(day) + buf;
}

// The time the command acts at: the system's, or CAIRN_AGGREGATOR_NOW (UTC seconds) for the
// end-to-end tests, which cannot wait for a week to end before they release it. Like
// CAIRN_INSECURE_FAST_KDF it is for test suites only; the command says so on stderr when it is set.
// It moves nothing in `serve` (the report window and the schedule keep the system's clock).
Result<std::int64_t> command_clock(std::ostream& err) {
  const char* fake = std::getenv("CAIRN_AGGREGATOR_NOW");
  if (!fake || !*fake) return static_cast<std::int64_t>(std::time(nullptr));
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(fake, &end, 10);
  if (errno || *end || v <= 0) return make_error(Errc::usage, "CAIRN_AGGREGATOR_NOW must be UTC seconds since 1970");
  err << "cairn-aggregator: warning: CAIRN_AGGREGATOR_NOW is set: this command acts as if it were " << utc_minute(v)
            << " (test suites only)\n";
  return static_cast<std::int64_t>(v);
}

class Runner {
 public:
  Runner(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}
  int run(const std::vector<std::string>& args);

 private:
  int fail(const Error& e) {
    err_ << "cairn-aggregator: " << e.message << "\n";
    return exit_code_for(e.code);
  }

  std::unique_ptr<agg::Aggregator> open_or_exit(const std::string& dir, int& rc) {
    auto a = agg::Aggregator::open(dir);
    if (!a.ok()) {
      rc = fail(a.error());
      return nullptr;
    }
    return std::move(*a);
  }

  void print_info(const agg::Info& i) {
    out_ << "role: " << agg::role_name(i.role) << "\n";
    if (!i.org.empty()) out_ << "organization: " << i.org << "\n";
    out_ << "org key: " << crypto::to_base64(i.org_key) << "  (" << crypto::fingerprint(i.org_key) << ")\n";
    out_ << "box key: " << crypto::to_base64(i.box_key) << "  (" << crypto::fingerprint(i.box_key) << ")\n";
    if (!i.url.empty()) out_ << "url: " << i.url << "\n";
    if (!i.helper_url.empty()) out_ << "helper url: " << i.helper_url << "\n";
    if (i.helper_box_key) out_ << "helper box key: " << crypto::to_base64(*i.helper_box_key) << "\n";
  }

  int serve(const std::string& dir, const std::string& listen, const std::string& port_file, const std::string& tls_cert,
            const std::string& tls_key, int release_after_hours) {
    if (release_after_hours < 0) return fail(make_error(Errc::usage, "--release-after-hours is 0 (off) or more"));
    if (tls_cert.empty() != tls_key.empty()) return fail(make_error(Errc::usage, "--tls-cert and --tls-key go together"));
    auto address = agg::parse_listen(listen);
    if (!address.ok()) return fail(address.error());
    int rc = 0;
    auto a = open_or_exit(dir, rc);
    if (!a) return rc;
    // Signals are taken by one thread with sigwait, which then stops the server from normal context.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::optional<agg::TlsFiles> tls;
    if (!tls_cert.empty()) tls = agg::TlsFiles{tls_cert, tls_key};
    // One line per enrolment, report and release (Aggregator::set_log, the scheduler): plans,
    // periods, counts and reasons; never a value, a token or a device key. The server's threads
    // share the error stream, so each line is written whole under one lock.
    auto log_mu = std::make_shared<std::mutex>();
    auto log_line = [this, log_mu](const std::string& line) {
      std::lock_guard lock(*log_mu);
      err_ << "cairn-aggregator: " << line << std::endl;
    };
    a->set_log(log_line);
    agg::Server server(*a, tls);
    auto bound = server.bind(address->host, address->port);
    if (!bound.ok()) return fail(bound.error());
    if (!port_file.empty())
      if (auto st = fs::write_file_atomic(port_file, std::to_string(*bound) + "\n"); !st.ok()) return fail(st.error());
    err_ << "cairn-aggregator: " << agg::role_name(a->role()) << " listening on " << (tls ? "https://" : "http://")
              << address->host << ":" << *bound << "\n";
    std::thread waiter([&] {
      int sig = 0;
      sigwait(&set, &sig);
      server.stop();
    });
    std::unique_ptr<agg::Scheduler> scheduler;
    if (a->role() == agg::Role::leader && release_after_hours > 0)
      scheduler = std::make_unique<agg::Scheduler>(*a, system_clock(), static_cast<std::int64_t>(release_after_hours) * 3600, log_line);
    auto st = server.run();
    scheduler.reset();
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    if (!st.ok()) return fail(st.error());
    return 0;
  }

  void print_plans(const std::vector<agg::Aggregator::PlanSummary>& plans) {
    if (plans.empty()) {
      out_ << "No plans yet (cairn-aggregator plan create).\n";
      return;
    }
    for (const auto& p : plans) {
      out_ << p.id << "  team " << p.team << ", every " << p.cadence << ", k = " << p.k << ", "
           << (p.published ? "published" : "not published") << ", released: ";
      if (p.released.empty()) out_ << "none";
      for (std::size_t i = 0; i < p.released.size(); ++i) out_ << (i ? ", " : "") << p.released[i];
      out_ << "\n  purpose: " << p.purpose << "\n";
    }
  }

  void print_overview(const agg::Aggregator::Overview& o, std::int64_t now) {
    out_ << "Enrolled devices:";
    if (o.devices_by_team.empty()) out_ << " none";
    out_ << "\n";
    for (const auto& [team, n] : o.devices_by_team) out_ << "  team " << team << ": " << n << "\n";
    out_ << "Open periods (reports received, counts only):";
    if (o.open.empty()) out_ << " none";
    out_ << "\n";
    for (const auto& p : o.open) {
      out_ << "  " << p.plan_id << " " << p.period << ": " << count_text(p.reports, "report", "reports") << " received";
      if (p.k) out_ << (p.reports >= p.k ? ", at least k = " : ", below k = ") << p.k;
      if (p.closing) out_ << "; closed, release not finished (run release again)";
      else if (p.ends > now) out_ << "; ends " << utc_minute(p.ends);
      else if (p.ends) out_ << "; ended " << utc_minute(p.ends);
      out_ << "\n";
    }
  }

  std::ostream& out_;
  std::ostream& err_;
};

int Runner::run(const std::vector<std::string>& args) {
  CLI::App app{"Cairn aggregator: the organization's leader or the privacy helper.", "cairn-aggregator"};
  app.set_version_flag("--version", std::string("cairn-aggregator ") + kVersion);
  app.require_subcommand(1);
  app.footer("Exit status: 0 ok, 1 failure, 2 usage, 3 wrong secret, 4 corrupt state, 5 not set up, 6 refused (below k).");
  std::string dir;

  auto* init = app.add_subcommand("init", "Create an aggregator's state in --dir (a random key file encrypts it)");
  std::string role, org, org_key, url;
  init->add_option("--role", role, "leader | helper")->required()->check(CLI::IsMember({"leader", "helper"}));
  init->add_option("--dir", dir, "State directory")->required();
  init->add_option("--org", org, "leader: the organization's name as employees will see it");
  init->add_option("--org-key", org_key, "helper: the organization's public key (from the leader's init)");
  init->add_option("--url", url, "This aggregator's URL as devices reach it");

  auto* configure = app.add_subcommand("configure", "Set the URL devices use, and on the leader where the helper is");
  std::optional<std::string> c_url, c_helper_url, c_helper_key;
  configure->add_option("--dir", dir, "State directory")->required();
  configure->add_option("--url", c_url, "This aggregator's URL as devices reach it");
  configure->add_option("--helper-url", c_helper_url, "leader: the helper's URL");
  configure->add_option("--helper-key", c_helper_key, "leader: the helper's box key (from the helper's init)");

  auto* infoc = app.add_subcommand("info", "Show role, URLs and public keys with fingerprints");
  infoc->add_option("--dir", dir, "State directory")->required();

  auto* servec = app.add_subcommand("serve", "Serve HTTPS with --tls-cert/--tls-key (plain HTTP without: loopback or behind a TLS proxy only)");
  std::string listen, port_file, tls_cert, tls_key;
  servec->add_option("--dir", dir, "State directory")->required();
  servec->add_option("--listen", listen, "ADDR:PORT (port 0 picks a free port)")->required();
  servec->add_option("--port-file", port_file, "Write the bound port here once listening");
  servec->add_option("--tls-cert", tls_cert, "PEM certificate (chain) to serve HTTPS with");
  servec->add_option("--tls-key", tls_key, "PEM private key of --tls-cert");
  int release_after_hours = 72;
  servec->add_option("--release-after-hours", release_after_hours,
                     "leader: release each period this long after it ends (UTC), for time zones and late approvals; 0 = only by `release`")
      ->capture_default_str();

  auto* token = app.add_subcommand("token", "One-time enrollment tokens");
  token->require_subcommand(1);
  std::string team, hash_file, from_file;
  std::uint32_t count = 1;
  std::vector<std::string> hashes;
  auto* tcreate = token->add_subcommand("create", "leader: create tokens (one per line on stdout)");
  tcreate->add_option("--dir", dir, "State directory")->required();
  tcreate->add_option("--team", team, "The team the device joins")->required();
  tcreate->add_option("--count", count, "How many tokens");
  tcreate->add_option("--hash-file", hash_file, "Write the tokens' hashes here for the helper's `token allow`");
  auto* tallow = token->add_subcommand("allow", "helper: accept tokens by hash (each enrolls one device)");
  tallow->add_option("--dir", dir, "State directory")->required();
  tallow->add_option("--team", team, "The team")->required();
  tallow->add_option("hashes", hashes, "Token hashes");
  tallow->add_option("--from", from_file, "Read hashes from this file, one per line");

  auto* plan = app.add_subcommand("plan", "Collection plans");
  plan->require_subcommand(1);
  agg::PlanRequest pr;
  bool per_release = false;
  double epsilon = 1.0, delta = 1e-6;
  auto* pcreate = plan->add_subcommand("create", "leader: print the utility preview, then build and sign a plan");
  pcreate->add_option("--dir", dir, "State directory")->required();
  pcreate->add_option("--id", pr.id, "Plan id (letters, digits, . _ -)")->required();
  pcreate->add_option("--team", pr.team, "Team")->required();
  pcreate->add_option("--metric", pr.metrics, "A catalog metric (repeatable)")->required();
  pcreate->add_option("--cadence", pr.cadence, "week | month | quarter")->check(CLI::IsMember({"week", "month", "quarter"}));
  pcreate->add_option("--k", pr.k, "Smallest group released (does not change the noise)");
  pcreate->add_option("--epsilon", epsilon, "Privacy budget epsilon (per year unless --per-release)");
  pcreate->add_option("--delta", delta, "Privacy budget delta");
  pcreate->add_flag("--per-release", per_release, "The budget is per release, not per year");
  pcreate->add_option("--purpose", pr.purpose, "Why, in plain words employees will read")->required();
  pcreate->add_option("--expected", pr.expected_reports, "Reports expected per release, for the preview (default k)");
  bool preview_only = false, accept_useless = false;
  pcreate->add_flag("--preview", preview_only, "Only print the utility preview");
  pcreate->add_flag("--accept-useless", accept_useless,
                    "Sign the plan even though its own preview calls a metric too noisy to be useful");
  auto* plist = plan->add_subcommand("list", "Plans: id, team, cadence, k, published, periods released, purpose");
  plist->add_option("--dir", dir, "State directory")->required();
  auto* ppublish = plan->add_subcommand("publish", "leader: make a plan available to devices and register it with the helper");
  std::string plan_id, period, format = "text";
  ppublish->add_option("--dir", dir, "State directory")->required();
  ppublish->add_option("--plan", plan_id, "Plan id")->required();

  auto* releasec = app.add_subcommand("release", "leader: close a period and release it if at least k reported");
  releasec->add_option("--dir", dir, "State directory")->required();
  releasec->add_option("--plan", plan_id, "Plan id")->required();
  releasec->add_option("--period", period, "Period, e.g. 2026-11, 2026-W47, 2026-Q4")->required();

  auto* resultsc = app.add_subcommand("results", "leader: released results (n, noisy sums, means, 95% intervals)");
  std::optional<std::string> rperiod;
  resultsc->add_option("--dir", dir, "State directory")->required();
  resultsc->add_option("--plan", plan_id, "Plan id")->required();
  resultsc->add_option("--period", rperiod, "Only this period");
  bool as_json = false;
  resultsc->add_option("--format", format, "text | csv | json")->check(CLI::IsMember({"text", "csv", "json"}))->capture_default_str();
  resultsc->add_flag("--json", as_json, "The same as --format json");

  auto* statusc = app.add_subcommand("status", "Enrolled devices per team and reports received per open period (counts only)");
  statusc->add_option("--dir", dir, "State directory")->required();

  std::vector<std::string> argv_rev(args.rbegin(), args.rend() - 1);
  try {
    app.parse(argv_rev);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out_, err_);
  }
  if (auto st = harden_process(); !st.ok()) return fail(st.error());
  if (auto st = crypto::init(); !st.ok()) return fail(st.error());
  const auto clock = command_clock(err_);
  if (!clock.ok()) return fail(clock.error());
  const std::int64_t now = *clock;
  int rc = 0;

  if (init->parsed()) {
    agg::InitOptions o{role == "helper" ? agg::Role::helper : agg::Role::leader, org, org_key, url};
    if (o.role == agg::Role::leader && org.empty()) return fail(make_error(Errc::usage, "the leader needs --org NAME"));
    if (o.role == agg::Role::helper && org_key.empty()) return fail(make_error(Errc::usage, "the helper needs --org-key (from the leader's init)"));
    if (auto st = agg::Aggregator::init(dir, o, now); !st.ok()) return fail(st.error());
    auto a = open_or_exit(dir, rc);
    if (!a) return rc;
    print_info(a->info().value());
    return 0;
  }
  if (servec->parsed()) return serve(dir, listen, port_file, tls_cert, tls_key, release_after_hours);
  auto a = open_or_exit(dir, rc);
  if (!a) return rc;
  if (configure->parsed()) {
    if (auto st = a->configure(c_url, c_helper_url, c_helper_key); !st.ok()) return fail(st.error());
    print_info(a->info().value());
    return 0;
  }
  if (infoc->parsed()) {
    auto i = a->info();
    if (!i.ok()) return fail(i.error());
    print_info(*i);
    return 0;
  }
  if (tcreate->parsed()) {
    auto t = a->create_tokens(team, count, now);
    if (!t.ok()) return fail(t.error());
    std::string hl;
    for (const auto& x : *t) {
      out_ << x.token << "\n";
      hl += x.hash + "\n";
    }
    if (!hash_file.empty()) {
      if (auto st = fs::write_file_atomic(hash_file, hl); !st.ok()) return fail(st.error());
    } else {
      err_ << "Give the helper these hashes: cairn-aggregator token allow --team '" << team << "' " ;
      for (const auto& x : *t) err_ << x.hash << " ";
      err_ << "\n";
    }
    return 0;
  }
  if (tallow->parsed()) {
    if (!from_file.empty()) {
      auto more = agg::read_token_hashes(from_file);
      if (!more.ok()) return fail(more.error());
      hashes.insert(hashes.end(), more->begin(), more->end());
    }
    if (hashes.empty()) return fail(make_error(Errc::usage, "give token hashes as arguments or --from FILE"));
    if (auto st = a->allow_tokens(team, hashes, now); !st.ok()) return fail(st.error());
    out_ << "Allowed " << count_text(hashes.size(), "token", "tokens") << " for team " << team << ".\n";
    return 0;
  }
  if (pcreate->parsed()) {
    pr.budget = {epsilon, delta, per_release ? dp::BudgetScope::per_release : dp::BudgetScope::per_year};
    std::string text;
    auto prev = a->preview_plan(pr, &text);
    if (!prev.ok()) return fail(prev.error());
    out_ << text;
    if (!text.empty() && text.back() != '\n') out_ << "\n";
    if (preview_only) return 0;
    if (!accept_useless) {
      std::string names, first;
      for (const auto& m : prev->metrics)
        if (m.verdict == dp::Verdict::too_noisy) {
          names += (names.empty() ? "" : ", ") + m.name;
          if (first.empty()) first = m.sentence;
        }
      if (!names.empty())
        return fail(make_error(Errc::refused, "not signing plan " + pr.id + ": its own preview calls " + names + " " + first +
                                                  "; nothing was signed or stored (fewer metrics, a longer cadence, more reports "
                                                  "or a larger budget help; --accept-useless signs it anyway)"));
    }
    auto sp = a->create_plan(pr, now);
    if (!sp.ok()) return fail(sp.error());
    out_ << "Signed plan " << sp->plan.id << " for team " << sp->plan.team
              << " (not yet visible to devices: run `cairn-aggregator plan publish --plan " << sp->plan.id << "`).\n";
    return 0;
  }
  if (ppublish->parsed()) {
    if (auto st = a->publish_plan(plan_id); !st.ok()) return fail(st.error());
    out_ << "Published plan " << plan_id << "; the helper registered it.\n";
    return 0;
  }
  if (plist->parsed()) {
    auto plans = a->list_plans();
    if (!plans.ok()) return fail(plans.error());
    print_plans(*plans);
    return 0;
  }
  if (releasec->parsed()) {
    // A period that has not ended yet is refused: devices still report for it, and each one that
    // did after the release would be answered 410 (its employee's approval wasted).
    auto ends = a->period_end(plan_id, period);
    if (!ends.ok()) return fail(ends.error());
    if (now < *ends)
      return fail(make_error(Errc::refused, "period " + period + " of plan " + plan_id + " has not ended yet: it ends " +
                                                utc_minute(*ends) + "; nothing released"));
    auto r = a->release(plan_id, period);
    if (!r.ok()) return fail(r.error());
    out_ << "Released " << plan_id << " " << period << " over " << r->n << " reports.\n";
    const std::int64_t window_end = *ends + wire::kReportGraceSeconds;
    if (now < window_end)
      out_ << "Note: devices could have reported for " << period << " until " << utc_minute(window_end)
           << "; from now on they are answered 410 (serve releases " << "by itself after --release-after-hours).\n";
    return 0;
  }
  if (resultsc->parsed()) {
    auto r = a->results(plan_id, rperiod);
    if (!r.ok()) return fail(r.error());
    if (as_json) format = "json";
    out_ << (format == "csv"    ? agg::render_results_csv(*r)
             : format == "json" ? agg::render_results_json(*r) + "\n"
                                : agg::render_results_text(*r));
    return 0;
  }
  if (statusc->parsed()) {
    auto o = a->overview();
    if (!o.ok()) return fail(o.error());
    print_overview(*o, now);
    return 0;
  }
  return 2;
}

}  // namespace

namespace cairn::aggregator_cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return Runner(out, err).run(args);
}

}  // namespace cairn::aggregator_cli
