// The assistants list (data) and the trailer rules: who counts as an AI co-author and who never
// does, the shipped default file, a replacement from the config directory, and bad list files.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "cairn/gitsrc/assistants.hpp"
#include "repo_fixture.hpp"

using namespace cairn;
using namespace cairn::gitsrc;

TEST_CASE("the shipped list parses and names the common assistants") {
  const AssistantList& list = default_assistants();
  std::vector<std::string> tools;
  for (const auto& a : list.assistants) tools.push_back(a.tool);
  for (const char* t : {"GitHub Copilot", "Claude", "ChatGPT", "Cursor", "Codeium", "Gemini"})
    CHECK(std::find(tools.begin(), tools.end(), t) != tools.end());
  // The compiled-in default is the file in the repository, byte for byte in meaning.
  auto from_file = load_assistants(std::string(CAIRN_SOURCE_DIR) + "/agent/gitsrc/assistants.txt");
  REQUIRE(from_file.ok());
  CHECK(from_file->assistants.size() == list.assistants.size());
}

TEST_CASE("Co-authored-by counts only for assistants") {
  const AssistantList& list = default_assistants();
  CHECK(classify_trailer("Co-authored-by", "Claude <noreply@anthropic.com>", list).tool == "Claude");
  CHECK(classify_trailer("co-authored-by", "Copilot <175728472+Copilot@users.noreply.github.com>", list).tool ==
        "GitHub Copilot");
  CHECK(classify_trailer("Co-Authored-By", "Cursor Agent <cursoragent@cursor.com>", list).tool == "Cursor");
  CHECK(classify_trailer("Co-authored-by", "aider (gpt-4o) <x@y.z>", list).tool == "Aider");
  CHECK(classify_trailer("Co-authored-by", "GitHub Copilot", list).tool == "GitHub Copilot");
  // People are never assistants, even when their name starts like one.
  CHECK_FALSE(classify_trailer("Co-authored-by", "Claude Martin <claude.martin@corp.example>", list).ai_assisted);
  CHECK_FALSE(classify_trailer("Co-authored-by", "Gemini Rossi <gemini@corp.example>", list).ai_assisted);
  CHECK_FALSE(classify_trailer("Co-authored-by", "Jane Doe <jane@corp.example>", list).ai_assisted);
  CHECK_FALSE(classify_trailer("Signed-off-by", "Claude <noreply@anthropic.com>", list).ai_assisted);
}

TEST_CASE("Assisted-by and Generated-by always count; the tool is named only when known") {
  const AssistantList& list = default_assistants();
  CHECK(classify_trailer("Assisted-by", "Claude:claude-3-opus", list).tool == "Claude");
  CHECK(classify_trailer("Generated-by", "ChatGPT 4o", list).tool == "ChatGPT");
  CHECK(classify_trailer("Assisted-by", "GitHub Copilot Chat", list).tool == "GitHub Copilot");
  const auto unknown = classify_trailer("Assisted-by", "Jane Doe <jane@corp.example>", list);
  CHECK(unknown.ai_assisted);
  CHECK(unknown.tool == "other");  // the free text itself is never kept
}

TEST_CASE("trailers are read from the trailer block only") {
  const AssistantList& list = default_assistants();
  CHECK(detect_ai("Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n", list).tool == "Claude");
  CHECK_FALSE(detect_ai("Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n\nA later paragraph.\n", list).ai_assisted);
  CHECK_FALSE(detect_ai("Mentions Claude in prose only\n", list).ai_assisted);
  CHECK_FALSE(detect_ai("", list).ai_assisted);
  // A known tool wins over an unknown Assisted-by in the same block.
  CHECK(detect_ai("x\n\nAssisted-by: Homegrown bot\nCo-authored-by: Gemini <gemini-code-assist[bot]@users.noreply.github.com>\n",
                  list).tool == "Gemini");
}

TEST_CASE("a config directory's list replaces the default; a bad one is refused with its line") {
  test::TempDir tmp("gitsrc-assistants");
  auto none = assistants_for_config_dir(tmp.path());
  REQUIRE(none.ok());
  CHECK(none->assistants.size() == default_assistants().assistants.size());

  std::ofstream(tmp.path() / "assistants.txt") << "# ours\nHomegrown Bot: homegrown, *@bots.corp.example\nZed AI\n";
  auto custom = assistants_for_config_dir(tmp.path());
  REQUIRE(custom.ok());
  REQUIRE(custom->assistants.size() == 2);
  CHECK(classify_trailer("Co-authored-by", "Builder <builder@bots.corp.example>", *custom).tool == "Homegrown Bot");
  CHECK(classify_trailer("Co-authored-by", "Zed AI", *custom).tool == "Zed AI");
  CHECK_FALSE(classify_trailer("Co-authored-by", "Claude <noreply@anthropic.com>", *custom).ai_assisted);

  std::ofstream(tmp.path() / "assistants.txt") << "Fine: fine\n\nnoreply@x.example: y\n";
  auto bad = assistants_for_config_dir(tmp.path());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("line 3") != std::string::npos);
}
