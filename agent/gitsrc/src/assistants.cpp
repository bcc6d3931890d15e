// Parsing of assistants.txt and the trailer rules that decide whether a commit was co-produced by
// an AI assistant (see assistants.hpp for the rules and why a human co-author never counts).
#include "cairn/gitsrc/assistants.hpp"

#include <git2.h>

#include <algorithm>
#include <cctype>

#include "cairn/base/files.hpp"
#include "cairn/base/glob.hpp"
#include "git_handles.hpp"

namespace cairn::gitsrc {

extern const char kDefaultAssistantsText[];  // generated from assistants.txt (CMake)

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "Display Name <email@host>" into its two parts (either may be empty).
void split_identity(std::string_view value, std::string& name, std::string& email) {
  value = trim(value);
  const auto lt = value.find('<');
  const auto gt = value.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    name = lower(trim(value.substr(0, lt)));
    email = lower(trim(value.substr(lt + 1, gt - lt - 1)));
  } else if (value.find('@') != std::string_view::npos && value.find(' ') == std::string_view::npos) {
    name.clear();
    email = lower(value);
  } else {
    name = lower(value);
    email.clear();
  }
}

// "claude" matches "claude", "claude (opus 4)" and "claude:claude-3-opus", never "claude martin".
bool name_matches(std::string_view alias, std::string_view display) {
  if (display.size() < alias.size() || display.substr(0, alias.size()) != alias) return false;
  const std::string_view rest = display.substr(alias.size());
  if (rest.empty()) return true;
  if (rest.front() == ':') return true;
  return rest.size() >= 2 && rest[0] == ' ' && rest[1] == '(';
}

// Assisted-by: / Generated-by: values are tool descriptions ("Claude Code v1.2", "GitHub Copilot
// Chat"), so a word-boundary prefix is enough there.
bool tool_prefix_matches(std::string_view alias, std::string_view value) {
  if (value.size() < alias.size() || value.substr(0, alias.size()) != alias) return false;
  if (value.size() == alias.size()) return true;
  const unsigned char next = static_cast<unsigned char>(value[alias.size()]);
  return !std::isalnum(next);
}

const Assistant* find_by_identity(const AssistantList& list, const std::string& name,
                                  const std::string& email, bool loose_names) {
  for (const Assistant& a : list.assistants) {
    if (!email.empty()) {
      for (const auto& p : a.email_patterns)
        if (glob_match(p, email)) return &a;
    }
    if (!name.empty()) {
      for (const auto& alias : a.names)
        if (loose_names ? tool_prefix_matches(alias, name) : name_matches(alias, name)) return &a;
    }
  }
  return nullptr;
}

}  // namespace

Result<AssistantList> parse_assistants(std::string_view text) {
  AssistantList list;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    Assistant a;
    const auto colon = line.find(':');
    const std::string_view tool = trim(line.substr(0, colon));
    if (tool.empty() || tool.size() > 64 || tool.find('@') != std::string_view::npos)
      return make_error(Errc::corrupt, "assistants list line " + std::to_string(line_no) +
                                           ": expected 'Tool name: alias, email pattern, ...'");
    a.tool = std::string(tool);
    if (colon == std::string_view::npos) {
      a.names.push_back(lower(tool));
    } else {
      std::string_view rest = line.substr(colon + 1);
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view entry = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (entry.empty()) continue;
        if (entry.find('@') != std::string_view::npos)
          a.email_patterns.push_back(lower(entry));
        else
          a.names.push_back(lower(entry));
      }
      if (a.names.empty() && a.email_patterns.empty()) a.names.push_back(lower(tool));
    }
    list.assistants.push_back(std::move(a));
  }
  return list;
}

Result<AssistantList> load_assistants(const std::filesystem::path& path) {
  auto text = fs::read_text_file(path, kMaxAssistantsFileBytes);
  if (!text) return text.error();
  auto parsed = parse_assistants(*text);
  if (!parsed) return make_error(parsed.error().code, path.string() + ": " + parsed.error().message);
  return parsed;
}

const AssistantList& default_assistants() {
  static const AssistantList list = [] {
    auto parsed = parse_assistants(kDefaultAssistantsText);
    if (!parsed) std::abort();  // the shipped file is checked by the tests; a bad one is a bug
    return std::move(parsed).value();
  }();
  return list;
}

Result<AssistantList> assistants_for_config_dir(const std::filesystem::path& config_dir) {
  const auto path = config_dir / "assistants.txt";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return default_assistants();
  return load_assistants(path);
}

AiVerdict classify_trailer(std::string_view key, std::string_view value, const AssistantList& list) {
  const std::string k = lower(trim(key));
  std::string name, email;
  split_identity(value, name, email);
  if (k == "co-authored-by") {
    if (const Assistant* a = find_by_identity(list, name, email, /*loose_names=*/false))
      return {true, a->tool};
    return {};
  }
  if (k == "assisted-by" || k == "generated-by") {
    if (const Assistant* a = find_by_identity(list, name, email, /*loose_names=*/true)) return {true, a->tool};
    return {true, kOtherAssistant};
  }
  return {};
}

AiVerdict detect_ai(const std::string& message, const AssistantList& list) {
  detail::ensure_libgit2();  // libgit2 allocates through its own allocator, set up by init
  git_message_trailer_array arr{};
  if (git_message_trailers(&arr, message.c_str()) != 0) return {};
  AiVerdict verdict;
  for (std::size_t i = 0; i < arr.count; ++i) {
    const AiVerdict v = classify_trailer(arr.trailers[i].key, arr.trailers[i].value, list);
    if (!v.ai_assisted) continue;
    // A named tool beats "other" from an earlier unrecognised Assisted-by:.
    if (!verdict.ai_assisted || (verdict.tool == kOtherAssistant && v.tool != kOtherAssistant)) verdict = v;
  }
  git_message_trailer_array_free(&arr);
  return verdict;
}

}  // namespace cairn::gitsrc
