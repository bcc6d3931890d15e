// CategoryRules: the built-in defaults, the rules-file format, first-match order, and rejection of
// broken files with the line number while the rules in use stay as they were.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cairn/activity/rules.hpp"
#include "cairn/base/files.hpp"

using cairn::Errc;
using namespace cairn::activity;

namespace {

std::filesystem::path temp_dir(const std::string& name) {
  const char* base = std::getenv("CAIRN_TEST_TMP");
  std::filesystem::path dir = std::filesystem::path(base ? base : "/tmp") /
                              ("activity-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("built-in rules put common Linux applications in their categories") {
  const CategoryRules rules = CategoryRules::defaults();
  struct Case { const char* instance; const char* klass; const char* category; };
  const Case cases[] = {
      {"code", "Code", "development"},
      {"jetbrains-idea", "jetbrains-idea", "development"},
      {"emacs", "Emacs", "development"},
      {"gnome-terminal-server", "Gnome-terminal", "development"},
      {"Alacritty", "Alacritty", "development"},
      {"xterm", "XTerm", "development"},
      {"slack", "Slack", "communication"},
      {"discord", "discord", "communication"},
      {"Mail", "thunderbird", "communication"},
      {"evolution", "Evolution", "communication"},
      {"signal", "Signal", "communication"},
      {"zoom", "zoom", "meetings"},
      {"teams-for-linux", "teams-for-linux", "meetings"},
      {"Jitsi Meet", "Jitsi Meet", "meetings"},
      {"webex", "CiscoCollabHost", "meetings"},
      {"libreoffice", "libreoffice-writer", "documents"},
      {"evince", "Evince", "documents"},
      {"okular", "okular", "documents"},
      {"chatgpt", "ChatGPT", "ai-assistant"},
      {"claude", "Claude", "ai-assistant"},
      {"claude.ai", "Google-chrome", "ai-assistant"},  // a browser app window names its site
      {"copilot", "Copilot", "ai-assistant"},
      {"Navigator", "firefox", "browsing"},
      {"chromium", "Chromium", "browsing"},
      {"google-chrome", "Google-chrome", "browsing"},
      {"gimp", "Gimp-2.10", "other"},
      {"", "", "other"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.instance);
    CAPTURE(c.klass);
    CHECK(rules.categorize(c.instance, c.klass) == c.category);
  }
}

TEST_CASE("the default rules file explains itself and is exactly what runs") {
  const std::string& text = default_rules_text();
  CHECK(text.rfind("# ", 0) == 0);
  CHECK(text.find("first one that matches wins") != std::string::npos);
  auto parsed = CategoryRules::parse(text);
  REQUIRE(parsed.ok());
  CHECK(parsed->rules().size() == CategoryRules::defaults().rules().size());
  CHECK(parsed->rules().size() > 50);
}

TEST_CASE("rules parse: comments, blanks, spaces, case; first match wins; unmatched is other") {
  auto rules = CategoryRules::parse(
      "# my rules\n"
      "\n"
      "   Slack*   =   Meetings   \r\n"
      "slack* = communication\n"
      "\tfoo?bar = development\n"
      "* = browsing");
  REQUIRE(rules.ok());
  REQUIRE(rules->rules().size() == 4);
  CHECK(rules->rules()[0].pattern == "slack*");
  CHECK(rules->rules()[0].line == 3);
  CHECK(rules->categorize("slack", "Slack") == "meetings");  // first match wins
  CHECK(rules->categorize("fooXbar", "") == "development");
  CHECK(rules->categorize("", "FOO-BAR") == "development");  // class matched too
  CHECK(rules->categorize("anything", "Else") == "browsing");

  auto empty = CategoryRules::parse("# nothing but a comment\n");
  REQUIRE(empty.ok());
  CHECK(empty->categorize("code", "Code") == "other");
}

TEST_CASE("broken rules are rejected with the line number") {
  struct Case { const char* text; const char* needle; };
  const Case cases[] = {
      {"code = development\nslack communication\n", "rules line 2: expected `pattern = category`"},
      {"# c\n\ncode = coding\n", "rules line 3: unknown category \"coding\""},
      {"code = development\n = meetings\n", "rules line 2: the pattern before `=` is empty"},
      {"code = \n", "rules line 1: unknown category"},
      {"co\x01" "de = development\n", "rules line 1: contains a control character"},
      {"x = idle\n", "rules line 1: unknown category \"idle\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto r = CategoryRules::parse(c.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::corrupt);
    CHECK(r.error().message.find(c.needle) != std::string::npos);
    CHECK(r.error().message.find('\n') == std::string::npos);  // one line
  }
  std::string long_pattern(kMaxPatternBytes + 1, 'a');
  auto r = CategoryRules::parse(long_pattern + " = other\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("rules line 1: pattern longer than") != std::string::npos);
}

TEST_CASE("rules files have a size and a rule-count limit") {
  std::string huge(kMaxRulesBytes + 1, '#');
  auto big = CategoryRules::parse(huge);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == Errc::too_large);

  std::string many;
  for (std::size_t i = 0; i <= kMaxRules; ++i) many += "a" + std::to_string(i) + " = other\n";
  REQUIRE(many.size() <= kMaxRulesBytes);
  auto r = CategoryRules::parse(many);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "rules line " + std::to_string(kMaxRules + 1) + ": more than " +
                                 std::to_string(kMaxRules) + " rules");
}

TEST_CASE("rules files: default written once with 0600, loaded, and a bad edit changes nothing") {
  auto dir = temp_dir("rules");
  auto path = dir / "activity-rules.conf";
  REQUIRE(write_default_rules(path).ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto text = cairn::fs::read_text_file(path, kMaxRulesBytes);
  REQUIRE(text.ok());
  CHECK(*text == default_rules_text());

  // The employee's edit survives a second write_default_rules().
  REQUIRE(cairn::fs::write_file_atomic(path, std::string("firefox = development\n")).ok());
  REQUIRE(write_default_rules(path).ok());
  auto mine = CategoryRules::load(path);
  REQUIRE(mine.ok());
  CHECK(mine->categorize("Navigator", "firefox") == "development");

  // A broken edit: load fails naming the file and the line; the rules in use are untouched.
  CategoryRules in_use = *mine;
  REQUIRE(cairn::fs::write_file_atomic(path, std::string("firefox = development\nslack => chat\n")).ok());
  auto bad = CategoryRules::load(path);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("rules line 2") != std::string::npos);
  CHECK(bad.error().message.find(path.string()) != std::string::npos);
  CHECK(in_use.categorize("Navigator", "firefox") == "development");

  auto missing = CategoryRules::load(dir / "nope.conf");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::not_found);

  std::ofstream(dir / "big.conf") << std::string(kMaxRulesBytes + 10, '#');
  auto big = CategoryRules::load(dir / "big.conf");
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == Errc::too_large);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the default rules know common applications by their X11 class and their Wayland app id") {
  auto rules = CategoryRules::defaults();
  // On Wayland the backends pass the app id as both names.
  auto wl = [&](std::string_view id) { return rules.categorize(id, id); };
  CHECK(rules.categorize("code", "Code") == "development");
  CHECK(wl("code") == "development");
  CHECK(wl("com.visualstudio.code") == "development");
  CHECK(rules.categorize("konsole", "konsole") == "development");
  CHECK(wl("org.kde.konsole") == "development");
  CHECK(wl("foot") == "development");
  CHECK(wl("Alacritty") == "development");
  CHECK(wl("kitty") == "development");
  CHECK(wl("org.gnome.Ptyxis") == "development");
  CHECK(rules.categorize("Navigator", "firefox-esr") == "browsing");
  CHECK(wl("firefox-esr") == "browsing");
  CHECK(wl("firefox") == "browsing");
  CHECK(wl("org.mozilla.firefox") == "browsing");
  CHECK(wl("org.mozilla.Thunderbird") == "communication");
  CHECK(wl("com.slack.Slack") == "communication");
  CHECK(wl("org.gnome.Evince") == "documents");
  CHECK(wl("org.gnome.Nautilus") == "other");
  CHECK(wl("org.kde.dolphin") == "other");
}
