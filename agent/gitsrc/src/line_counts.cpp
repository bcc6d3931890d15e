// A commit's line counts with libgit2's pack cache bounded to one blob's delta chain; see
// line_counts.hpp for why and for the rules (renames, binary files).
#include "line_counts.hpp"

#include <git2/sys/hashsig.h>
#include <malloc.h>

#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "git_handles.hpp"
#include "pack_reader.hpp"

namespace cairn::gitsrc::detail {

namespace {

// libgit2's defaults for what the previous code asked of it (diff_tform.c, diff_driver.c, diff.h).
constexpr int kRenameThreshold = 50;
constexpr int kDefaultRenameLimit = 1000;
constexpr std::size_t kBinaryProbeBytes = 8000;                   // GIT_FILTER_BYTES_TO_CHECK_NUL
constexpr std::uint64_t kMaxDiffBytes = 512ull * 1024 * 1024;     // git_diff_options.max_size default

using Odb = GitPtr<git_odb, git_odb_free>;
using Config = GitPtr<git_config, git_config_free>;
using HashSig = GitPtr<git_hashsig, git_hashsig_free>;

// One changed path of the tree diff, as plain values: nothing in it points into a handle.
struct Change {
  git_delta_t status = GIT_DELTA_UNMODIFIED;
  git_oid old_id{}, new_id{};
  std::uint32_t old_mode = 0, new_mode = 0;
  std::string old_path, new_path;
  bool force_binary = false;  // the `diff` attribute says so
  bool dropped = false;       // a rename source merged into its target
};

struct TreeChanges {
  std::vector<Change> changes;
  std::filesystem::path objects;  // the object database to read blobs from
  int rename_limit = kDefaultRenameLimit;
};

bool is_blob_mode(std::uint32_t mode) { return (mode & 0170000) == 0100000; }  // GIT_MODE_ISBLOB

bool looks_binary(const char* data, std::size_t size) {
  return std::memchr(data, 0, std::min(size, kBinaryProbeBytes)) != nullptr;
}

// Whether the diff driver for `path` treats it as binary: `diff` unset (-diff, the `binary` macro),
// or set to a driver name whose diff.<name>.binary is true.
bool attribute_says_binary(git_repository* repo, git_config* cfg, const std::string& path) {
  const char* value = nullptr;
  if (git_attr_get(&value, repo, GIT_ATTR_CHECK_FILE_THEN_INDEX, path.c_str(), "diff") != 0) {
    git_error_clear();
    return false;
  }
  if (GIT_ATTR_IS_FALSE(value)) return true;
  if (git_attr_value(value) != GIT_ATTR_VALUE_STRING || !cfg) return false;
  int binary = 0;
  const std::string key = std::string("diff.") + value + ".binary";
  if (git_config_get_bool(&binary, cfg, key.c_str()) != 0) {
    git_error_clear();
    return false;
  }
  return binary != 0;
}

// The tree diff (ids and paths only, no blob read) and what else needs the repository handle.
Result<TreeChanges> tree_changes(const std::filesystem::path& path, const git_oid& id) {
  Repository repo = CAIRN_TRY(open_repository(path));
  git_commit* c_raw = nullptr;
  if (git_commit_lookup(&c_raw, repo.get(), &id) != 0) return git_failure(path, "cannot read a commit");
  Commit commit(c_raw);
  git_tree* tree_raw = nullptr;
  if (git_commit_tree(&tree_raw, commit.get()) != 0) return git_failure(path, "cannot read a commit's tree");
  Tree tree(tree_raw);
  Tree parent_tree;
  if (git_commit_parentcount(commit.get()) > 0) {
    git_commit* parent_raw = nullptr;
    if (git_commit_parent(&parent_raw, commit.get(), 0) != 0) return git_failure(path, "cannot read a parent commit");
    Commit parent(parent_raw);
    git_tree* pt = nullptr;
    if (git_commit_tree(&pt, parent.get()) != 0) return git_failure(path, "cannot read a parent's tree");
    parent_tree.reset(pt);
  }
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.flags = GIT_DIFF_IGNORE_SUBMODULES;
  git_diff* diff_raw = nullptr;
  if (git_diff_tree_to_tree(&diff_raw, repo.get(), parent_tree.get(), tree.get(), &opts) != 0)
    return git_failure(path, "cannot diff a commit");
  Diff diff(diff_raw);

  git_config* cfg_raw = nullptr;
  if (git_repository_config_snapshot(&cfg_raw, repo.get()) != 0) {
    git_error_clear();
    cfg_raw = nullptr;
  }
  Config cfg(cfg_raw);

  TreeChanges out;
  const std::size_t n = git_diff_num_deltas(diff.get());
  out.changes.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    Change c;
    c.status = d->status;
    c.old_id = d->old_file.id;
    c.new_id = d->new_file.id;
    c.old_mode = d->old_file.mode;
    c.new_mode = d->new_file.mode;
    c.old_path = d->old_file.path ? d->old_file.path : "";
    c.new_path = d->new_file.path ? d->new_file.path : "";
    c.force_binary = attribute_says_binary(repo.get(), cfg.get(), c.old_path) ||
                     (c.new_path != c.old_path && attribute_says_binary(repo.get(), cfg.get(), c.new_path));
    out.changes.push_back(std::move(c));
  }
  int limit = 0;
  if (cfg && git_config_get_int32(&limit, cfg.get(), "diff.renameLimit") == 0 && limit > 0) out.rename_limit = limit;
  git_error_clear();
  out.objects = std::filesystem::path(git_repository_commondir(repo.get())) / "objects";
  return out;
}

// A blob's content: read by the pack reader, or else held in libgit2's git_odb_object after the
// object database handle that read it is closed (a git_odb_object owns its buffer, and blobs never
// enter the odb's object cache, so closing the handle frees the pack's delta-base cache without
// copying the content out).
class BlobContent {
 public:
  BlobContent() = default;
  explicit BlobContent(git_odb_object* obj) : obj_(obj) {}
  explicit BlobContent(ObjectBytes bytes) : bytes_(std::move(bytes)) {}
  const char* data() const {
    if (obj_) return static_cast<const char*>(git_odb_object_data(obj_.get()));
    return reinterpret_cast<const char*>(bytes_.data.get());
  }
  std::size_t size() const { return obj_ ? git_odb_object_size(obj_.get()) : bytes_.size; }

 private:
  GitPtr<git_odb_object, git_odb_object_free> obj_;
  ObjectBytes bytes_;
};

// Reads one blob at a time: from the packs with Cairn's pack reader, which keeps one delta base at
// a time (pack_reader.hpp); what it does not read (a loose object, an alternate store, or anything
// it finds wrong) through a libgit2 object database handle of its own, closed before the content
// is used, so libgit2's pack cache never holds more than this blob's delta chain. Objects past
// libgit2's diff size limit count as binary and are not read (nullopt).
class BlobReader {
 public:
  BlobReader(std::filesystem::path objects, const std::filesystem::path& repo_path)
      : objects_(std::move(objects)), repo_path_(repo_path) {
    auto packs = PackReader::open(objects_);
    if (packs.ok()) packs_.emplace(std::move(*packs));  // else libgit2 reads every blob
  }

  Result<std::size_t> size(const git_oid& id) const {
    if (packs_) {
      auto packed = packs_->size(id);
      if (packed.ok() && *packed) return **packed;
    }
    Odb odb = CAIRN_TRY(open());
    std::size_t len = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&len, &type, odb.get(), &id) != 0) return git_failure(repo_path_, "cannot read a file");
    return len;
  }

  // As read(), but a blob that a pack stores whole and whose start shows it binary is not read at
  // all: a large image costs its first 8,000 bytes, not its size (nullopt, as binary).
  Result<std::optional<BlobContent>> read_text(const git_oid& id) const {
    if (packs_) {
      auto prefix = packs_->stored_prefix(id, kBinaryProbeBytes);
      if (prefix.ok() && *prefix && looks_binary(reinterpret_cast<const char*>((*prefix)->data.get()), (*prefix)->size))
        return std::optional<BlobContent>{};
    }
    return read(id);
  }

  Result<std::optional<BlobContent>> read(const git_oid& id) const {
    if (packs_) {
      // Over the diff size limit it refuses before reading (too_large); libgit2's size check below
      // then says binary, as for any other blob.
      auto packed = packs_->read_blob(id);
      if (packed.ok() && *packed) return std::optional<BlobContent>(BlobContent(std::move(**packed)));
    }
    Odb odb = CAIRN_TRY(open());
    std::size_t len = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&len, &type, odb.get(), &id) != 0) return git_failure(repo_path_, "cannot read a file");
    if (len > kMaxDiffBytes) return std::optional<BlobContent>{};
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, odb.get(), &id) != 0) return git_failure(repo_path_, "cannot read a file");
    BlobContent content(raw);
    odb.reset();  // closes the pack and frees its cache before the caller works on the content
    ::malloc_trim(0);  // the chain's freed bases back to the system, not kept as heap for later
    return std::optional<BlobContent>(std::move(content));
  }

 private:
  Result<Odb> open() const {
    git_odb* raw = nullptr;
    if (git_odb_open(&raw, objects_.c_str()) != 0) return git_failure(repo_path_, "cannot open the object database");
    return Odb(raw);
  }

  std::filesystem::path objects_;
  const std::filesystem::path& repo_path_;
  std::optional<PackReader> packs_;
};

// A rename candidate's size and similarity signature, each read once and only when needed.
struct Candidate {
  std::optional<std::size_t> size;
  bool sig_done = false;
  HashSig sig;
};

// libgit2's similarity_measure for a source (old side) and a target (new side): -1 when the pair
// cannot be compared, else 0..100.
Result<int> similarity(const Change& src, Candidate& src_c, const Change& tgt, Candidate& tgt_c,
                       const BlobReader& reader) {
  if (!is_blob_mode(src.old_mode) || !is_blob_mode(tgt.new_mode)) return -1;
  if (git_oid_equal(&src.old_id, &tgt.new_id)) return 100;
  if (!src_c.size) src_c.size = CAIRN_TRY(reader.size(src.old_id));
  if (!tgt_c.size) tgt_c.size = CAIRN_TRY(reader.size(tgt.new_id));
  const std::size_t a = *src_c.size, b = *tgt_c.size;
  if (a > 127 && b > 127 && (a > (b << 3) || b > (a << 3))) return -1;
  for (auto [c, id] : {std::pair<Candidate*, const git_oid*>{&src_c, &src.old_id}, {&tgt_c, &tgt.new_id}}) {
    if (c->sig_done) continue;
    c->sig_done = true;
    const auto content = CAIRN_TRY(reader.read(*id));
    if (!content) continue;
    git_hashsig* raw = nullptr;
    // The options libgit2's rename pass gives its default metric (normalize_find_opts).
    const auto opts = static_cast<git_hashsig_option_t>(GIT_HASHSIG_SMART_WHITESPACE | GIT_HASHSIG_ALLOW_SMALL_FILES);
    if (git_hashsig_create(&raw, content->data(), content->size(), opts) == 0) c->sig.reset(raw);
    git_error_clear();
  }
  if (!src_c.sig || !tgt_c.sig) return -1;
  const int score = git_hashsig_compare(src_c.sig.get(), tgt_c.sig.get());
  return score < 0 ? -1 : std::min(score, 100);
}

// git_diff_find_similar with GIT_DIFF_FIND_RENAMES: deleted blobs are the sources, added blobs the
// targets; each target keeps its best source, a better pair bumps a worse one and the search
// repeats; pairs at or above the threshold become one renamed file.
Status find_renames(TreeChanges& tc, const BlobReader& reader) {
  auto& ch = tc.changes;
  std::vector<std::size_t> srcs, tgts;
  for (std::size_t i = 0; i < ch.size(); ++i) {
    if (ch[i].status == GIT_DELTA_DELETED && is_blob_mode(ch[i].old_mode)) srcs.push_back(i);
    if (ch[i].status == GIT_DELTA_ADDED && is_blob_mode(ch[i].new_mode)) tgts.push_back(i);
  }
  if (srcs.empty() || tgts.empty()) return ok_status();

  struct Match {
    std::size_t idx = 0;
    int similarity = 0;
  };
  std::vector<Match> tgt2src(ch.size()), src2tgt(ch.size());
  std::vector<Candidate> cand(ch.size());  // by delta index; a delta is either a source or a target
  const std::size_t limit = static_cast<std::size_t>(tc.rename_limit);
  for (;;) {
    std::size_t bumped = 0;
    for (const std::size_t t : tgts) {
      std::size_t tried = 0;
      for (const std::size_t s : srcs) {
        const int score = CAIRN_TRY(similarity(ch[s], cand[s], ch[t], cand[t], reader));
        if (score >= 0 && tgt2src[t].similarity < score && src2tgt[s].similarity < score) {
          if (src2tgt[s].similarity > 0) {
            tgt2src[src2tgt[s].idx].similarity = 0;
            ++bumped;
          }
          if (tgt2src[t].similarity > 0) {
            src2tgt[tgt2src[t].idx].similarity = 0;
            ++bumped;
          }
          tgt2src[t] = {s, score};
          src2tgt[s] = {t, score};
        }
        if (++tried >= srcs.size() || tried > limit) break;
      }
    }
    if (bumped == 0) break;
  }
  for (const std::size_t t : tgts) {
    if (tgt2src[t].similarity < kRenameThreshold) continue;
    Change& src = ch[tgt2src[t].idx];
    Change& tgt = ch[t];
    tgt.status = GIT_DELTA_RENAMED;
    tgt.old_id = src.old_id;
    tgt.old_mode = src.old_mode;
    tgt.old_path = src.old_path;
    tgt.force_binary = tgt.force_binary || src.force_binary;
    src.dropped = true;
  }
  return ok_status();
}

int count_line(const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line, void* payload) {
  auto* stats = static_cast<LineStats*>(payload);
  if (line->origin == GIT_DIFF_LINE_ADDITION) ++stats->added;
  else if (line->origin == GIT_DIFF_LINE_DELETION) ++stats->removed;
  return 0;
}

// One side of a changed file: a blob's content, or for a gitlink (a submodule's commit, added or
// removed; GIT_DIFF_IGNORE_SUBMODULES drops a moved one) the one line libgit2's diff shows for it.
struct Side {
  std::optional<BlobContent> blob;
  std::string gitlink;
  const char* data() const { return blob ? blob->data() : gitlink.data(); }
  std::size_t size() const { return blob ? blob->size() : gitlink.size(); }
};

// The side's content; nullopt when it counts as binary.
Result<std::optional<Side>> read_side(const git_oid& id, std::uint32_t mode, const BlobReader& reader) {
  Side side;
  if (mode == GIT_FILEMODE_COMMIT) {
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &id);
    side.gitlink = std::string("Subproject commit ") + hex + "\n";
    return std::optional<Side>(std::move(side));
  }
  side.blob = CAIRN_TRY(reader.read_text(id));
  if (!side.blob || looks_binary(side.blob->data(), side.blob->size())) return std::optional<Side>{};
  return std::optional<Side>(std::move(side));
}

// One changed file's added and removed lines, its blobs read one at a time.
Status count_change(const Change& c, const BlobReader& reader, const std::filesystem::path& path, LineStats& stats) {
  const bool has_old = c.status != GIT_DELTA_ADDED, has_new = c.status != GIT_DELTA_DELETED;
  if (c.force_binary) return ok_status();
  if (has_old && has_new && git_oid_equal(&c.old_id, &c.new_id)) return ok_status();  // mode change, exact rename
  std::optional<Side> old_side, new_side;
  if (has_old) {
    old_side = CAIRN_TRY(read_side(c.old_id, c.old_mode, reader));
    if (!old_side) return ok_status();
  }
  if (has_new) {
    new_side = CAIRN_TRY(read_side(c.new_id, c.new_mode, reader));
    if (!new_side) return ok_status();
  }
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;  // the counts do not depend on context; less work
  const int rc = git_diff_buffers(has_old ? old_side->data() : nullptr, has_old ? old_side->size() : 0,
                                  c.old_path.c_str(), has_new ? new_side->data() : nullptr,
                                  has_new ? new_side->size() : 0, c.new_path.c_str(), &opts, nullptr, nullptr,
                                  nullptr, count_line, &stats);
  if (rc != 0) return git_failure(path, "cannot count changed lines");
  return ok_status();
}

}  // namespace

Result<LineStats> commit_line_stats(const std::filesystem::path& path, const git_oid& id) {
  TreeChanges tc = CAIRN_TRY(tree_changes(path, id));  // its repository handle is closed again
  const BlobReader reader(tc.objects, path);
  CAIRN_TRY(find_renames(tc, reader));
  LineStats stats;
  for (const Change& c : tc.changes) {
    if (c.dropped) continue;
    ++stats.files;
    CAIRN_TRY(count_change(c, reader, path, stats));
  }
  return stats;
}

}  // namespace cairn::gitsrc::detail
