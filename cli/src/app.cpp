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
A new passphrase (`init`, `passwd`) must pass the strength check the panel's meter shows (four or
more unrelated words pass); `--weak-passphrase-ok` accepts a weaker one.
What leaves the record on request (`export --output FILE`, `contributions --markdown --output FILE`)
is written 0600; a shell redirect (`> FILE`) creates a file with your umask, usually world-readable.
Data: $XDG_DATA_HOME/cairn, config: $XDG_CONFIG_HOME/cairn; --home DIR or CAIRN_HOME puts both
under DIR.)";

// The core commands' options, filled by CLI11; dispatch() runs the one that was given.
struct Core {
  bool weak_ok = false, with_recovery = false, yes = false, repair = false, delete_data = false;
  LogArgs log;
  ExportArgs exp;
  std::string source;
  std::vector<std::string> repos, emails, calendars;
  CLI::App *init = nullptr, *status = nullptr, *passwd = nullptr, *wipe = nullptr, *logc = nullptr,
           *exportc = nullptr, *import = nullptr, *verify = nullptr, *consent = nullptr, *list = nullptr,
           *grant = nullptr, *revoke = nullptr, *agent = nullptr;
};

constexpr const char* kWeakHelp = "Accept a passphrase the strength check calls weak (not recommended)";

void add_vault_commands(CLI::App& app, Core& c) {
  c.init = app.add_subcommand("init", "Create the vault and the encrypted store; prints a recovery code once");
  c.init->add_flag("--weak-passphrase-ok", c.weak_ok, kWeakHelp);
  c.status = app.add_subcommand("status", "Show the vault, pending agent batches and sources with their settings (no passphrase needed)");
  c.passwd = app.add_subcommand("passwd", "Change the passphrase (the store is not re-encrypted)");
  c.passwd->add_flag("--recovery", c.with_recovery, "Authorise with the recovery code instead of the passphrase");
  c.passwd->add_flag("--weak-passphrase-ok", c.weak_ok, kWeakHelp);
  c.wipe = app.add_subcommand("wipe", "Destroy the vault and the encrypted store");
  c.wipe->add_flag("--yes", c.yes, "Do not ask for confirmation (for scripts)");
}

void add_record_commands(CLI::App& app, Core& c) {
  c.logc = app.add_subcommand("log", "Log a contribution: what changed and for whom");
  c.logc->add_option("text", c.log.text, "What changed because of your work, and for whom")->required();
  c.logc->add_option("--kind", c.log.kind, "impact | long-term | system | judgment")
      ->check(CLI::IsMember({"impact", "long-term", "system", "judgment"}));
  c.logc->add_option("--skill", c.log.skills, "A skill you practised (repeatable)");
  c.logc->add_option("--link", c.log.links, "Evidence: a link to the work (repeatable)");
  c.logc->add_flag("--ai-assisted", c.log.ai_assisted, "An AI assistant co-produced this work");
  c.logc->add_option("--date", c.log.date, "The day it happened, to log it afterwards (not in the future)")->type_name("YYYY-MM-DD");
  c.logc->add_option("--goal", c.log.goal, "Link it to one of your goals, by id or exact title")->type_name("ID|TITLE");
  c.exportc = app.add_subcommand("export", "Write everything in your record as JSON, to standard output or --output FILE");
  c.exportc->add_option("--format", c.exp.format, "json")->required();
  c.exportc->add_option("--output", c.exp.output,
                        "Write to FILE, private (mode 0600) and atomically; a shell redirect (> FILE) would "
                        "create a file others may read")->type_name("FILE");
  c.exportc->add_flag("--force", c.exp.force, "Replace FILE if it exists");
  c.import = app.add_subcommand("import", "Import what the agent collected (every unlock does this too)");
  c.verify = app.add_subcommand("verify", "Check that every page of the encrypted store authenticates");
  c.verify->add_flag("--repair", c.repair, "Remove records no collector could have written (logged, with a count)");
}

void add_consent_commands(CLI::App& app, Core& c) {
  c.consent = app.add_subcommand("consent", "Which sources may be collected");
  c.consent->require_subcommand(1);
  c.list = c.consent->add_subcommand("list", "What each source collects, never collects, whether it is on, and its settings");
  c.grant = c.consent->add_subcommand("grant", "Turn a source on");
  c.grant->add_option("source", c.source, "activity | activity-titles | git | calendar | self")->required();
  c.grant->add_option("--repo", c.repos, "git: a repository to read (PATH or PATH=LABEL; repeatable)");
  c.grant->add_option("--email", c.emails, "git: an author email that is you (repeatable)");
  c.grant->add_option("--ics", c.calendars, "calendar: an exported .ics file (repeatable; read up to two years back)");
  c.revoke = c.consent->add_subcommand("revoke", "Turn a source off (no passphrase needed)");
  c.revoke->add_option("source", c.source, "activity | activity-titles | git | calendar | self")->required();
  c.revoke->add_flag("--delete-data", c.delete_data, "Also delete what was collected from it");
  c.agent = app.add_subcommand("agent", "Run the collection agent in the foreground (systemd runs it)");
  c.agent->prefix_command();  // everything after `agent` goes to cairn-agentd as it is
}

// -1 when none of the core commands was given.
int dispatch(Context& ctx, Core& c) {
  if (c.init->parsed()) return cmd_init(ctx, c.weak_ok);
  if (c.status->parsed()) return cmd_status(ctx);
  if (c.passwd->parsed()) return cmd_passwd(ctx, c.with_recovery, c.weak_ok);
  if (c.wipe->parsed()) return cmd_wipe(ctx, c.yes);
  if (c.logc->parsed()) return cmd_log(ctx, c.log);
  if (c.exportc->parsed()) return cmd_export(ctx, c.exp);
  if (c.import->parsed()) return cmd_import(ctx);
  if (c.verify->parsed()) return cmd_verify(ctx, c.repair);
  if (c.list->parsed()) return cmd_consent_list(ctx);
  if (c.grant->parsed()) return cmd_consent_grant(ctx, c.source, c.repos, c.emails, c.calendars);
  if (c.revoke->parsed()) return cmd_consent_revoke(ctx, c.source, c.delete_data);
  if (c.agent->parsed()) return cmd_agent(ctx, c.agent->remaining());
  return -1;
}

// Parses; returns -1 to go on, else the exit status (help, version, usage error).
int parse(CLI::App& app, const std::vector<std::string>& args, Io& io) {
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
  return -1;
}

}  // namespace

int run(const std::vector<std::string>& args, Io& io) {
  CLI::App app{"Cairn: your own encrypted record of your work, and privacy-preserving sharing.", "cairn"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("cairn ") + kVersion);
  app.require_subcommand(1);
  std::optional<std::string> home;
  app.add_option("--home", home, "Keep data and config under DIR (overrides CAIRN_HOME and XDG)")->type_name("DIR");
  Core core;
  add_vault_commands(app, core);
  add_record_commands(app, core);
  add_consent_commands(app, core);
  Extensions ext;
  add_extensions(app, ext);
  if (int rc = parse(app, args, io); rc >= 0) return rc;

  if (auto st = harden_process(); !st.ok()) {
    io.err() << "cairn: " << st.error().message << "\n";
    return kFailure;
  }
  if (auto st = crypto::init(); !st.ok()) {
    io.err() << "cairn: " << st.error().message << "; refusing to run\n";
    return kFailure;
  }
  Context ctx{resolve_paths(home), io, system_clock(), args.empty() ? "cairn" : args[0]};
  if (int rc = dispatch(ctx, core); rc >= 0) return rc;
  if (int rc = run_extensions(ctx, ext); rc >= 0) return rc;
  io.err() << "cairn: no command given (see `cairn --help`)\n";
  return kUsage;
}

}  // namespace cairn::cli
