// Argument parsing for `cairn` (CLI11) and dispatch to the subcommands in commands.hpp.
#include <CLI/CLI.hpp>

#include "cairn/base/hardening.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/version.hpp"
#include "commands.hpp"
#include "extensions.hpp"

namespace cairn::cli {
namespace {

constexpr const char* kFooter = R"(Exit status:
  0  ok
  1  failure (disk, network or internal error)
  2  usage error
  3  wrong passphrase or recovery code
  4  corrupt or tampered vault, store or file
  5  not set up yet (run `cairn init`)
  6  refused by policy (consent off, privacy budget, minimum group size)

Secrets (passphrases, the recovery code, the enrollment token) are read from the terminal
without echo, or from the first line(s) of standard input when it is not a terminal
(`printf '%s\n' "$PASS" | cairn export --format json`); the enrollment token also from a file
(`cairn enroll --token-file FILE`). Never from arguments or the environment.
Data: $XDG_DATA_HOME/cairn, config: $XDG_CONFIG_HOME/cairn; --home DIR or CAIRN_HOME puts both
under DIR.)";

}  // namespace

int run(const std::vector<std::string>& args, Io& io) {
  CLI::App app{"Cairn: your own encrypted record of your work, and privacy-preserving sharing.", "cairn"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("cairn ") + kVersion);
  app.require_subcommand(1);
  std::optional<std::string> home;
  app.add_option("--home", home, "Keep data and config under DIR (overrides CAIRN_HOME and XDG)")->type_name("DIR");

  app.add_subcommand("init", "Create the vault and the encrypted store; prints a recovery code once");
  app.add_subcommand("status", "Show the vault, pending agent batches and sources (no passphrase needed)");
  auto* passwd = app.add_subcommand("passwd", "Change the passphrase (the store is not re-encrypted)");
  bool with_recovery = false;
  passwd->add_flag("--recovery", with_recovery, "Authorise with the recovery code instead of the passphrase");
  auto* wipe = app.add_subcommand("wipe", "Destroy the vault and the encrypted store");
  bool yes = false;
  wipe->add_flag("--yes", yes, "Do not ask for confirmation (for scripts)");

  LogArgs log;
  auto* logc = app.add_subcommand("log", "Log a contribution: what changed and for whom");
  logc->add_option("text", log.text, "What changed because of your work, and for whom")->required();
  logc->add_option("--kind", log.kind, "impact | long-term | system | judgment")
      ->check(CLI::IsMember({"impact", "long-term", "system", "judgment"}));
  logc->add_option("--skill", log.skills, "A skill you practised (repeatable)");
  logc->add_option("--link", log.links, "Evidence: a link to the work (repeatable)");
  logc->add_flag("--ai-assisted", log.ai_assisted, "An AI assistant co-produced this work");

  std::string format = "json";
  auto* exportc = app.add_subcommand("export", "Write everything in your record to standard output");
  exportc->add_option("--format", format, "json")->required();
  app.add_subcommand("import", "Import what the agent collected (every unlock does this too)");
  auto* verifyc = app.add_subcommand("verify", "Check that every page of the encrypted store authenticates");
  bool repair = false;
  verifyc->add_flag("--repair", repair, "Remove records no collector could have written (logged, with a count)");

  auto* consentc = app.add_subcommand("consent", "Which sources may be collected");
  consentc->require_subcommand(1);
  consentc->add_subcommand("list", "What each source collects, never collects, and whether it is on");
  std::string source;
  std::vector<std::string> repos, emails, calendars;
  auto* grant = consentc->add_subcommand("grant", "Turn a source on");
  grant->add_option("source", source, "activity | activity-titles | git | calendar | self")->required();
  grant->add_option("--repo", repos, "git: a repository to read (PATH or PATH=LABEL; repeatable)");
  grant->add_option("--email", emails, "git: an author email that is you (repeatable)");
  grant->add_option("--ics", calendars, "calendar: an exported .ics file (repeatable)");
  bool delete_data = false;
  auto* revoke = consentc->add_subcommand("revoke", "Turn a source off (no passphrase needed)");
  revoke->add_option("source", source, "activity | activity-titles | git | calendar | self")->required();
  revoke->add_flag("--delete-data", delete_data, "Also delete what was collected from it");

  auto* agentc = app.add_subcommand("agent", "Run the collection agent in the foreground (systemd runs it)");
  agentc->prefix_command();  // everything after `agent` goes to cairn-agentd as it is

  Extensions ext;
  add_extensions(app, ext);

  std::vector<std::string> argv_rev(args.rbegin(), args.rend() - 1);
  try {
    app.parse(argv_rev);
  } catch (const CLI::CallForHelp& e) {
    io.out() << app.help();
    return kOk;
  } catch (const CLI::CallForVersion& e) {
    io.out() << e.what() << "\n";
    return kOk;
  } catch (const CLI::CallForAllHelp& e) {
    io.out() << app.help("", CLI::AppFormatMode::All);
    return kOk;
  } catch (const CLI::ParseError& e) {
    io.err() << "cairn: " << e.what() << " (see `cairn --help`)\n";
    return kUsage;
  }

  if (auto st = harden_process(); !st.ok()) {
    io.err() << "cairn: " << st.error().message << "\n";
    return kFailure;
  }
  if (auto st = crypto::init(); !st.ok()) {
    io.err() << "cairn: " << st.error().message << "; refusing to run\n";
    return kFailure;
  }
  Context ctx{resolve_paths(home), io, system_clock(), args.empty() ? "cairn" : args[0]};

  if (app.got_subcommand("init")) return cmd_init(ctx);
  if (app.got_subcommand("status")) return cmd_status(ctx);
  if (passwd->parsed()) return cmd_passwd(ctx, with_recovery);
  if (wipe->parsed()) return cmd_wipe(ctx, yes);
  if (logc->parsed()) return cmd_log(ctx, log);
  if (exportc->parsed()) return cmd_export(ctx, format);
  if (app.got_subcommand("import")) return cmd_import(ctx);
  if (verifyc->parsed()) return cmd_verify(ctx, repair);
  if (consentc->parsed()) {
    if (consentc->got_subcommand("list")) return cmd_consent_list(ctx);
    if (grant->parsed()) return cmd_consent_grant(ctx, source, repos, emails, calendars);
    if (revoke->parsed()) return cmd_consent_revoke(ctx, source, delete_data);
  }
  if (agentc->parsed()) {
    return cmd_agent(ctx, agentc->remaining());
  }
  if (int rc = run_extensions(ctx, ext); rc >= 0) return rc;
  io.err() << "cairn: no command given (see `cairn --help`)\n";
  return kUsage;
}

}  // namespace cairn::cli
