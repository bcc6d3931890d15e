// CategoryRules: the employee-editable mapping from an X11 application (its WM_CLASS instance and
// class names) to one of the activity categories of records.hpp (development, communication,
// meetings, documents, ai-assistant, browsing, other).
//
// Rules file format (plain UTF-8 text, at most kMaxRulesBytes bytes and kMaxRules rules):
//
//   # a comment; blank lines are ignored
//   pattern = category
//
// - `pattern` is a glob matched case-insensitively (ASCII) against the WM_CLASS instance name and
//   against the class name; a rule applies when either matches. `*` matches any run of characters,
//   `?` exactly one; every other character matches itself (cairn/base/glob.hpp, the matcher the
//   assistants list uses too). Surrounding spaces are trimmed.
// - `category` is one of the names in cairn::records::kCategories.
// - Rules are tried top to bottom; the first match wins. No match means "other".
// A file that breaks any of this is rejected whole with a one-line error naming the line; the
// caller keeps the rules it had (parsing never changes an existing object).
//
// The built-in defaults are the text of default_rules_text(), which is also what
// write_default_rules() puts on disk, so the file the employee edits starts as exactly what runs.
//
// Its own library (cairn_activity_rules: base and records only) so that the panel, which edits
// the file, validates it with exactly the daemon's parser without loading any window-system
// library; cairn/activity/rules.hpp keeps the names in cairn::activity for the collection code.
//
// Thread safety: a CategoryRules is an immutable value after construction; const methods may be
// called from any thread.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"

namespace cairn::activity_rules {

inline constexpr std::size_t kMaxRulesBytes = 64 * 1024;
inline constexpr std::size_t kMaxRules = 1000;
inline constexpr std::size_t kMaxPatternBytes = 256;

class CategoryRules {
 public:
  struct Rule {
    std::string pattern;   // lower-cased glob
    std::string category;  // one of kCategories
    int line = 0;          // line in the source text, for explanations
  };

  // The built-in rules (parsed from default_rules_text(); aborts if that text were broken).
  static CategoryRules defaults();
  // Parses rules text; Errc::corrupt "rules line N: ..." or Errc::too_large on failure.
  static Result<CategoryRules> parse(std::string_view text);
  // Reads and parses a rules file (Errc::not_found when it does not exist).
  static Result<CategoryRules> load(const std::filesystem::path& path);

  // The category for a window's WM_CLASS (instance, class); "other" when no rule matches.
  const std::string& categorize(std::string_view instance, std::string_view app_class) const;

  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
};

// The default rules file, with a header comment that explains the format to the employee.
const std::string& default_rules_text();

// Writes default_rules_text() to path (0600, atomically) unless a file is already there.
Status write_default_rules(const std::filesystem::path& path);

}  // namespace cairn::activity_rules
