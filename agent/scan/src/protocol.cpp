// JSON encoding and strict parsing of the cairn-scan protocol (format in protocol.hpp).
// nlohmann::json throws on type errors; every throw is caught here and becomes a one-line error,
// so no exception crosses the library boundary.
#include "cairn/scan/protocol.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace cairn::scan {

namespace {

using nlohmann::json;

// Thrown inside this file only, caught by the parse functions.
struct ProtocolError {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw ProtocolError{std::move(message)}; }

const json& need(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) fail(std::string("missing \"") + key + "\"");
  return *it;
}

std::string need_string(const json& obj, const char* key) {
  const json& v = need(obj, key);
  if (!v.is_string()) fail(std::string("\"") + key + "\" must be a string");
  return v.get<std::string>();
}

std::int64_t need_int(const json& obj, const char* key) {
  const json& v = need(obj, key);
  if (!v.is_number_integer()) fail(std::string("\"") + key + "\" must be an integer");
  return v.get<std::int64_t>();
}

bool opt_bool(const json& obj, const char* key, bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->is_boolean()) fail(std::string("\"") + key + "\" must be true or false");
  return it->get<bool>();
}

std::int32_t need_int32(const json& obj, const char* key) {
  const std::int64_t v = need_int(obj, key);
  if (v < INT32_MIN || v > INT32_MAX) fail(std::string("\"") + key + "\" is out of range");
  return static_cast<std::int32_t>(v);
}

const json& need_array(const json& obj, const char* key) {
  const json& v = need(obj, key);
  if (!v.is_array()) fail(std::string("\"") + key + "\" must be an array");
  return v;
}

const json* opt_array(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return nullptr;
  if (!it->is_array()) fail(std::string("\"") + key + "\" must be an array");
  return &*it;
}

void need_object(const json& v, const char* what) {
  if (!v.is_object()) fail(std::string(what) + " must be a JSON object");
}

void check_version(const json& root) {
  const std::int64_t v = need_int(root, "version");
  if (v != kScanProtocolVersion) fail("unsupported protocol version " + std::to_string(v));
}

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

records::CommitRecord commit_from(const json& j) {
  need_object(j, "a commit");
  records::CommitRecord c;
  c.repo = need_string(j, "repo");
  c.id = need_string(j, "id");
  c.time = need_int(j, "time");
  c.utc_offset = need_int32(j, "utc_offset");
  c.lines_added = need_int32(j, "lines_added");
  c.lines_removed = need_int32(j, "lines_removed");
  c.files_changed = need_int32(j, "files_changed");
  c.ai_assisted = opt_bool(j, "ai_assisted", false);
  c.ai_tool = need_string(j, "ai_tool");
  if (j.contains("message")) c.message = need_string(j, "message");
  return c;
}

json meeting_json(const records::MeetingRecord& m) {
  return {{"uid", m.uid},           {"start", m.start},         {"end", m.end},
          {"utc_offset", m.utc_offset}, {"attendees", m.attendees}, {"recurring", m.recurring},
          {"one_on_one", m.one_on_one}};
}

records::MeetingRecord meeting_from(const json& j) {
  need_object(j, "a meeting");
  records::MeetingRecord m;
  m.uid = need_string(j, "uid");
  m.start = need_int(j, "start");
  m.end = need_int(j, "end");
  m.utc_offset = need_int32(j, "utc_offset");
  m.attendees = need_int32(j, "attendees");
  m.recurring = opt_bool(j, "recurring", false);
  m.one_on_one = opt_bool(j, "one_on_one", false);
  return m;
}

void put_error(json& j, const std::optional<SourceError>& e) {
  j["ok"] = !e.has_value();
  if (e) {
    j["code"] = errc_name(e->code);
    j["error"] = e->message;
  }
}

std::optional<SourceError> error_from(const json& j) {
  if (opt_bool(j, "ok", false)) return std::nullopt;
  return SourceError{errc_from_name(need_string(j, "code")), need_string(j, "error")};
}

template <class T, class F>
Result<T> guarded(std::string_view text, std::size_t limit, Errc code, const char* what, F&& body) {
  if (text.size() > limit) return make_error(Errc::too_large, std::string(what) + " is larger than its limit");
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return make_error(code, std::string(what) + " is not valid JSON");
  try {
    need_object(root, what);
    check_version(root);
    return body(root);
  } catch (const ProtocolError& e) {
    return make_error(code, std::string(what) + ": " + e.message);
  } catch (const std::exception&) {
    return make_error(code, std::string(what) + ": malformed value");
  }
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
  return guarded<ScanRequest>(text, kMaxRequestBytes, Errc::usage, "scan request", [](const json& root) {
    ScanRequest r;
    if (const json* emails = opt_array(root, "emails")) {
      for (const json& e : *emails) {
        if (!e.is_string()) fail("\"emails\" must hold strings");
        r.emails.push_back(e.get<std::string>());
      }
    }
    r.keep_messages = opt_bool(root, "keep_messages", false);
    if (root.contains("assistants_file")) r.assistants_file = need_string(root, "assistants_file");
    if (root.contains("since")) r.since = need_int(root, "since");
    if (const json* git = opt_array(root, "git")) {
      for (const json& g : *git) {
        need_object(g, "a git entry");
        GitRepoRequest repo{need_string(g, "path"), need_string(g, "label"), ""};
        if (g.contains("state")) repo.state = need_string(g, "state");
        if (repo.path.empty()) fail("a git entry has an empty \"path\"");
        if (repo.label.empty()) fail("a git entry has an empty \"label\"");
        r.git.push_back(std::move(repo));
      }
    }
    if (const json* cal = opt_array(root, "calendar")) {
      for (const json& c : *cal) {
        need_object(c, "a calendar entry");
        CalendarFileRequest f{need_string(c, "path")};
        if (f.path.empty()) fail("a calendar entry has an empty \"path\"");
        r.calendar.push_back(std::move(f));
      }
    }
    if (!r.calendar.empty()) {
      r.from = need_int(root, "from");
      r.to = need_int(root, "to");
      if (r.to <= r.from) fail("\"to\" must be after \"from\"");
      r.uid_key_hex = need_string(root, "uid_key_hex");
      if (r.uid_key_hex.size() != 64 || !is_hex(r.uid_key_hex)) fail("\"uid_key_hex\" must be 64 hex digits");
    }
    if (r.git.empty() && r.calendar.empty()) fail("nothing to scan (no \"git\" and no \"calendar\" entries)");
    if (!r.git.empty() && r.emails.empty()) fail("\"emails\" is required to scan git repositories");
    return Result<ScanRequest>(std::move(r));
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
  return guarded<ScanResponse>(text, kMaxResponseBytes, Errc::corrupt, "scan response", [](const json& root) {
    ScanResponse r;
    for (const json& g : need_array(root, "git")) {
      need_object(g, "a git result");
      GitRepoResponse out;
      out.label = need_string(g, "label");
      out.error = error_from(g);
      if (!out.error) {
        out.state = need_string(g, "state");
        out.visited = static_cast<std::size_t>(std::max<std::int64_t>(0, need_int(g, "visited")));
        for (const json& c : need_array(g, "commits")) out.commits.push_back(commit_from(c));
      }
      r.git.push_back(std::move(out));
    }
    for (const json& c : need_array(root, "calendar")) {
      need_object(c, "a calendar result");
      CalendarFileResponse out;
      out.path = need_string(c, "path");
      out.error = error_from(c);
      if (!out.error) {
        out.skipped = static_cast<std::size_t>(std::max<std::int64_t>(0, need_int(c, "skipped")));
        for (const json& m : need_array(c, "meetings")) out.meetings.push_back(meeting_from(m));
      }
      r.calendar.push_back(std::move(out));
    }
    return Result<ScanResponse>(std::move(r));
  });
}

}  // namespace cairn::scan
