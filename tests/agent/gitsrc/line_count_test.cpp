// The git source's line counts against the real git CLI: for commits that modify, add, delete,
// rename (exactly and with edits), change a mode, and touch binary and large files, each commit's
// lines_added, lines_removed and files_changed equal the sums of `git diff --numstat PARENT COMMIT`
// (git's defaults: renames detected; a binary file "-" counts no lines), with the objects loose
// and again after `git repack -adf --depth=50` puts them in delta chains; gitlinks, as before; and
// files a `diff` attribute marks binary.
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "cairn/gitsrc/scan.hpp"
#include "repo_fixture.hpp"

using namespace cairn;
using namespace cairn::test;

namespace {

const Person kMe{"Me Myself", "me@corp.example"};

struct Counts {
  std::int64_t added = 0, removed = 0, files = 0;
  bool operator==(const Counts&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Counts& c) {
  return os << "+" << c.added << " -" << c.removed << " files " << c.files;
}

// The git CLI's numbers for a commit against its first parent (a root commit against the empty tree).
Counts git_numstat(const GitRepo& repo, const std::string& commit) {
  const std::string parents = repo.git("rev-list --parents -n 1 " + commit);
  const std::string parent = parents.size() > 41 ? parents.substr(41, 40) : repo.git("hash-object -t tree /dev/null");
  std::istringstream lines(repo.git("diff --numstat " + parent + " " + commit));
  Counts c;
  std::string added, removed, rest;
  while (lines >> added) {
    lines >> removed;
    std::getline(lines, rest);
    ++c.files;
    if (added != "-") c.added += std::stoll(added);
    if (removed != "-") c.removed += std::stoll(removed);
  }
  return c;
}

std::map<std::string, Counts> scanned(const GitRepo& repo) {
  gitsrc::ScanOptions o;
  o.author_emails = {kMe.email};
  o.since = 1672531200;  // 2023-01-01
  auto r = gitsrc::scan_repository(repo.dir(), "repo", o, "");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  std::map<std::string, Counts> out;
  for (const auto& c : r->commits) out[c.id] = {c.lines_added, c.lines_removed, c.files_changed};
  return out;
}

std::string numbered_lines(const std::string& tag, int from, int to) {
  std::string s;
  for (int i = from; i < to; ++i) s += tag + " line " + std::to_string(i) + " with some words to compare\n";
  return s;
}

std::string binary_blob(std::size_t size, unsigned seed) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    seed = seed * 1103515245u + 12345u;
    s[i] = static_cast<char>(seed >> 16);
  }
  s[10] = '\0';  // a NUL in the first 8,000 bytes: binary for git and libgit2 alike
  return s;
}

struct Named {
  const char* what;
  std::string id;
};

}  // namespace

TEST_CASE("line counts equal git diff --numstat for each kind of change, loose and packed") {
  TempDir tmp("cairn-linecount");
  GitRepo repo(tmp.path() / "repo");
  std::vector<Named> commits;
  auto commit = [&](const char* what, int day) {
    commits.push_back({what, repo.commit(kMe, "2024-05-" + std::string(day < 10 ? "0" : "") + std::to_string(day) +
                                                  "T10:00:00+0000", std::string(what) + "\n")});
  };
  repo.write("src/main.txt", numbered_lines("main", 0, 60));
  repo.write("src/util.txt", numbered_lines("util", 0, 40));
  repo.write("doc/old_name.txt", numbered_lines("doc", 0, 50));
  repo.write("doc/moved_and_edited.txt", numbered_lines("moved", 0, 80));
  repo.write("assets/logo.bin", binary_blob(20000, 1));
  commit("root: text and binary files added", 1);

  repo.write("src/main.txt", numbered_lines("main", 0, 10) + "changed line\n" + numbered_lines("main", 12, 60) +
                                 "appended one\nappended two\n");
  commit("modified: lines changed, removed and appended", 2);

  repo.write("src/new.txt", numbered_lines("new", 0, 25));
  commit("added: one new file", 3);

  std::filesystem::remove(repo.dir() / "src/util.txt");
  commit("deleted: one file", 4);

  repo.git("mv doc/old_name.txt doc/new_name.txt");
  commit("renamed: exactly, content unchanged", 5);

  std::filesystem::remove(repo.dir() / "doc/moved_and_edited.txt");
  repo.write("notes/moved_and_edited.txt", numbered_lines("moved", 0, 75) + "a new last line\n");
  commit("renamed with edits: 5 lines dropped, 1 added, most kept", 6);

  repo.write("assets/logo.bin", binary_blob(20000, 2));
  repo.write("assets/icon.bin", binary_blob(3000, 3));
  commit("binary: one modified, one added", 7);

  repo.write("big/large.txt", numbered_lines("large", 0, 40000));  // ~2.2 MB: past the 1 MiB pack cache entry
  repo.write("big/large.bin", binary_blob(1500000, 4));
  commit("large: a 2 MB text file and a 1.5 MB binary added", 8);

  repo.write("big/large.txt", numbered_lines("large", 0, 20000) + "middle edit\n" + numbered_lines("large", 20001, 40000));
  repo.write("big/large.bin", binary_blob(1500000, 5));
  commit("large: one line of the text file changed, the binary rewritten", 9);

  std::filesystem::permissions(repo.dir() / "src/new.txt", std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  commit("mode: executable bit only", 10);

  repo.write("src/main.txt", numbered_lines("main", 0, 5));
  std::filesystem::remove(repo.dir() / "src/new.txt");
  repo.write("src/other.txt", "unrelated\n");
  commit("mixed: a big deletion, a file removed and an unrelated one added", 11);

  repo.write("a.txt", "one\ntwo\nthree\n");
  commit("small: a three-line file added", 12);

  std::filesystem::remove(repo.dir() / "a.txt");
  repo.write("b.txt", "one\ntwo\nTHREE\n");
  commit("small: renamed with one of its three lines edited", 13);

  for (const char* stage : {"loose objects", "packed with delta chains"}) {
    CAPTURE(stage);
    if (std::string(stage) == "packed with delta chains") {
      repo.git("repack -adfq --window=20 --depth=50");
      repo.git("prune-packed");
    }
    const auto got = scanned(repo);
    REQUIRE(got.size() == commits.size());
    for (const auto& c : commits) {
      CAPTURE(c.what);
      CHECK(got.at(c.id) == git_numstat(repo, c.id));
    }
  }
}

TEST_CASE("gitlinks count as before: one line when added or removed, nothing when moved") {
  // libgit2's diff shows a gitlink as "Subproject commit <id>", and GIT_DIFF_IGNORE_SUBMODULES (the
  // scan's flag since the start) drops a moved one, which git counts as 1 added and 1 removed.
  TempDir tmp("cairn-linecount-gitlink");
  GitRepo repo(tmp.path() / "repo");
  repo.write("a.txt", "a\n");
  repo.commit(kMe, "2024-05-01T10:00:00+0000", "root\n");
  // The index as it is: `git add -A` (GitRepo::commit) would drop a gitlink with no folder behind it.
  auto commit_index = [&](const std::string& date, const std::string& message) {
    run("cd " + quote(repo.dir().string()) + " && GIT_AUTHOR_NAME=Me GIT_AUTHOR_EMAIL=" + kMe.email +
        " GIT_AUTHOR_DATE=" + date + " GIT_COMMITTER_NAME=Me GIT_COMMITTER_EMAIL=" + kMe.email +
        " GIT_COMMITTER_DATE=" + date + " git commit -q -m " + quote(message));
    return repo.git("rev-parse HEAD");
  };
  repo.git("update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,sub");
  const std::string added = commit_index("2024-05-02T10:00:00+0000", "add a gitlink");
  repo.git("update-index --cacheinfo 160000,2222222222222222222222222222222222222222,sub");
  const std::string moved = commit_index("2024-05-03T10:00:00+0000", "move it");
  repo.git("rm -q --cached sub");
  const std::string removed = commit_index("2024-05-04T10:00:00+0000", "remove it");
  const auto got = scanned(repo);
  CHECK(got.at(added) == Counts{1, 0, 1});
  CHECK(got.at(added) == git_numstat(repo, added));
  CHECK(got.at(moved) == Counts{0, 0, 0});
  CHECK(got.at(removed) == Counts{0, 1, 1});
  CHECK(got.at(removed) == git_numstat(repo, removed));
}

TEST_CASE("files the diff attribute marks binary count no lines, as in git") {
  TempDir tmp("cairn-linecount-attr");
  GitRepo repo(tmp.path() / "repo");
  repo.git("config diff.lockfile.binary true");
  repo.write(".gitattributes", "*.gen -diff\n*.dat binary\n*.lock diff=lockfile\n");
  for (const char* f : {"x.gen", "y.dat", "z.lock", "w.txt"}) repo.write(f, "a\nb\n");
  const std::string root = repo.commit(kMe, "2024-05-01T10:00:00+0000", "root\n");
  for (const char* f : {"x.gen", "y.dat", "z.lock", "w.txt"}) repo.write(f, "a\nc\nd\n");
  const std::string changed = repo.commit(kMe, "2024-05-02T10:00:00+0000", "change all four\n");
  const auto got = scanned(repo);
  CHECK(got.at(root) == Counts{5, 0, 5});  // .gitattributes 3 lines, w.txt 2
  CHECK(got.at(changed) == Counts{2, 1, 4});
  CHECK(got.at(root) == git_numstat(repo, root));
  CHECK(got.at(changed) == git_numstat(repo, changed));
}
