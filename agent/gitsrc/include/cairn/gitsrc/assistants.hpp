// The list of AI assistants recognised in commit trailers, and the trailer rules that use it.
// The list is data (agent/gitsrc/assistants.txt, compiled in as the default and replaceable by
// assistants.txt in the config directory); the format is described at the top of that file.
//
// Rules (the git source's definition of "AI co-produced"):
//   Co-authored-by: X   counts when X's email matches a pattern or its display name equals an alias
//                       (optionally followed by " (model)" or ":model"); a human co-author never counts.
//   Assisted-by: X, Generated-by: X
//                       always count; the tool is the matched assistant, or "other" when X names
//                       none we know (X itself is never kept: it might be a person's name).
//
// Thread safety: plain values; the functions are pure.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"

namespace cairn::gitsrc {

struct Assistant {
  std::string tool;                          // canonical name, what CommitRecord::ai_tool holds
  std::vector<std::string> names;            // lower-cased display-name aliases
  std::vector<std::string> email_patterns;   // lower-cased globs (cairn/base/glob.hpp)
};

struct AssistantList {
  std::vector<Assistant> assistants;
};

inline constexpr std::size_t kMaxAssistantsFileBytes = 256 * 1024;
inline constexpr const char* kOtherAssistant = "other";

// Parses the text format of assistants.txt; a malformed line fails with its line number.
Result<AssistantList> parse_assistants(std::string_view text);
// Reads and parses a file (bounded by kMaxAssistantsFileBytes).
Result<AssistantList> load_assistants(const std::filesystem::path& path);
// The list shipped with Cairn (agent/gitsrc/assistants.txt, embedded at build time).
const AssistantList& default_assistants();
// The config directory's assistants.txt when it exists, else the default list.
Result<AssistantList> assistants_for_config_dir(const std::filesystem::path& config_dir);

struct AiVerdict {
  bool ai_assisted = false;
  std::string tool;  // canonical tool name, kOtherAssistant, or empty when not assisted
};

// Reads the trailers of a full commit message and applies the rules above. When several
// trailers name assistants, the first recognised tool wins.
AiVerdict detect_ai(const std::string& message, const AssistantList& list);

// One trailer, exposed for tests: key is compared case-insensitively.
AiVerdict classify_trailer(std::string_view key, std::string_view value, const AssistantList& list);

}  // namespace cairn::gitsrc
