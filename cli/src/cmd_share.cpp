// `cairn enroll` and `cairn share ...`: the device side of sharing, over device::DeviceShare
// (sync/device/include/cairn/device/device.hpp). This file only parses, unlocks and prints.
#include <cstdio>
#include <memory>

#include "cairn/base/files.hpp"
#include "cairn/base/text.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/device/device.hpp"
#include "cairn/uploader/status.hpp"
#include "extensions.hpp"

namespace cairn::cli {
namespace {

struct ShareArgs {
  std::string token_argument;  // refused: a one-time token in argv is visible to every local user
  std::string token_file, id, period;
  bool yes = false;
};

// Everything the organisation, an aggregator or a stored plan says is outside text: it reaches the
// terminal only through safe_outside_text (no escape sequences, no bidi overrides).
std::string shown(const std::string& s) { return safe_outside_text(s); }

std::string fmt(double v, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// The enrollment token is a one-time secret: from a file (first line), or from the terminal
// without echo / the first line of standard input. Never from argv, where `ps` shows it to every
// local user while the command waits for confirmation.
Result<wire::EnrollToken> read_token(Context& ctx, const ShareArgs& a) {
  if (!a.token_argument.empty())
    return make_error(Errc::usage, "the enrollment token is a secret and is never taken from arguments; "
                                   "give it on standard input, at the prompt, or with --token-file FILE");
  crypto::SecretBytes text;
  if (!a.token_file.empty()) {
    auto bytes = fs::read_file(a.token_file, wire::kMaxTokenBytes + 2);
    if (!bytes.ok()) return bytes.error();
    text = crypto::SecretBytes::from(*bytes);
    crypto::wipe(*bytes);
    std::size_t n = 0;
    while (n < text.size() && text.data()[n] != '\n' && text.data()[n] != '\r') ++n;
    text.truncate(n);
  } else {
    auto typed = ctx.io.read_secret("Enrollment token: ");
    if (!typed.ok()) return make_error(Errc::usage, "no enrollment token given (standard input ended)");
    text = std::move(typed).value();
  }
  return wire::parse_token(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
}

int cmd_enroll(Context& ctx, const ShareArgs& a) {
  auto tok = read_token(ctx, a);
  if (!tok.ok()) return fail(ctx, tok.error());
  auto& out = ctx.io.out();
  out << "Organization: " << shown(tok->org) << "\n"
      << "Team:         " << shown(tok->team) << "\n"
      << "Org key:      " << crypto::fingerprint(tok->org_key) << "\n"
      << "Leader:       " << shown(tok->leader.url) << "  key " << crypto::fingerprint(tok->leader.box_key) << "\n"
      << "Helper:       " << shown(tok->helper.url) << "  key " << crypto::fingerprint(tok->helper.box_key) << "\n"
      << "Enrolling registers this device's public key with both aggregators. Nothing about your record\n"
         "is sent; each report is shown to you and sent only if you approve it.\n";
  if (!a.yes) {
    auto answer = ctx.io.read_line("Compare the fingerprints with the ones your organization published. Enroll? [yes/no] ");
    if (!answer.ok()) return fail(ctx, answer.error());
    if (*answer != "yes" && *answer != "y") {
      out << "Not enrolled.\n";
      return kOk;
    }
  }
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  auto transport = wire::http_transport();
  auto ledger = budget::open_ledger(s->store);
  if (!ledger.ok()) return fail(ctx, ledger.error());
  auto r = device::enroll(s->store, s->keys.device_keys(), *tok, *transport, ledger->ledger, ctx.clock.now());
  if (!r.ok()) return fail(ctx, r.error());
  out << "Enrolled in " << shown(tok->org) << " / " << shown(tok->team) << "; the aggregators' keys are pinned. Run `cairn share sync` to see plans.\n";
  if (r->replaced) out << "This token was in use on another device; that device no longer reports for you.\n";
  if (r->carried)
    out << count_text(r->carried, "earlier report", "earlier reports") << " of yours this year"
        << (r->carried == 1 ? " was" : " were") << " added to this device's privacy budget (one budget per person).\n";
  return kOk;
}

// Everything a `cairn share` command needs once unlocked.
struct Device {
  Session session;
  crypto::SignKeyPair keys;
  std::optional<budget::StoreLedger> ledger;  // set right after unlocking
  std::unique_ptr<wire::Transport> transport;
  std::unique_ptr<device::DeviceShare> api;
};

Result<std::unique_ptr<Device>> open_device(Context& ctx) {
  auto s = CAIRN_TRY(unlock(ctx, true));
  auto d = std::unique_ptr<Device>(new Device{std::move(s), {}, std::nullopt, wire::http_transport(), nullptr});
  d->keys = d->session.keys.device_keys();
  d->ledger.emplace(CAIRN_TRY(budget::open_ledger(d->session.store)));
  d->api = std::make_unique<device::DeviceShare>(d->session.store, d->keys, d->ledger->ledger, *d->transport, ctx.clock,
                                                ctx.paths.outbox());
  // What the keyless uploader did since the last unlock goes into the store first.
  auto rec = d->api->reconcile_outbox();
  if (!rec.ok()) ctx.io.err() << "cairn: the outbox could not be reconciled: " << rec.error().message << "\n";
  else
    for (const auto& n : rec->notes) ctx.io.out() << "  " << safe_outside_text(n) << "\n";
  return d;
}

// "3 reports waiting to send, last try 10:02: leader unreachable" (nothing when nothing was approved).
std::string upload_line(Context& ctx) {
  auto st = uploader::read_status(ctx.paths.outbox());
  if (!st.ok()) return "the uploader's status is unreadable: " + st.error().message;
  return uploader::status_line(*st, ctx.clock);
}

void print_notes(Context& ctx, const device::SyncSummary& s) {
  for (const auto& n : s.notes) ctx.io.out() << "  " << shown(n) << "\n";
}

int cmd_sync(Context& ctx, const ShareArgs& a) {
  auto d = open_device(ctx);
  if (!d.ok()) return fail(ctx, d.error());
  auto s = (*d)->api->sync(a.period.empty() ? std::nullopt : std::optional<std::string>(a.period));
  if (!s.ok()) return fail(ctx, s.error());
  ctx.io.out() << "Plans: " << s->plans_new << " new" << (s->plans_refused ? ", " + std::to_string(s->plans_refused) + " refused" : "")
               << ". Reports: " << s->prepared << " prepared for your approval, " << s->uploaded << " uploaded, " << s->queued
               << " queued (offline), " << s->refused << " refused.\n";
  print_notes(ctx, *s);
  return s->queued > 0 ? kFailure : kOk;
}

int cmd_list(Context& ctx) {
  auto d = open_device(ctx);
  if (!d.ok()) return fail(ctx, d.error());
  auto plans = (*d)->api->plans();
  if (!plans.ok()) return fail(ctx, plans.error());
  auto& out = ctx.io.out();
  out << "Plans:\n";
  if (plans->empty()) out << "  (none; run `cairn share sync`)\n";
  for (const auto& p : *plans) {
    out << "  " << shown(p.plan.id) << "  [" << shown(p.state) << "]  " << shown(p.plan.cadence) << ", k = " << p.plan.k
        << ", metrics:";
    for (const auto& m : p.plan.metrics) out << " " << shown(m.name);
    out << "\n    " << shown(p.plan.purpose) << "\n";
    out << "    Cost: " << device::plan_cost_line(p.plan, (*d)->ledger->ledger, ctx.clock.now()) << "\n";
  }
  auto reps = (*d)->api->history();
  if (!reps.ok()) return fail(ctx, reps.error());
  out << "Reports:\n";
  if (reps->empty()) out << "  (none)\n";
  for (const auto& r : *reps) {
    out << "  " << shown(r.report_id) << "  " << shown(r.plan_id) << "  " << shown(r.period) << "  [" << shown(r.state) << "]";
    if (auto det = (*d)->api->report_detail(r.report_id); det.ok()) out << "  " << device::cost_line(*det);
    out << "\n";
  }
  if (const auto line = upload_line(ctx); !line.empty()) out << "Sending: " << line << "\n";
  return kOk;
}

int cmd_show(Context& ctx, const ShareArgs& a) {
  auto d = open_device(ctx);
  if (!d.ok()) return fail(ctx, d.error());
  auto r = (*d)->api->report_detail(a.id);
  if (!r.ok()) return fail(ctx, r.error());
  auto& out = ctx.io.out();
  out << "Report " << shown(r->report.report_id) << " for plan " << shown(r->report.plan_id) << ", period "
      << shown(r->report.period) << " [" << shown(r->report.state) << "]\n";
  if (!r->purpose.empty()) out << "Purpose: " << shown(r->purpose) << "\n";
  if (r->report.state == "pending") out << device::guarantee_line(*r) << "\n";
  out << "Values (clipped to the plan's range), exactly as shared; this device adds no noise:\n";
  for (const auto& v : r->values)
    out << "  " << shown(v.metric) << (v.coordinate != v.metric ? " / " + shown(v.coordinate) : "") << ": " << fmt(v.value, 3) << " " << shown(v.unit)
        << "\n";
  out << "Noise the organisation will see (both aggregators' layers, on the team's sum; team mean for " << r->k
      << " people):\n";
  for (const auto& n : r->noise)
    out << "  " << shown(n.metric) << ": ±" << fmt(n.sum_sd_units, 2) << " " << shown(n.unit) << " on the sum (1 sd), ±" << fmt(n.mean_se_units, 3)
        << " " << shown(n.unit) << " on the mean\n";
  out << "Cost: " << device::cost_line(*r) << "\n";
  if (r->bytes) {
    out << "Bytes that will leave (" << r->bytes << "), base64:\n" << crypto::to_base64(r->envelope) << "\n";
  } else {
    out << "No bytes will leave (declined).\n";
  }
  return kOk;
}

int cmd_decide(Context& ctx, const ShareArgs& a, bool approve) {
  auto d = open_device(ctx);
  if (!d.ok()) return fail(ctx, d.error());
  auto st = approve ? (*d)->api->approve(a.id) : (*d)->api->decline(a.id);
  if (!st.ok()) return fail(ctx, st.error());
  auto det = (*d)->api->report_detail(a.id);
  if (approve) {
    ctx.io.out() << "Approved and queued; cairn-upload sends it within about 15 minutes (or now: `cairn share sync`).\n";
  } else {
    ctx.io.out() << "Declined; its bytes were erased and will never leave. "
                 << (det.ok() && det->charged ? "It was prepared before charges moved to approval, so its cost stays charged.\n"
                                              : "Nothing was charged.\n");
  }
  if (det.ok()) ctx.io.out() << "Cost: " << device::cost_line(*det) << "\n";
  return kOk;
}

// The team results kept at the last `share sync` (nothing is fetched here: this command is offline),
// in device::team_period_text's words: the organisation's `results` lines, then what this device sent.
int cmd_results(Context& ctx) {
  auto d = open_device(ctx);
  if (!d.ok()) return fail(ctx, d.error());
  auto views = (*d)->api->team_results();
  if (!views.ok()) return fail(ctx, views.error());
  auto& out = ctx.io.out();
  if (views->empty()) {
    out << "No team results yet: they appear here after the organisation releases a period you reported for, at the "
           "next `cairn share sync`.\n";
    return kOk;
  }
  std::string plan;
  for (const auto& v : *views) {
    if (v.plan_id != plan) {
      plan = v.plan_id;
      out << "Plan " << shown(v.plan_id) << (v.purpose.empty() ? "" : ": " + shown(v.purpose)) << "\n";
    }
    const auto text = device::team_period_text(v);
    out << "  " << shown(v.period) << ": " << shown(text.count) << (text.note.empty() ? "" : "; " + text.note) << "\n";
    for (const auto& f : text.figures) {
      out << "    " << shown(f.team.figure) << "\n      " << shown(f.team.verdict) << "\n";
      if (!f.team.outside.empty()) out << "      " << shown(f.team.outside) << "\n";
      if (!f.own.empty()) out << "      " << shown(f.own) << "\n";
    }
  }
  out << device::team_results_note() << "\n";
  return kOk;
}

int cmd_membership(Context& ctx, const ShareArgs& a, bool join) {
  auto d = open_device(ctx);
  if (!d.ok()) return fail(ctx, d.error());
  auto st = join ? (*d)->api->join(a.id) : (*d)->api->leave(a.id);
  if (!st.ok()) return fail(ctx, st.error());
  ctx.io.out() << (join ? "Joined plan " : "Declined plan ") << shown(a.id) << ".\n";
  return kOk;
}

}  // namespace

void add_share(CLI::App& app, Extensions& ext) {
  auto a = std::make_shared<ShareArgs>();
  auto* enroll = app.add_subcommand("enroll", "Enroll this device with your organization's aggregators (shows their keys first)");
  enroll->add_option("token", a->token_argument, "Refused: the token is read from standard input or --token-file")
      ->group("");  // hidden: only there to refuse a token given as an argument with a clear message
  enroll->add_option("--token-file", a->token_file,
                     "Read the enrollment token from the first line of FILE (otherwise from the terminal without "
                     "echo, or the first line of standard input; never from arguments)")
      ->type_name("FILE");
  enroll->add_flag("--yes", a->yes, "Do not ask for confirmation (for scripts)");

  auto* share = app.add_subcommand("share", "Team aggregates you approve one by one");
  share->require_subcommand(1);
  auto* sync = share->add_subcommand("sync", "Fetch plans, prepare due reports for approval, upload approved ones");
  sync->add_option("--period", a->period, "Prepare reports for this period now (e.g. 2026-11, 2026-W47)");
  auto* list = share->add_subcommand("list", "Plans and reports with their states");
  auto* show = share->add_subcommand("show", "Exactly what a report holds: values, the guarantee, the noise the organisation sees, cost, bytes");
  show->add_option("id", a->id, "Report id")->required();
  auto* approve = share->add_subcommand("approve", "Approve a pending report for upload");
  approve->add_option("id", a->id, "Report id")->required();
  auto* decline = share->add_subcommand("decline", "Decline a pending report; its bytes are erased");
  decline->add_option("id", a->id, "Report id")->required();
  auto* results = share->add_subcommand("results",
                                        "Released team results of the plans you reported to, beside what you sent (fetched by sync)");
  auto* join = share->add_subcommand("join", "Join a plan: its reports will be prepared for your approval");
  join->add_option("plan", a->id, "Plan id")->required();
  auto* leave = share->add_subcommand("leave", "Decline or leave a plan");
  leave->add_option("plan", a->id, "Plan id")->required();

  ext.handlers.push_back([=](Context& ctx) -> int {
    if (enroll->parsed()) return cmd_enroll(ctx, *a);
    if (!share->parsed()) return -1;
    if (sync->parsed()) return cmd_sync(ctx, *a);
    if (list->parsed()) return cmd_list(ctx);
    if (show->parsed()) return cmd_show(ctx, *a);
    if (approve->parsed()) return cmd_decide(ctx, *a, true);
    if (decline->parsed()) return cmd_decide(ctx, *a, false);
    if (results->parsed()) return cmd_results(ctx);
    if (join->parsed()) return cmd_membership(ctx, *a, true);
    if (leave->parsed()) return cmd_membership(ctx, *a, false);
    return -1;
  });
}

}  // namespace cairn::cli
