// The spool's files: destination, envelopes, receipts and the lock (see spool.hpp).
#include "cairn/uploader/spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cairn/base/files.hpp"
#include "cairn/base/json.hpp"
#include "cairn/uploader/status.hpp"

namespace cairn::uploader {

namespace stdfs = std::filesystem;

namespace {

constexpr std::size_t kMaxDestinationBytes = 4096;
constexpr std::size_t kMaxReasonBytes = 1024;

Error io_error(const std::string& what, const stdfs::path& p, const std::error_code& ec) {
  return make_error(Errc::io, "cannot " + what + " " + p.string() + ": " + ec.message());
}

// Ids of the *.env files directly in `dir` whose name is a report id, sorted.
Result<std::vector<std::string>> envelope_ids(const stdfs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!stdfs::exists(dir, ec)) return out;
  for (stdfs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& p = it->path();
    if (p.extension() != kEnvelopeExt || !it->is_regular_file(ec)) continue;
    if (valid_report_id(p.stem().string())) out.push_back(p.stem().string());
  }
  if (ec) return io_error("read", dir, ec);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool valid_report_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); });
}

Status write_destination(const stdfs::path& spool, const Destination& d) {
  CAIRN_TRY(fs::ensure_private_dir(spool));
  const std::string text = nlohmann::json{{"leader", d.leader_url}}.dump() + "\n";
  // Unchanged: not rewritten (an approval should not cost an fsync it does not need).
  if (auto old = fs::read_text_file(spool / kDestinationFile, kMaxDestinationBytes); old.ok() && *old == text) return ok_status();
  return fs::write_file_atomic(spool / kDestinationFile, text);
}

Result<std::optional<Destination>> read_destination(const stdfs::path& spool) {
  std::error_code ec;
  if (!stdfs::exists(spool / kDestinationFile, ec)) return std::optional<Destination>();
  auto text = CAIRN_TRY(fs::read_text_file(spool / kDestinationFile, kMaxDestinationBytes));
  auto j = CAIRN_TRY(json::parse_object(text, "the spool's destination.json"));
  Destination d;
  d.leader_url = CAIRN_TRY(json::get_str(j, "leader", "the spool's destination.json", 2048));
  if (d.leader_url.rfind("https://", 0) != 0 && d.leader_url.rfind("http://", 0) != 0)
    return make_error(Errc::corrupt, "the spool's destination.json does not name an http(s) URL");
  return std::optional<Destination>(d);
}

Status spool_envelope(const stdfs::path& spool, const std::string& report_id, std::span<const std::uint8_t> envelope) {
  if (!valid_report_id(report_id)) return make_error(Errc::usage, "not a report id: " + report_id.substr(0, 64));
  CAIRN_TRY(fs::ensure_private_dir(spool));
  return fs::write_file_atomic(spool / (report_id + kEnvelopeExt), envelope);
}

Result<std::vector<std::string>> waiting_ids(const stdfs::path& spool) { return envelope_ids(spool); }

Result<std::vector<Receipt>> sent_receipts(const stdfs::path& spool) {
  std::vector<Receipt> out;
  for (auto& id : CAIRN_TRY(envelope_ids(spool / kSentDir))) out.push_back({std::move(id), {}});
  return out;
}

Result<std::vector<Receipt>> refused_receipts(const stdfs::path& spool) {
  std::vector<Receipt> out;
  for (auto& id : CAIRN_TRY(envelope_ids(spool / kRefusedDir))) {
    Receipt r{id, "refused by the aggregators"};
    if (auto why = fs::read_text_file(spool / kRefusedDir / (id + ".why"), kMaxReasonBytes); why.ok())
      r.reason = one_line_error(*why);
    out.push_back(std::move(r));
  }
  return out;
}

Status forget_receipt(const stdfs::path& spool, const std::string& report_id) {
  if (!valid_report_id(report_id)) return make_error(Errc::usage, "not a report id: " + report_id.substr(0, 64));
  for (const auto& p : {spool / kSentDir / (report_id + kEnvelopeExt), spool / kRefusedDir / (report_id + kEnvelopeExt),
                        spool / kRefusedDir / (report_id + ".why")}) {
    std::error_code ec;
    if (stdfs::exists(p, ec)) CAIRN_TRY(fs::shred_file(p));
  }
  return ok_status();
}

Status drop_waiting(const stdfs::path& spool, const std::string& report_id) {
  if (!valid_report_id(report_id)) return make_error(Errc::usage, "not a report id: " + report_id.substr(0, 64));
  std::error_code ec;
  const auto p = spool / (report_id + kEnvelopeExt);
  if (stdfs::exists(p, ec)) return fs::shred_file(p);
  return ok_status();
}

Result<SpoolLock> SpoolLock::take(const stdfs::path& spool) {
  CAIRN_TRY(fs::ensure_private_dir(spool));
  const auto p = spool / ".lock";
  const int fd = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return make_error(Errc::io, "cannot open " + p.string() + ": " + std::strerror(errno));
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int e = errno;
    ::close(fd);
    return make_error(Errc::io, "cannot lock " + p.string() + ": " + std::strerror(e));
  }
  return SpoolLock(fd);
}

SpoolLock::~SpoolLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace cairn::uploader
