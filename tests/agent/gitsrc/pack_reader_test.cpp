// Cairn's own pack reader (agent/gitsrc/src/pack_reader.hpp) against libgit2 on real packs written
// by the git CLI: every blob, through delta chains up to 50 deep, with OFS_DELTA and with REF_DELTA
// bases; what it leaves to libgit2 (loose objects); and damaged packs, which give an error, not a
// crash or wrong content.
#include <doctest/doctest.h>
#include <git2.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "git_handles.hpp"
#include "pack_reader.hpp"
#include "repo_fixture.hpp"

using namespace cairn;
using namespace cairn::gitsrc::detail;
using cairn::test::GitRepo;
using cairn::test::Person;
using cairn::test::TempDir;

namespace {

const Person kMe{"Me", "me@corp.example"};

git_oid oid(const std::string& hex) {
  git_oid id{};
  REQUIRE(git_oid_fromstr(&id, hex.c_str()) == 0);
  return id;
}

std::vector<std::string> blob_ids(const GitRepo& repo) {
  std::istringstream in(repo.git("cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)'"));
  std::vector<std::string> out;
  std::string id, type;
  while (in >> id >> type)
    if (type == "blob") out.push_back(id);
  return out;
}

// A text file edited again and again (so it packs into long delta chains), a file that grows past
// the 64 KiB a delta copy op can take at once, a binary file, an empty one.
void build_history(const GitRepo& repo) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "line " + std::to_string(i) + " of the notes\n";
  std::string large;
  for (int i = 0; i < 6000; ++i) large += "row " + std::to_string(i) + ": some generated table content\n";
  std::string binary(3000, '\0');
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>((i * 131 + 7) % 251);
  repo.write("empty.txt", "");
  for (int v = 0; v < 60; ++v) {
    text.insert(text.size() / 2, "edit " + std::to_string(v) + "\n");
    large.replace(static_cast<std::size_t>(v) * 97, 4, "ROW ");
    binary[static_cast<std::size_t>(v) * 11] = static_cast<char>(v);
    repo.write("notes.txt", text);
    repo.write("table.csv", large);
    repo.write("image.bin", binary);
    repo.commit(kMe, "2024-05-01T10:" + std::string(v < 10 ? "0" : "") + std::to_string(v) + ":00+0000",
                "version " + std::to_string(v) + "\n");
  }
}

struct Libgit2Odb {
  explicit Libgit2Odb(const std::filesystem::path& objects) {
    ensure_libgit2();
    REQUIRE(git_odb_open(&odb, objects.c_str()) == 0);
  }
  ~Libgit2Odb() { git_odb_free(odb); }
  std::string read(const git_oid& id) const {
    git_odb_object* obj = nullptr;
    REQUIRE(git_odb_read(&obj, odb, &id) == 0);
    std::string out(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj));
    git_odb_object_free(obj);
    return out;
  }
  git_odb* odb = nullptr;
};

std::string text_of(const ObjectBytes& b) { return std::string(reinterpret_cast<const char*>(b.data.get()), b.size); }

int longest_chain(const GitRepo& repo) {
  const std::string pack = test::run("ls " + test::quote((repo.dir() / ".git/objects/pack").string()) + "/*.pack");
  std::istringstream in(repo.git("verify-pack -v " + pack));
  std::string line;
  int longest = 0;
  while (std::getline(in, line))
    if (line.rfind("chain length = ", 0) == 0) longest = std::max(longest, std::stoi(line.substr(15)));
  return longest;
}

}  // namespace

TEST_CASE("pack reader: every blob of a repacked repository reads as libgit2 reads it, OFS and REF deltas") {
  for (const bool offsets : {true, false}) {
    CAPTURE(offsets);
    TempDir tmp("cairn-packreader");
    GitRepo repo(tmp.path() / "repo");
    build_history(repo);
    repo.git(std::string("-c repack.useDeltaBaseOffset=") + (offsets ? "true" : "false") +
             " repack -adfq --window=50 --depth=50");
    repo.git("prune-packed");
    CHECK(longest_chain(repo) >= 30);  // the chains this reader is for

    const auto objects = repo.dir() / ".git/objects";
    auto reader = PackReader::open(objects);
    REQUIRE_MESSAGE(reader.ok(), reader.error().message);
    CHECK(reader->pack_count() == 1);
    const Libgit2Odb lg(objects);
    const auto ids = blob_ids(repo);
    REQUIRE(ids.size() >= 150);
    std::size_t whole = 0;
    for (const auto& hex : ids) {
      CAPTURE(hex);
      const git_oid id = oid(hex);
      const std::string expected = lg.read(id);
      auto size = reader->size(id);
      REQUIRE_MESSAGE(size.ok(), size.error().message);
      REQUIRE(size->has_value());
      CHECK(**size == expected.size());
      auto got = reader->read_blob(id);
      REQUIRE_MESSAGE(got.ok(), got.error().message);
      REQUIRE(got->has_value());
      CHECK(text_of(**got) == expected);
      auto prefix = reader->stored_prefix(id, 100);
      REQUIRE(prefix.ok());
      if (prefix->has_value()) {  // stored whole: its first bytes
        ++whole;
        CHECK(text_of(**prefix) == expected.substr(0, 100));
      }
    }
    CHECK(whole >= 3);               // the newest version of each file at least
    CHECK(whole < ids.size() / 2);  // and most stored as deltas, which it does not inflate for a prefix
  }
}

TEST_CASE("pack reader: what is not in a pack is left to libgit2") {
  TempDir tmp("cairn-packreader-loose");
  GitRepo repo(tmp.path() / "repo");
  repo.write("a.txt", "packed\n");
  repo.commit(kMe, "2024-05-01T10:00:00+0000", "one\n");
  repo.git("repack -adq");
  repo.write("b.txt", "loose\n");
  repo.commit(kMe, "2024-05-01T11:00:00+0000", "two\n");
  auto reader = PackReader::open(repo.dir() / ".git/objects");
  REQUIRE(reader.ok());
  const git_oid loose = oid(repo.git("rev-parse HEAD:b.txt"));
  CHECK_FALSE(reader->size(loose)->has_value());
  CHECK_FALSE(reader->read_blob(loose)->has_value());
  CHECK(text_of(**reader->read_blob(oid(repo.git("rev-parse HEAD:a.txt")))) == "packed\n");

  // No pack folder at all: a reader that finds nothing.
  TempDir empty("cairn-packreader-none");
  auto none = PackReader::open(empty.path());
  REQUIRE(none.ok());
  CHECK(none->pack_count() == 0);
  CHECK_FALSE(none->read_blob(loose)->has_value());
}

TEST_CASE("pack reader: a damaged pack or index gives an error, never other content") {
  TempDir tmp("cairn-packreader-damaged");
  GitRepo repo(tmp.path() / "repo");
  build_history(repo);
  repo.git("repack -adfq --window=50 --depth=50");
  const auto pack_dir = repo.dir() / ".git/objects/pack";
  const std::string pack = test::run("ls " + test::quote(pack_dir.string()) + "/*.pack");
  const std::string idx = pack.substr(0, pack.size() - 5) + ".idx";
  // The pack's entries, from `git verify-pack -v` (id, type, size, size in pack, offset, and for a
  // delta its depth and base); the blob deepest in a chain is the one read below.
  struct PackEntry {
    std::size_t size_in_pack = 0, offset = 0;
    std::size_t depth = 0;
    std::string type, base;
  };
  std::map<std::string, PackEntry> entries;
  {
    std::istringstream in(repo.git("verify-pack -v " + test::quote(pack)));
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string id;
      PackEntry e;
      std::size_t size = 0;
      if (!(f >> id >> e.type >> size >> e.size_in_pack >> e.offset) || id.size() != 40) continue;
      f >> e.depth >> e.base;
      entries[id] = e;
    }
  }
  std::string deepest_hex;
  for (const auto& [id, e] : entries)
    if (e.type == "blob" && (deepest_hex.empty() || e.depth > entries.at(deepest_hex).depth)) deepest_hex = id;
  REQUIRE(entries.at(deepest_hex).depth >= 30);
  const git_oid deepest = oid(deepest_hex);
  const std::string original = [&] {
    std::ifstream in(pack, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  const Libgit2Odb lg(repo.dir() / ".git/objects");
  const std::string expected = lg.read(deepest);
  // Reads the deepest version with byte `at` of the pack changed: an error, or exactly the content.
  // False when it failed as damaged (or, a size byte changed, as too large to read here).
  auto read_flipped = [&](std::size_t at) {
    std::string damaged = original;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
    std::filesystem::permissions(pack, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    std::ofstream(pack, std::ios::binary | std::ios::trunc) << damaged;
    auto reader = PackReader::open(repo.dir() / ".git/objects");
    REQUIRE(reader.ok());
    auto got = reader->read_blob(deepest);
    if (!got.ok()) {
      if (got.error().code == Errc::too_large) return false;
      CHECK(got.error().code == Errc::corrupt);
      CHECK(got.error().message.rfind("a pack file is damaged (", 0) == 0);
      return false;
    }
    REQUIRE(got->has_value());
    CHECK(text_of(**got) == expected);
    return true;
  };

  // Each entry of its chain: a changed first byte (type and size), middle byte, or last byte (zlib's
  // checksum) of any of them fails the read.
  std::size_t chain = 0;
  for (std::string id = deepest_hex; !id.empty(); id = entries.at(id).base, ++chain) {
    REQUIRE(entries.count(id) == 1);
    const PackEntry& e = entries.at(id);
    for (const std::size_t at : {e.offset, e.offset + e.size_in_pack / 2, e.offset + e.size_in_pack - 1}) {
      CAPTURE(at);
      CHECK_FALSE(read_flipped(at));
    }
  }
  CHECK(chain == entries.at(deepest_hex).depth + 1);
  // Anywhere else in the pack: an error or the right content, never a crash or other content.
  for (std::size_t at = 12; at + 20 < original.size(); at += original.size() / 101) read_flipped(at);

  // Cut short: the pack, then the index.
  std::ofstream(pack, std::ios::binary | std::ios::trunc) << original.substr(0, original.size() / 3);
  {
    auto reader = PackReader::open(repo.dir() / ".git/objects");
    REQUIRE(reader.ok());
    auto got = reader->read_blob(deepest);  // an error, unless its whole chain is in the part left
    if (!got.ok()) CHECK(got.error().code == Errc::corrupt);
    else if (got->has_value()) CHECK(text_of(**got) == expected);
  }
  std::filesystem::permissions(idx, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::filesystem::resize_file(idx, 1500);
  auto reader = PackReader::open(repo.dir() / ".git/objects");
  REQUIRE_FALSE(reader.ok());
  CHECK(reader.error().code == Errc::corrupt);
}
