// The uploader's status file and the one line shown for it (see status.hpp).
#include "cairn/uploader/status.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cairn/base/files.hpp"
#include "cairn/base/json.hpp"
#include "cairn/base/text.hpp"
#include "cairn/uploader/spool.hpp"

namespace cairn::uploader {

namespace stdfs = std::filesystem;

namespace {

constexpr std::size_t kMaxStatusBytes = 16 * 1024;

// "10:02" today, "2026-12-01 10:02" on another day (local time).
std::string when(std::int64_t t, const Clock& clock) {
  const std::int64_t day = local_day(t, clock.utc_offset(t));
  const std::int32_t sec = local_second_of_day(t, clock.utc_offset(t));
  char hm[16];
  std::snprintf(hm, sizeof hm, "%02d:%02d", sec / 3600, sec / 60 % 60);
  const std::int64_t now = clock.now();
  if (day == local_day(now, clock.utc_offset(now))) return hm;
  return day_string(day) + " " + hm;
}

}  // namespace

std::string one_line_error(const std::string& text) {
  std::string flat = text;
  for (auto& c : flat)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  while (!flat.empty() && flat.back() == ' ') flat.pop_back();
  std::string s = safe_outside_text(flat);
  if (s.size() > kMaxErrorChars) {
    s.resize(kMaxErrorChars);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();  // a cut UTF-8 sequence
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    s += "...";
  }
  return s;
}

Result<UploadStatus> read_status(const stdfs::path& spool) {
  UploadStatus s;
  s.waiting = CAIRN_TRY(waiting_ids(spool)).size();
  s.sent = CAIRN_TRY(sent_receipts(spool)).size();
  s.refused = CAIRN_TRY(refused_receipts(spool)).size();
  std::error_code ec;
  if (!stdfs::exists(spool / kStatusFile, ec)) return s;
  auto text = CAIRN_TRY(fs::read_text_file(spool / kStatusFile, kMaxStatusBytes));
  const char* what = "the uploader's status.json";
  auto j = CAIRN_TRY(json::parse_object(text, what));
  if (CAIRN_TRY(json::get_int(j, "version", what)) != 1) return make_error(Errc::corrupt, std::string(what) + " has an unknown version");
  s.last_try = CAIRN_TRY(json::get_int(j, "last_try", what));
  s.last_sent = CAIRN_TRY(json::get_int(j, "last_sent", what));
  s.last_error = one_line_error(CAIRN_TRY(json::get_str(j, "last_error", what, 4 * kMaxErrorChars)));
  s.sent_total = CAIRN_TRY(json::get_uint(j, "sent_total", what));
  s.refused_total = CAIRN_TRY(json::get_uint(j, "refused_total", what));
  return s;
}

Status write_status(const stdfs::path& spool, const UploadStatus& s) {
  nlohmann::json j{{"version", 1},
                   {"last_try", s.last_try},
                   {"last_sent", s.last_sent},
                   {"last_error", one_line_error(s.last_error)},
                   {"sent_total", s.sent_total},
                   {"refused_total", s.refused_total}};
  CAIRN_TRY(fs::ensure_private_dir(spool));
  return fs::write_file_atomic(spool / kStatusFile, j.dump() + "\n");
}

std::string status_line(const UploadStatus& s, const Clock& clock) {
  if (s.waiting > 0) {
    std::string line = count_text(s.waiting, "report", "reports") + " waiting to send";
    if (s.last_try == 0) return line + " (not tried yet)";
    line += ", last try " + when(s.last_try, clock);
    return s.last_error.empty() ? line : line + ": " + s.last_error;
  }
  if (s.last_sent > 0) return "Nothing waiting to send; last report sent " + when(s.last_sent, clock);
  if (s.last_try > 0) return "Nothing waiting to send; last try " + when(s.last_try, clock);
  return "";
}

}  // namespace cairn::uploader
