// The git source on real repositories: which commits are the employee's, exact line and file
// counts (root, rename, deletion), AI trailers, merges skipped, messages only on request, the
// incremental walk (a second scan sees only new commits), the first-scan bound, and the awkward
// repositories: bare, empty, shallow, detached HEAD, not a repository, a malformed state.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "cairn/gitsrc/scan.hpp"
#include "repo_fixture.hpp"

using namespace cairn;
using namespace cairn::test;

namespace {

const Person kMe{"Me Myself", "me@corp.example"};
const Person kMeUpper{"Me Myself", "ME@Corp.Example"};
const Person kOlga{"Olga Other", "olga@corp.example"};

constexpr records::Instant k2023 = 1672531200;  // 2023-01-01T00:00Z

gitsrc::ScanOptions options(bool keep_messages = false) {
  gitsrc::ScanOptions o;
  o.author_emails = {"me@corp.example"};
  o.keep_messages = keep_messages;
  o.since = k2023;
  return o;
}

std::map<std::string, records::CommitRecord> by_id(const std::vector<records::CommitRecord>& commits) {
  std::map<std::string, records::CommitRecord> m;
  for (const auto& c : commits) m[c.id] = c;
  return m;
}

struct History {
  std::string root, olga1, claude, human_claude, olga_feature, assisted, rename, merge;
};

// main:    root(me) - olga1 - claude(ME@) - human_claude(me) - rename(me) - merge(me)
// feature:                                 \- olga_feature - assisted(me) -/
History build_history(const GitRepo& repo) {
  History h;
  repo.write("a.txt", "one\ntwo\nthree\n");
  h.root = repo.commit(kMe, "2024-04-01T09:00:00+0200", "Start the project\n");
  repo.write("b.txt", "olga's line\n");
  h.olga1 = repo.commit(kOlga, "2024-04-01T10:00:00+0200", "Olga's change\n");
  repo.write("a.txt", "one\nTWO\nthree\nfour\n");
  h.claude = repo.commit(kMeUpper, "2024-04-02T10:00:00-0500",
                         "Refine the parser\n\nMore words here.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n");
  repo.write("c.txt", "x\ny\n");
  std::filesystem::remove(repo.dir() / "b.txt");
  h.human_claude = repo.commit(kMe, "2024-04-03T10:00:00+0000",
                               "Pair with Claude\n\nCo-authored-by: Claude Martin <claude.martin@corp.example>\n");
  repo.git("checkout -q -b feature");
  repo.write("d.txt", "feature\n");
  h.olga_feature = repo.commit(kOlga, "2024-04-04T10:00:00+0000", "Olga on the feature\n");
  repo.write("d.txt", "feature\nmore\n");
  h.assisted = repo.commit(kMe, "2024-04-05T10:00:00+0000", "Feature work\n\nAssisted-by: Some Novel Tool v2\n");
  repo.git("checkout -q main");
  repo.git("mv a.txt renamed.txt");
  h.rename = repo.commit(kMe, "2024-04-06T10:00:00+0000", "Rename a file\n");
  run("cd " + quote(repo.dir().string()) +
      " && GIT_AUTHOR_NAME='Me Myself' GIT_AUTHOR_EMAIL=me@corp.example GIT_AUTHOR_DATE=2024-04-07T10:00:00+0000"
      " GIT_COMMITTER_NAME='Me Myself' GIT_COMMITTER_EMAIL=me@corp.example GIT_COMMITTER_DATE=2024-04-07T10:00:00+0000"
      " git merge -q --no-ff -m 'Merge feature' feature");
  h.merge = repo.git("rev-parse HEAD");
  return h;
}

}  // namespace

TEST_CASE("a first scan returns exactly the employee's non-merge commits with their numbers") {
  TempDir tmp("gitsrc-history");
  GitRepo repo(tmp.path() / "repo");
  const History h = build_history(repo);

  auto scanned = gitsrc::scan_repository(repo.dir(), "my-app", options(), "");
  REQUIRE(scanned.ok());
  CHECK(scanned->visited == 8);
  auto got = by_id(scanned->commits);
  REQUIRE(got.size() == 5);
  CHECK(got.count(h.olga1) == 0);
  CHECK(got.count(h.olga_feature) == 0);
  CHECK(got.count(h.merge) == 0);  // merges are skipped (see scan.hpp)

  const auto& root = got.at(h.root);
  CHECK(root.repo == "my-app");
  CHECK(root.time == 1711954800);  // 2024-04-01T09:00+02:00
  CHECK(root.utc_offset == 7200);
  CHECK(root.lines_added == 3);
  CHECK(root.lines_removed == 0);
  CHECK(root.files_changed == 1);
  CHECK_FALSE(root.ai_assisted);
  CHECK(root.ai_tool.empty());
  CHECK_FALSE(root.message.has_value());

  const auto& claude = got.at(h.claude);  // author email in other case still matches
  CHECK(claude.utc_offset == -5 * 3600);
  CHECK(claude.lines_added == 2);
  CHECK(claude.lines_removed == 1);
  CHECK(claude.files_changed == 1);
  CHECK(claude.ai_assisted);
  CHECK(claude.ai_tool == "Claude");

  const auto& human = got.at(h.human_claude);  // a colleague called Claude is not an assistant
  CHECK_FALSE(human.ai_assisted);
  CHECK(human.lines_added == 2);
  CHECK(human.lines_removed == 1);
  CHECK(human.files_changed == 2);

  const auto& assisted = got.at(h.assisted);  // on a branch, reached through refs/heads/feature
  CHECK(assisted.ai_assisted);
  CHECK(assisted.ai_tool == "other");
  CHECK(assisted.lines_added == 1);

  const auto& rename = got.at(h.rename);  // rename detection: no line counted twice
  CHECK(rename.lines_added == 0);
  CHECK(rename.lines_removed == 0);
  CHECK(rename.files_changed == 1);
}

TEST_CASE("messages are kept only when asked, and then whole") {
  TempDir tmp("gitsrc-messages");
  GitRepo repo(tmp.path() / "repo");
  const History h = build_history(repo);
  auto kept = gitsrc::scan_repository(repo.dir(), "r", options(true), "");
  REQUIRE(kept.ok());
  auto got = by_id(kept->commits);
  REQUIRE(got.at(h.claude).message.has_value());
  CHECK(got.at(h.claude).message->find("Refine the parser") == 0);
  CHECK(got.at(h.claude).message->find("Co-authored-by: Claude") != std::string::npos);

  auto bare = gitsrc::scan_repository(repo.dir(), "r", options(false), "");
  REQUIRE(bare.ok());
  for (const auto& c : bare->commits) CHECK_FALSE(c.message.has_value());
}

TEST_CASE("a second scan visits only new commits") {
  TempDir tmp("gitsrc-incremental");
  GitRepo repo(tmp.path() / "repo");
  build_history(repo);
  auto first = gitsrc::scan_repository(repo.dir(), "r", options(), "");
  REQUIRE(first.ok());
  REQUIRE(first->commits.size() == 5);

  auto again = gitsrc::scan_repository(repo.dir(), "r", options(), first->state);
  REQUIRE(again.ok());
  CHECK(again->commits.empty());
  CHECK(again->visited == 0);  // history is not walked again

  repo.write("e.txt", "new\nnewer\n");
  const std::string fresh = repo.commit(kMe, "2024-04-08T10:00:00+0000", "One more\n");
  repo.git("checkout -q -b other HEAD~1");  // a new branch at an old commit brings nothing new
  auto third = gitsrc::scan_repository(repo.dir(), "r", options(), again->state);
  REQUIRE(third.ok());
  REQUIRE(third->commits.size() == 1);
  CHECK(third->commits[0].id == fresh);
  CHECK(third->commits[0].lines_added == 2);
  CHECK(third->visited == 1);

  // A state whose tips are all gone (history rewritten away) falls back to the first-scan bound.
  const std::string gone = gitsrc::encode_state({std::string(40, 'a')});
  auto rescan = gitsrc::scan_repository(repo.dir(), "r", options(), gone);
  REQUIRE(rescan.ok());
  CHECK(rescan->commits.size() == 6);
}

TEST_CASE("the first scan ignores commits before `since`") {
  TempDir tmp("gitsrc-since");
  GitRepo repo(tmp.path() / "repo");
  repo.write("a.txt", "old\n");
  const std::string old_commit = repo.commit(kMe, "2020-06-01T10:00:00+0000", "Old work\n");
  repo.write("a.txt", "old\nnew\n");
  const std::string new_commit = repo.commit(kMe, "2024-06-01T10:00:00+0000", "New work\n");
  auto first = gitsrc::scan_repository(repo.dir(), "r", options(), "");
  if (!first.ok()) FAIL(first.error().message);
  REQUIRE(first->commits.size() == 1);
  CHECK(first->commits[0].id == new_commit);
  CHECK(first->visited == 2);  // the walk stopped at the first commit past the bound
  auto second = gitsrc::scan_repository(repo.dir(), "r", options(), first->state);
  REQUIRE(second.ok());
  CHECK(second->commits.empty());
}

TEST_CASE("mailmap: an old address mapped to the employee's counts") {
  TempDir tmp("gitsrc-mailmap");
  GitRepo repo(tmp.path() / "repo");
  repo.write(".mailmap", "Me Myself <me@corp.example> <me@old-laptop.local>\n");
  repo.commit(kOlga, "2024-04-01T10:00:00+0000", "Add mailmap\n");
  repo.write("a.txt", "a\n");
  const std::string mine = repo.commit({"me", "me@old-laptop.local"}, "2024-04-02T10:00:00+0000", "From the old laptop\n");
  auto scanned = gitsrc::scan_repository(repo.dir(), "r", options(), "");
  REQUIRE(scanned.ok());
  REQUIRE(scanned->commits.size() == 1);
  CHECK(scanned->commits[0].id == mine);
}

TEST_CASE("bare, detached, shallow and empty repositories") {
  TempDir tmp("gitsrc-shapes");
  GitRepo repo(tmp.path() / "repo");
  const History h = build_history(repo);

  SUBCASE("bare clone: the same commits") {
    run("git clone -q --bare " + quote(repo.dir().string()) + " " + quote((tmp.path() / "bare.git").string()));
    auto scanned = gitsrc::scan_repository(tmp.path() / "bare.git", "r", options(), "");
    REQUIRE(scanned.ok());
    CHECK(scanned->commits.size() == 5);
  }
  SUBCASE("detached HEAD: a commit on no branch is still found") {
    repo.git("checkout -q --detach");
    repo.write("z.txt", "detached\n");
    const std::string detached = repo.commit(kMe, "2024-04-09T10:00:00+0000", "Detached work\n");
    auto scanned = gitsrc::scan_repository(repo.dir(), "r", options(), "");
    REQUIRE(scanned.ok());
    CHECK(by_id(scanned->commits).count(detached) == 1);
    CHECK(scanned->commits.size() == 6);
  }
  SUBCASE("shallow clone: the boundary commit is skipped, nothing crashes") {
    GitRepo line(tmp.path() / "line");
    line.write("a", "1\n");
    line.commit(kMe, "2024-04-01T10:00:00+0000", "one\n");
    line.write("a", "1\n2\n");
    line.commit(kMe, "2024-04-02T10:00:00+0000", "two\n");
    line.write("a", "1\n2\n3\n");
    const std::string tip = line.commit(kMe, "2024-04-03T10:00:00+0000", "three\n");
    run("git clone -q --depth 2 file://" + line.dir().string() + " " + quote((tmp.path() / "shallow").string()));
    auto scanned = gitsrc::scan_repository(tmp.path() / "shallow", "r", options(), "");
    if (!scanned.ok()) FAIL(scanned.error().message);
    REQUIRE(scanned->commits.size() == 1);
    CHECK(scanned->commits[0].id == tip);
    CHECK(scanned->commits[0].lines_added == 1);
    // Depth 1: the tip itself is the boundary; hiding it must not reach for its missing parent.
    run("git clone -q --depth 1 file://" + line.dir().string() + " " + quote((tmp.path() / "one").string()));
    GitRepo one_dir_helper(tmp.path() / "one");  // `git init` on an existing repo is harmless
    auto first = gitsrc::scan_repository(tmp.path() / "one", "r", options(), "");
    REQUIRE(first.ok());
    CHECK(first->commits.empty());
    one_dir_helper.write("a", "1\n2\n3\n4\n");
    const std::string added = one_dir_helper.commit(kMe, "2024-04-04T10:00:00+0000", "four\n");
    auto second = gitsrc::scan_repository(tmp.path() / "one", "r", options(), first->state);
    REQUIRE(second.ok());
    REQUIRE(second->commits.size() == 1);
    CHECK(second->commits[0].id == added);
    CHECK(second->visited == 1);
  }
  SUBCASE("empty repository: no commits, a valid state") {
    GitRepo empty(tmp.path() / "empty");
    auto scanned = gitsrc::scan_repository(empty.dir(), "r", options(), "");
    REQUIRE(scanned.ok());
    CHECK(scanned->commits.empty());
    CHECK(gitsrc::decode_state(scanned->state).ok());
  }
}

TEST_CASE("bad paths and bad states fail with one line naming the problem") {
  TempDir tmp("gitsrc-errors");
  auto missing = gitsrc::scan_repository(tmp.path() / "nope", "r", options(), "");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::not_found);
  CHECK(missing.error().message.find("does not exist") != std::string::npos);

  std::filesystem::create_directories(tmp.path() / "plain");
  auto plain = gitsrc::scan_repository(tmp.path() / "plain", "r", options(), "");
  REQUIRE_FALSE(plain.ok());
  CHECK(plain.error().code == Errc::not_found);
  CHECK(plain.error().message == "not a git repository: " + (tmp.path() / "plain").string());

  // A subfolder of a repository is not the repository: no upward search.
  GitRepo repo(tmp.path() / "repo");
  repo.write("sub/f", "x\n");
  repo.commit(kMe, "2024-04-01T10:00:00+0000", "x\n");
  CHECK_FALSE(gitsrc::scan_repository(repo.dir() / "sub", "r", options(), "").ok());

  auto bad_state = gitsrc::scan_repository(repo.dir(), "r", options(), "something else\n");
  REQUIRE_FALSE(bad_state.ok());
  CHECK(bad_state.error().code == Errc::corrupt);
  auto bad_tip = gitsrc::scan_repository(repo.dir(), "r", options(), "cairn-git-state 1\nnot-hex\n");
  REQUIRE_FALSE(bad_tip.ok());
  CHECK(bad_tip.error().code == Errc::corrupt);
}

TEST_CASE("state encoding round trips") {
  const std::vector<std::string> tips = {std::string(40, 'a'), std::string(40, '0')};
  auto decoded = gitsrc::decode_state(gitsrc::encode_state(tips));
  REQUIRE(decoded.ok());
  CHECK(*decoded == tips);
  CHECK(gitsrc::decode_state("")->empty());
  CHECK(gitsrc::decode_state(std::string(gitsrc::kMaxStateBytes + 1, 'a')).error().code == Errc::too_large);
}
