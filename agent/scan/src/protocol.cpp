// JSON encoding and strict parsing of the cairn-scan protocol (format in protocol.hpp). Fields are
// read through cairn/base/json.hpp, so a malformed message becomes a one-line error and nothing
// throws.
#include "cairn/scan/protocol.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "cairn/base/json.hpp"

namespace cairn::scan {

namespace {

using json = nlohmann::json;
using cairn::json::get_array;
using cairn::json::get_int;
using cairn::json::get_str;
using cairn::json::opt_array;
using cairn::json::opt_bool;

constexpr std::size_t kAnyLength = std::string::npos;  // the message's own size limit bounds every field

// One message's reading context: what it is called in errors and the code a bad field gets.
struct Reader {
  const char* what;
  Errc code;
  Result<std::string> str(const json& j, const char* key) const { return get_str(j, key, what, kAnyLength, code); }
  Result<std::int64_t> i64(const json& j, const char* key) const { return get_int(j, key, what, code); }
  Result<std::int32_t> i32(const json& j, const char* key) const {
    return static_cast<std::int32_t>(CAIRN_TRY(cairn::json::get_int_in(j, key, what, INT32_MIN, INT32_MAX, code)));
  }
  Result<bool> flag(const json& j, const char* key) const { return opt_bool(j, key, false, what, code); }
  Result<const json*> list(const json& j, const char* key) const { return get_array(j, key, what, code); }
  Result<const json*> maybe_list(const json& j, const char* key) const { return opt_array(j, key, what, code); }
  Status object(const json& j, const char* entry) const {
    if (!j.is_object()) return make_error(code, std::string(what) + ": " + entry + " must be a JSON object");
    return ok_status();
  }
  Error fail(const std::string& problem) const { return make_error(code, std::string(what) + ": " + problem); }
};

bool is_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

json commit_json(const records::CommitRecord& c) {
  json j = {{"repo", c.repo},
            {"id", c.id},
            {"time", c.time},
            {"utc_offset", c.utc_offset},
            {"lines_added", c.lines_added},
            {"lines_removed", c.lines_removed},
            {"files_changed", c.files_changed},
            {"ai_assisted", c.ai_assisted},
            {"ai_tool", c.ai_tool}};
  if (c.message) j["message"] = *c.message;
  return j;
}

Result<records::CommitRecord> commit_from(const Reader& in, const json& j) {
  CAIRN_TRY(in.object(j, "a commit"));
  records::CommitRecord c;
  c.repo = CAIRN_TRY(in.str(j, "repo"));
  c.id = CAIRN_TRY(in.str(j, "id"));
  c.time = CAIRN_TRY(in.i64(j, "time"));
  c.utc_offset = CAIRN_TRY(in.i32(j, "utc_offset"));
  c.lines_added = CAIRN_TRY(in.i32(j, "lines_added"));
  c.lines_removed = CAIRN_TRY(in.i32(j, "lines_removed"));
  c.files_changed = CAIRN_TRY(in.i32(j, "files_changed"));
  c.ai_assisted = CAIRN_TRY(in.flag(j, "ai_assisted"));
  c.ai_tool = CAIRN_TRY(in.str(j, "ai_tool"));
  if (j.contains("message")) c.message = CAIRN_TRY(in.str(j, "message"));
  return c;
}

json meeting_json(const records::MeetingRecord& m) {
  return {{"uid", m.uid},           {"start", m.start},         {"end", m.end},
          {"utc_offset", m.utc_offset}, {"attendees", m.attendees}, {"recurring", m.recurring},
          {"one_on_one", m.one_on_one}};
}

Result<records::MeetingRecord> meeting_from(const Reader& in, const json& j) {
  CAIRN_TRY(in.object(j, "a meeting"));
  records::MeetingRecord m;
  m.uid = CAIRN_TRY(in.str(j, "uid"));
  m.start = CAIRN_TRY(in.i64(j, "start"));
  m.end = CAIRN_TRY(in.i64(j, "end"));
  m.utc_offset = CAIRN_TRY(in.i32(j, "utc_offset"));
  m.attendees = CAIRN_TRY(in.i32(j, "attendees"));
  m.recurring = CAIRN_TRY(in.flag(j, "recurring"));
  m.one_on_one = CAIRN_TRY(in.flag(j, "one_on_one"));
  return m;
}

void put_error(json& j, const std::optional<SourceError>& e) {
  j["ok"] = !e.has_value();
  if (e) {
    j["code"] = errc_name(e->code);
    j["error"] = e->message;
  }
}

Result<std::optional<SourceError>> error_from(const Reader& in, const json& j) {
  if (CAIRN_TRY(in.flag(j, "ok"))) return std::optional<SourceError>();
  return std::optional<SourceError>(SourceError{errc_from_name(CAIRN_TRY(in.str(j, "code"))), CAIRN_TRY(in.str(j, "error"))});
}

// Size limit, JSON, an object, the protocol version; then `body` reads the fields.
template <class T, class F>
Result<T> parse_message(std::string_view text, std::size_t limit, const Reader& in, F&& body) {
  if (text.size() > limit) return make_error(Errc::too_large, std::string(in.what) + " is larger than its limit");
  const json root = CAIRN_TRY(cairn::json::parse_object(text, in.what, in.code));
  const std::int64_t version = CAIRN_TRY(in.i64(root, "version"));
  if (version != kScanProtocolVersion) return in.fail("unsupported protocol version " + std::to_string(version));
  return body(root);
}

}  // namespace

Errc errc_from_name(std::string_view name) {
  for (Errc e : {Errc::usage, Errc::wrong_secret, Errc::corrupt, Errc::io, Errc::not_found, Errc::exists,
                 Errc::refused, Errc::too_large, Errc::network, Errc::internal})
    if (name == errc_name(e)) return e;
  return Errc::internal;
}

std::string encode_request(const ScanRequest& r) {
  json j = {{"version", kScanProtocolVersion}, {"emails", r.emails}, {"keep_messages", r.keep_messages}};
  if (r.assistants_file) j["assistants_file"] = *r.assistants_file;
  if (r.since) j["since"] = *r.since;
  json git = json::array();
  for (const auto& g : r.git) git.push_back({{"path", g.path}, {"label", g.label}, {"state", g.state}});
  j["git"] = std::move(git);
  json cal = json::array();
  for (const auto& c : r.calendar) cal.push_back({{"path", c.path}});
  j["calendar"] = std::move(cal);
  j["from"] = r.from;
  j["to"] = r.to;
  j["uid_key_hex"] = r.uid_key_hex;
  return j.dump();
}

Result<ScanRequest> parse_request(std::string_view text) {
  const Reader in{"scan request", Errc::usage};
  return parse_message<ScanRequest>(text, kMaxRequestBytes, in, [&](const json& root) -> Result<ScanRequest> {
    ScanRequest r;
    if (const json* emails = CAIRN_TRY(in.maybe_list(root, "emails"))) {
      for (const json& e : *emails) {
        if (!e.is_string()) return in.fail("\"emails\" must hold strings");
        r.emails.push_back(e.get<std::string>());
      }
    }
    r.keep_messages = CAIRN_TRY(in.flag(root, "keep_messages"));
    if (root.contains("assistants_file")) r.assistants_file = CAIRN_TRY(in.str(root, "assistants_file"));
    if (root.contains("since")) r.since = CAIRN_TRY(in.i64(root, "since"));
    if (const json* git = CAIRN_TRY(in.maybe_list(root, "git"))) {
      for (const json& g : *git) {
        CAIRN_TRY(in.object(g, "a git entry"));
        GitRepoRequest repo{CAIRN_TRY(in.str(g, "path")), CAIRN_TRY(in.str(g, "label")), ""};
        if (g.contains("state")) repo.state = CAIRN_TRY(in.str(g, "state"));
        if (repo.path.empty()) return in.fail("a git entry has an empty \"path\"");
        if (repo.label.empty()) return in.fail("a git entry has an empty \"label\"");
        r.git.push_back(std::move(repo));
      }
    }
    if (const json* cal = CAIRN_TRY(in.maybe_list(root, "calendar"))) {
      for (const json& c : *cal) {
        CAIRN_TRY(in.object(c, "a calendar entry"));
        CalendarFileRequest f{CAIRN_TRY(in.str(c, "path"))};
        if (f.path.empty()) return in.fail("a calendar entry has an empty \"path\"");
        r.calendar.push_back(std::move(f));
      }
    }
    if (!r.calendar.empty()) {
      r.from = CAIRN_TRY(in.i64(root, "from"));
      r.to = CAIRN_TRY(in.i64(root, "to"));
      if (r.to <= r.from) return in.fail("\"to\" must be after \"from\"");
      r.uid_key_hex = CAIRN_TRY(in.str(root, "uid_key_hex"));
      if (r.uid_key_hex.size() != 64 || !is_hex(r.uid_key_hex)) return in.fail("\"uid_key_hex\" must be 64 hex digits");
    }
    if (r.git.empty() && r.calendar.empty()) return in.fail("nothing to scan (no \"git\" and no \"calendar\" entries)");
    if (!r.git.empty() && r.emails.empty()) return in.fail("\"emails\" is required to scan git repositories");
    return r;
  });
}

std::string encode_response(const ScanResponse& r) {
  json git = json::array();
  for (const auto& g : r.git) {
    json j = {{"label", g.label}};
    put_error(j, g.error);
    if (!g.error) {
      j["state"] = g.state;
      j["visited"] = g.visited;
      json commits = json::array();
      for (const auto& c : g.commits) commits.push_back(commit_json(c));
      j["commits"] = std::move(commits);
    }
    git.push_back(std::move(j));
  }
  json cal = json::array();
  for (const auto& c : r.calendar) {
    json j = {{"path", c.path}};
    put_error(j, c.error);
    if (!c.error) {
      j["skipped"] = c.skipped;
      json meetings = json::array();
      for (const auto& m : c.meetings) meetings.push_back(meeting_json(m));
      j["meetings"] = std::move(meetings);
    }
    cal.push_back(std::move(j));
  }
  // error_handler::replace: a commit message with invalid UTF-8 must not make dump() throw.
  return json{{"version", kScanProtocolVersion}, {"git", std::move(git)}, {"calendar", std::move(cal)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

Result<ScanResponse> parse_response(std::string_view text) {
  const Reader in{"scan response", Errc::corrupt};
  return parse_message<ScanResponse>(text, kMaxResponseBytes, in, [&](const json& root) -> Result<ScanResponse> {
    ScanResponse r;
    for (const json& g : *CAIRN_TRY(in.list(root, "git"))) {
      CAIRN_TRY(in.object(g, "a git result"));
      GitRepoResponse out;
      out.label = CAIRN_TRY(in.str(g, "label"));
      out.error = CAIRN_TRY(error_from(in, g));
      if (!out.error) {
        out.state = CAIRN_TRY(in.str(g, "state"));
        out.visited = static_cast<std::size_t>(std::max<std::int64_t>(0, CAIRN_TRY(in.i64(g, "visited"))));
        for (const json& c : *CAIRN_TRY(in.list(g, "commits"))) out.commits.push_back(CAIRN_TRY(commit_from(in, c)));
      }
      r.git.push_back(std::move(out));
    }
    for (const json& c : *CAIRN_TRY(in.list(root, "calendar"))) {
      CAIRN_TRY(in.object(c, "a calendar result"));
      CalendarFileResponse out;
      out.path = CAIRN_TRY(in.str(c, "path"));
      out.error = CAIRN_TRY(error_from(in, c));
      if (!out.error) {
        out.skipped = static_cast<std::size_t>(std::max<std::int64_t>(0, CAIRN_TRY(in.i64(c, "skipped"))));
        for (const json& m : *CAIRN_TRY(in.list(c, "meetings"))) out.meetings.push_back(CAIRN_TRY(meeting_from(in, m)));
      }
      r.calendar.push_back(std::move(out));
    }
    return r;
  });
}

}  // namespace cairn::scan
