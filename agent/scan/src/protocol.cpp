// JSON encoding and strict parsing of the cairn-scan protocol (format in protocol.hpp). Fields are
// read through cairn/base/json.hpp, so a malformed message becomes a one-line error and nothing
// throws.
#include "cairn/scan/protocol.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <type_traits>

#include "cairn/base/json.hpp"

namespace cairn::scan {

namespace {

using json = cairn::json::Json;
using cairn::json::get_array;
using cairn::json::get_int;
using cairn::json::get_str;
using cairn::json::opt_array;
using cairn::json::opt_bool;
using cairn::json::str_items;

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

// Each record's fields, named once: the encoder and the decoder below both walk these lists (in
// this order, so a decoding error names the first bad field). `message` is optional and apart.
template <class Commit, class Visit>
void commit_fields(Commit& c, Visit&& f) {
  f("repo", c.repo);
  f("id", c.id);
  f("time", c.time);
  f("utc_offset", c.utc_offset);
  f("lines_added", c.lines_added);
  f("lines_removed", c.lines_removed);
  f("files_changed", c.files_changed);
  f("ai_assisted", c.ai_assisted);
  f("ai_tool", c.ai_tool);
}

template <class Meeting, class Visit>
void meeting_fields(Meeting& m, Visit&& f) {
  f("uid", m.uid);
  f("start", m.start);
  f("end", m.end);
  f("utc_offset", m.utc_offset);
  f("attendees", m.attendees);
  f("recurring", m.recurring);
  f("one_on_one", m.one_on_one);
}

// One field by its C++ type: strings, 64- and 32-bit integers, flags (absent = false).
template <class T>
Status read_field(const Reader& in, const json& j, const char* key, T& v) {
  if constexpr (std::is_same_v<T, std::string>) v = CAIRN_TRY(in.str(j, key));
  else if constexpr (std::is_same_v<T, std::int64_t>) v = CAIRN_TRY(in.i64(j, key));
  else if constexpr (std::is_same_v<T, std::int32_t>) v = CAIRN_TRY(in.i32(j, key));
  else if constexpr (std::is_same_v<T, bool>) v = CAIRN_TRY(in.flag(j, key));
  else static_assert(sizeof(T) == 0, "a record field of a type the protocol does not carry");
  return ok_status();
}

// Encodes a record through its field list.
template <class Record, class Fields>
json encode(const Record& r, Fields fields) {
  json j = json::object();
  fields(r, [&](const char* key, const auto& v) { j[key] = v; });
  return j;
}

// Decodes an object through a field list; the first bad field's error.
template <class Record, class Fields>
Result<Record> decode(const Reader& in, const json& j, const char* entry, Fields fields) {
  CAIRN_TRY(in.object(j, entry));
  Record r;
  Status st = ok_status();
  fields(r, [&](const char* key, auto& v) {
    if (st.ok()) st = read_field(in, j, key, v);
  });
  if (!st.ok()) return st.error();
  return r;
}

json commit_json(const records::CommitRecord& c) {
  json j = encode(c, [](auto& r, auto&& f) { commit_fields(r, f); });
  if (c.message) j["message"] = *c.message;
  return j;
}

Result<records::CommitRecord> commit_from(const Reader& in, const json& j) {
  auto c = CAIRN_TRY(decode<records::CommitRecord>(in, j, "a commit", [](auto& r, auto&& f) { commit_fields(r, f); }));
  if (j.contains("message")) c.message = CAIRN_TRY(in.str(j, "message"));
  return c;
}

json meeting_json(const records::MeetingRecord& m) {
  return encode(m, [](auto& r, auto&& f) { meeting_fields(r, f); });
}

Result<records::MeetingRecord> meeting_from(const Reader& in, const json& j) {
  return decode<records::MeetingRecord>(in, j, "a meeting", [](auto& r, auto&& f) { meeting_fields(r, f); });
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
    if (const json* emails = CAIRN_TRY(in.maybe_list(root, "emails")))
      r.emails = CAIRN_TRY(str_items(*emails, "emails", in.what, kAnyLength, in.code));
    r.keep_messages = CAIRN_TRY(in.flag(root, "keep_messages"));
    if (root.contains("assistants_file")) r.assistants_file = CAIRN_TRY(in.str(root, "assistants_file"));
    if (root.contains("since")) r.since = CAIRN_TRY(in.i64(root, "since"));
    if (const json* git = CAIRN_TRY(in.maybe_list(root, "git"))) {
      for (const json& g : *git) {
        CAIRN_TRY(in.object(g, "a git entry"));
        // Field by field: a CAIRN_TRY returning from inside a braced list would skip the
        // destructor of the string already built (LeakSanitizer, scan_protocol_fuzz).
        GitRepoRequest repo;
        repo.path = CAIRN_TRY(in.str(g, "path"));
        repo.label = CAIRN_TRY(in.str(g, "label"));
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

// The response is written record by record rather than as one JSON tree: a first scan's 1,200
// commits as a tree cost 1.7 MiB of heap in cairn-scan, and as one string 0.65 MiB more (the
// string's last growth), the largest part of its peak; the helper streams it (write_response).
// The text is what dumping the tree gave (keys in nlohmann's sorted order: "commits"/"meetings"
// come first).
void write_response(const ScanResponse& r, const std::function<void(std::string_view)>& put) {
  // error_handler::replace: a commit message with invalid UTF-8 must not make dump() throw.
  const auto dump = [](const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); };
  // {"<list_key>":[items...],<rest of head's keys>} or, without items, head alone.
  const auto entry = [&](const json& head, const char* list_key, const auto& items, const auto& to_json,
                         bool with_items) {
    if (!with_items) return put(dump(head));
    put(std::string("{\"") + list_key + "\":[");
    bool first = true;
    for (const auto& item : items) {
      if (!first) put(",");
      first = false;
      put(dump(to_json(item)));
    }
    put("],");
    put(std::string_view(dump(head)).substr(1));
  };
  put("{\"calendar\":[");
  for (std::size_t i = 0; i < r.calendar.size(); ++i) {
    const auto& c = r.calendar[i];
    json j = {{"path", c.path}};
    put_error(j, c.error);
    if (!c.error) j["skipped"] = c.skipped;
    if (i) put(",");
    entry(j, "meetings", c.meetings, meeting_json, !c.error);
  }
  put("],\"git\":[");
  for (std::size_t i = 0; i < r.git.size(); ++i) {
    const auto& g = r.git[i];
    json j = {{"label", g.label}};
    put_error(j, g.error);
    if (!g.error) {
      j["state"] = g.state;
      j["visited"] = g.visited;
    }
    if (i) put(",");
    entry(j, "commits", g.commits, commit_json, !g.error);
  }
  put("],\"version\":" + std::to_string(kScanProtocolVersion) + "}");
}

std::string encode_response(const ScanResponse& r) {
  std::string out;
  write_response(r, [&](std::string_view part) { out += part; });
  return out;
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
