// Parsing and matching of the activity category rules (format in rules.hpp).
#include "cairn/activity_rules/rules.hpp"

#include <cstdlib>

#include "cairn/records/records.hpp"
#include "cairn/base/files.hpp"
#include "cairn/base/glob.hpp"

namespace cairn::activity_rules {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

const std::string* known_category(std::string_view name) {
  // Interned copies so categorize() can hand out references that outlive any rules object.
  static const std::vector<std::string> names(std::begin(records::kCategories), std::end(records::kCategories));
  for (const auto& n : names)
    if (n == name) return &n;
  return nullptr;
}

const std::string& other_category() { return *known_category("other"); }

Error line_error(int line, const std::string& what) {
  return make_error(Errc::corrupt, "rules line " + std::to_string(line) + ": " + what);
}

}  // namespace

Result<CategoryRules> CategoryRules::parse(std::string_view text) {
  if (text.size() > kMaxRulesBytes)
    return make_error(Errc::too_large, "rules file is larger than " + std::to_string(kMaxRulesBytes / 1024) +
                                           " KiB; keep it to the rules you need");
  CategoryRules out;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);

    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    for (char c : line)
      if (c == '\0' || (static_cast<unsigned char>(c) < 0x20 && c != '\t'))
        return line_error(line_no, "contains a control character");
    std::size_t eq = line.rfind('=');
    if (eq == std::string_view::npos) return line_error(line_no, "expected `pattern = category`");
    std::string_view pattern = trim(line.substr(0, eq));
    std::string_view category = trim(line.substr(eq + 1));
    if (pattern.empty()) return line_error(line_no, "the pattern before `=` is empty");
    if (pattern.size() > kMaxPatternBytes)
      return line_error(line_no, "pattern longer than " + std::to_string(kMaxPatternBytes) + " bytes");
    std::string cat_lower;
    for (char c : category) cat_lower += lower(c);
    const std::string* cat = known_category(cat_lower);
    if (cat == nullptr)
      return line_error(line_no, "unknown category \"" + std::string(category.substr(0, 40)) +
                                     "\" (use development, communication, meetings, documents, "
                                     "ai-assistant, browsing or other)");
    if (out.rules_.size() >= kMaxRules)
      return line_error(line_no, "more than " + std::to_string(kMaxRules) + " rules");
    Rule rule;
    for (char c : pattern) rule.pattern += lower(c);
    rule.category = *cat;
    rule.line = line_no;
    out.rules_.push_back(std::move(rule));
  }
  return out;
}

CategoryRules CategoryRules::defaults() {
  static const CategoryRules built_in = [] {
    auto parsed = parse(default_rules_text());
    if (!parsed) std::abort();  // the built-in text is part of the program; broken means a bug
    return std::move(parsed).value();
  }();
  return built_in;
}

Result<CategoryRules> CategoryRules::load(const std::filesystem::path& path) {
  auto text = fs::read_text_file(path, kMaxRulesBytes);
  if (!text) {
    if (text.error().code == Errc::too_large)
      return make_error(Errc::too_large, path.string() + " is larger than " +
                                             std::to_string(kMaxRulesBytes / 1024) + " KiB");
    return text.error();
  }
  auto parsed = parse(*text);
  if (!parsed) return make_error(parsed.error().code, path.string() + ": " + parsed.error().message);
  return parsed;
}

const std::string& CategoryRules::categorize(std::string_view instance, std::string_view app_class) const {
  for (const auto& rule : rules_) {
    if ((!instance.empty() && glob_match(rule.pattern, instance)) ||
        (!app_class.empty() && glob_match(rule.pattern, app_class)))
      return rule.category;
  }
  return other_category();
}

Status write_default_rules(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ok_status();
  return fs::write_file_atomic(path, default_rules_text());
}

}  // namespace cairn::activity_rules
