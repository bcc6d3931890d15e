// One upload run over the spool (see upload.hpp).
#include "cairn/uploader/upload.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "cairn/base/files.hpp"
#include "cairn/uploader/spool.hpp"
#include "cairn/uploader/status.hpp"
#include "cairn/wire/answers.hpp"
#include "cairn/wire/envelope.hpp"

namespace cairn::uploader {

namespace stdfs = std::filesystem;

namespace {

bool transient(int status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

// Moves the envelope out of the waiting set: rename within the spool's file system.
Status move_to(const stdfs::path& spool, const char* dir, const std::string& id) {
  CAIRN_TRY(fs::ensure_private_dir(spool / dir));
  std::error_code ec;
  stdfs::rename(spool / (id + kEnvelopeExt), spool / dir / (id + kEnvelopeExt), ec);
  if (ec) return make_error(Errc::io, "cannot move report " + id + " to " + (spool / dir).string() + ": " + ec.message());
  return fs::sync_dir(spool);
}

Status refuse(const stdfs::path& spool, const std::string& id, const std::string& reason) {
  CAIRN_TRY(fs::ensure_private_dir(spool / kRefusedDir));
  CAIRN_TRY(fs::write_file_atomic(spool / kRefusedDir / (id + ".why"), one_line_error(reason) + "\n"));
  return move_to(spool, kRefusedDir, id);
}

struct Outcome {
  enum Kind { sent, waiting, refused } kind = waiting;
  std::string message;  // waiting: the last error; refused: the reason
};

Outcome send_one(wire::Transport& t, const std::string& url, const std::string& body, const RunOptions& o) {
  std::string last_error;
  int status = 0;
  std::string answer;
  int delay = o.first_delay_ms;
  for (int attempt = 0; attempt < std::max(o.attempts, 1); ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      delay *= 4;
    }
    auto r = t.post(url, "/v1/reports", body, "application/octet-stream");
    if (!r.ok()) {
      status = 0;
      last_error = "leader unreachable: " + r.error().message;
      continue;
    }
    status = r->status;
    answer = r->body;
    last_error = "HTTP " + std::to_string(status) + ": " + wire::reply_error(*r);
    if (!transient(status)) break;
  }
  if (status == 200 || status == 201) {
    auto a = wire::parse_upload_answer(answer);
    if (a.ok() && a->both_hold()) return {Outcome::sent, {}};
    // Stored by one side only, or an answer we cannot read: the leader completes it on a retry.
    return {Outcome::waiting, a.ok() ? "the leader holds it but not yet the helper" : a.error().message};
  }
  if (transient(status)) return {Outcome::waiting, last_error};
  return {Outcome::refused, last_error};
}

}  // namespace

Result<RunSummary> upload_spool(const stdfs::path& spool, wire::Transport& transport, const Clock& clock,
                                const RunOptions& options) {
  RunSummary out;
  std::error_code ec;
  if (!stdfs::exists(spool, ec)) return out;  // nothing was ever approved here
  auto lock = CAIRN_TRY(SpoolLock::take(spool));
  auto ids = CAIRN_TRY(waiting_ids(spool));
  auto status = CAIRN_TRY(read_status(spool));
  if (ids.empty()) return out;  // status.json keeps the last real try

  // Read every envelope; one that does not parse (or names another report) never leaves.
  struct Item {
    std::uint64_t ledger_length;
    std::string id, body;
  };
  std::vector<Item> items;
  for (const auto& id : ids) {
    auto bytes = fs::read_file(spool / (id + kEnvelopeExt), wire::kMaxEnvelopeBytes);
    auto env = bytes.ok() ? wire::parse_envelope(*bytes) : Result<wire::Envelope>(bytes.error());
    if (!env.ok() || wire::report_id_hex(env->ctx.report_id) != id) {
      const std::string why = env.ok() ? "the envelope names another report" : env.error().message;
      CAIRN_TRY(refuse(spool, id, "not sent: " + why));
      ++out.refused;
      ++status.refused_total;
      out.notes.push_back("report " + id + " was not sent: " + one_line_error(why));
      continue;
    }
    items.push_back({env->ledger.length, id, std::string(bytes->begin(), bytes->end())});
  }
  // Ledger order: the aggregators refuse a chain that does not grow.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.ledger_length != b.ledger_length ? a.ledger_length < b.ledger_length : a.id < b.id;
  });

  const auto dest = CAIRN_TRY(read_destination(spool));
  status.last_try = clock.now();
  status.last_error.clear();
  if (!dest) status.last_error = "no leader address in the spool yet (open Cairn once to write it)";
  bool blocked = !dest;  // an earlier envelope stays waiting: the later ones wait behind it
  for (const auto& it : items) {
    if (blocked) {
      if (dest) out.notes.push_back("report " + it.id + " waits behind an earlier one");
      ++out.waiting;
      continue;
    }
    const auto o = send_one(transport, dest->leader_url, it.body, options);
    switch (o.kind) {
      case Outcome::sent:
        CAIRN_TRY(move_to(spool, kSentDir, it.id));
        ++out.sent;
        ++status.sent_total;
        status.last_sent = clock.now();
        break;
      case Outcome::waiting:
        blocked = true;
        ++out.waiting;
        status.last_error = one_line_error(o.message);
        out.notes.push_back("report " + it.id + " stays queued: " + status.last_error);
        break;
      case Outcome::refused:
        CAIRN_TRY(refuse(spool, it.id, o.message));
        ++out.refused;
        ++status.refused_total;
        out.notes.push_back("report " + it.id + " was refused (" + one_line_error(o.message) + ")");
        break;
    }
  }
  CAIRN_TRY(write_status(spool, status));
  return out;
}

}  // namespace cairn::uploader
