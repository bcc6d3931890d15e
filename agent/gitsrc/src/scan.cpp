// The git source's walk: open the repository, push the current ref tips, hide the tips of the
// previous scan, and turn each new non-merge commit by the employee into a CommitRecord.
// See scan.hpp for the rules (which refs, merges, shallow clones, first-scan bound).
#include "cairn/gitsrc/scan.hpp"

#include <libssh2.h>
#include <malloc.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <mutex>
#include <set>
#include <unordered_set>

#include "cairn/base/files.hpp"
#include "git_handles.hpp"
#include "history_walk.hpp"
#include "line_counts.hpp"

namespace cairn::gitsrc {

namespace detail {

void ensure_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    // git_libgit2_init() calls libssh2_init(0), which makes OpenSSL load its engines (1.4 MiB of
    // RSS in the child, measured) for an SSH transport a local scan never uses. libssh2 sets up
    // its crypto only on its first init, so a first init without crypto leaves OpenSSL untouched.
    libssh2_init(LIBSSH2_INIT_NO_CRYPTO);
    git_libgit2_init();
    // Bounds on what libgit2 keeps in memory (its defaults are sized for big tools: 1 GiB pack
    // windows, 8 GiB mapped, a 256 MiB object cache). A scan reads a few commits and trees, so
    // small windows and a small cache cost little time and keep a packed repository's pages out
    // of the child's peak; see docs/benchmarks.md for the figures.
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, static_cast<std::size_t>(kPackWindowBytes));
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, static_cast<std::size_t>(kPackMappedLimitBytes));
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_FILE_LIMIT, static_cast<std::size_t>(kPackFileLimit));
    // No object cache at all: a first scan parses each commit once in the walk and each tree once
    // in its diff, so a cache only holds memory (1.0 MiB at the peak of a 1,200-commit first scan
    // with a 256 KiB cache; the walk re-reads the few commits it meets twice).
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
    // git_libgit2_init() also parsed the system's CA bundle (~0.5 MiB of heap) for HTTPS, which a
    // local scan never speaks. Pointing the TLS trust at a folder that holds no files (a process's
    // task folder holds only folders) frees them, so the scan reuses that memory instead of adding
    // to the peak. Should the folder be unreadable, libgit2 keeps the bundle: only memory is lost.
    git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, nullptr, "/proc/self/task");
    git_error_clear();
    // A fixed mmap threshold for the heap: each buffer of 64 KiB or more (a file's content, the
    // list of commits) gets its own mapping, returned whole when freed. glibc's default threshold
    // rises to the largest buffer freed so far, after which such buffers come from the heap and
    // leave it as large as the largest of them for the rest of the scan.
    ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(kHeapMmapThresholdBytes));
  });
}

std::string last_git_error() {
  const git_error* e = git_error_last();
  std::string msg = (e && e->message) ? e->message : "unknown libgit2 error";
  for (char& c : msg)
    if (c == '\n' || c == '\r') c = ' ';
  while (!msg.empty() && msg.back() == ' ') msg.pop_back();
  return msg;
}

Error git_failure(const std::filesystem::path& path, const char* what) {
  return make_error(Errc::io, path.string() + ": " + what + ": " + last_git_error());
}

Result<Repository> open_repository(const std::filesystem::path& path) {
  git_repository* repo_raw = nullptr;
  const int open_rc = git_repository_open_ext(&repo_raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  if (open_rc == GIT_ENOTFOUND) return make_error(Errc::not_found, "not a git repository: " + path.string());
  if (open_rc != 0) return git_failure(path, "cannot open repository");
  return Repository(repo_raw);
}

}  // namespace detail

namespace {

using namespace detail;

constexpr const char* kStateHeader = "cairn-git-state 1";
constexpr std::int64_t kSkewSlackSeconds = 24 * 3600;
constexpr std::size_t kCommitsReserved = 4096;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_hex_oid(const std::string& s) {
  return s.size() == GIT_OID_HEXSZ &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string oid_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

std::int32_t clamp32(std::size_t v) {
  return static_cast<std::int32_t>(std::min<std::size_t>(v, std::numeric_limits<std::int32_t>::max()));
}

// The commits a shallow clone cut off below: their parents are absent, so no honest diff exists.
std::unordered_set<std::string> shallow_boundary(git_repository* repo) {
  std::unordered_set<std::string> out;
  if (git_repository_is_shallow(repo) != 1) return out;
  const std::filesystem::path file = std::filesystem::path(git_repository_path(repo)) / "shallow";
  auto text = fs::read_text_file(file, 16 * 1024 * 1024);
  if (!text) return out;
  std::size_t pos = 0;
  while (pos < text->size()) {
    auto nl = text->find('\n', pos);
    if (nl == std::string::npos) nl = text->size();
    std::string line = text->substr(pos, nl - pos);
    if (is_hex_oid(line)) out.insert(lower(line));
    pos = nl + 1;
  }
  return out;
}

// Every commit the walk starts from: HEAD (also when detached) and each branch, local or remote.
Result<std::vector<git_oid>> current_tips(git_repository* repo, const std::filesystem::path& path) {
  std::vector<git_oid> tips;
  auto add = [&](const git_oid& oid) {
    for (const auto& t : tips)
      if (git_oid_equal(&t, &oid)) return;
    tips.push_back(oid);
  };
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) add(head);  // unborn HEAD: no tip

  for (const char* glob : {"refs/heads/*", "refs/remotes/*"}) {
    git_reference_iterator* raw = nullptr;
    if (git_reference_iterator_glob_new(&raw, repo, glob) != 0) return git_failure(path, "cannot list refs");
    RefIterator it(raw);
    git_reference* ref_raw = nullptr;
    int rc;
    while ((rc = git_reference_next(&ref_raw, it.get())) == 0) {
      Reference ref(ref_raw);
      git_object* obj_raw = nullptr;
      // A ref that does not lead to a commit (dangling symref, a tree) is not ours to judge.
      if (git_reference_peel(&obj_raw, ref.get(), GIT_OBJECT_COMMIT) != 0) continue;
      Object obj(obj_raw);
      add(*git_object_id(obj.get()));
    }
    if (rc != GIT_ITEROVER) return git_failure(path, "cannot list refs");
  }
  return tips;
}

bool author_matches(const git_signature* sig, const std::set<std::string>& emails) {
  return sig && sig->email && emails.count(lower(sig->email)) > 0;
}

// Line counts for the commits the walk kept, each commit through handles of its own
// (line_counts.hpp: libgit2's pack cache then holds at most one blob's delta chain). The walk's
// handle is closed before this runs: a pack stays open, with its cache, while any handle holds it.
// `ids[i]` is the id of `commits[i]`.
Status count_lines(const std::filesystem::path& path, const std::vector<git_oid>& ids,
                   std::vector<records::CommitRecord>& commits) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    records::CommitRecord& rec = commits[i];
    const LineStats stats = CAIRN_TRY(commit_line_stats(path, ids[i]));
    rec.lines_added = clamp32(stats.added);
    rec.lines_removed = clamp32(stats.removed);
    rec.files_changed = clamp32(stats.files);
  }
  return ok_status();
}

std::string cut_message(const char* msg) {
  std::string m = msg ? msg : "";
  if (m.size() > kMaxMessageBytes) {
    std::size_t cut = kMaxMessageBytes;
    while (cut > 0 && (static_cast<unsigned char>(m[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    m.resize(cut);
  }
  return m;
}

}  // namespace

std::string encode_state(const std::vector<std::string>& tips) {
  std::string out = kStateHeader;
  out += '\n';
  for (const auto& t : tips) out += t + '\n';
  return out;
}

Result<std::vector<std::string>> decode_state(const std::string& blob) {
  std::vector<std::string> tips;
  if (blob.empty()) return tips;
  if (blob.size() > kMaxStateBytes) return make_error(Errc::too_large, "git scan state is larger than 1 MiB");
  std::size_t pos = 0;
  bool header = true;
  while (pos < blob.size()) {
    auto nl = blob.find('\n', pos);
    if (nl == std::string::npos) nl = blob.size();
    const std::string line = blob.substr(pos, nl - pos);
    pos = nl + 1;
    if (header) {
      if (line != kStateHeader) return make_error(Errc::corrupt, "git scan state has an unknown header");
      header = false;
      continue;
    }
    if (line.empty()) continue;
    if (!is_hex_oid(line)) return make_error(Errc::corrupt, "git scan state holds a malformed commit id");
    tips.push_back(lower(line));
  }
  if (header) return make_error(Errc::corrupt, "git scan state has an unknown header");
  return tips;
}

Result<ScanResult> scan_repository(const std::filesystem::path& path, const std::string& label,
                                   const ScanOptions& options, const std::string& state) {
  ensure_libgit2();
  const auto previous = CAIRN_TRY(decode_state(state));
  const AssistantList& assistants = options.assistants ? *options.assistants : default_assistants();
  std::set<std::string> emails;
  for (const auto& e : options.author_emails)
    if (!e.empty()) emails.insert(lower(e));

  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return make_error(Errc::not_found, "repository path does not exist: " + path.string());
  Repository repo = CAIRN_TRY(open_repository(path));

  ScanResult result;
  if (git_repository_is_empty(repo.get()) == 1) {
    result.state = encode_state({});
    return result;
  }
  const auto tips = CAIRN_TRY(current_tips(repo.get(), path));
  std::vector<std::string> tip_hex;
  for (const auto& t : tips) tip_hex.push_back(oid_hex(t));
  result.state = encode_state(tip_hex);
  if (tips.empty()) return result;

  // The commits kept go straight into the result (no second copy of the list), their ids beside
  // them; line counts are filled after the walk.
  std::vector<git_oid> kept_ids;
  // Room for a usual first scan up front: a buffer this size is a mapping of its own (see
  // ensure_libgit2), of which only the pages written count, and growing it later would hold the
  // old and the new copy at once.
  result.commits.reserve(kCommitsReserved);
  {
  HistoryWalk walk(repo.get(), shallow_boundary(repo.get()));
  for (const auto& t : tips) CAIRN_TRY(walk.push(t, /*hide=*/false));
  std::size_t hidden = 0;
  for (const auto& hex : previous) {
    git_oid oid;
    if (git_oid_fromstr(&oid, hex.c_str()) != 0) continue;
    git_commit* c = nullptr;
    // A tip that is gone (branch rewritten and garbage-collected) hides nothing.
    if (git_commit_lookup(&c, repo.get(), &oid) != 0) continue;
    git_commit_free(c);
    CAIRN_TRY(walk.push(oid, /*hide=*/true));
    ++hidden;
  }
  // Nothing known hidden (first scan, or every old tip rewritten away): bound the walk by `since`
  // rather than import the whole history.
  const bool first_scan = hidden == 0;

  git_mailmap* mm_raw = nullptr;
  if (git_mailmap_from_repository(&mm_raw, repo.get()) != 0) mm_raw = nullptr;  // no mailmap: fine
  Mailmap mailmap(mm_raw);
  const auto boundary = shallow_boundary(repo.get());

  for (;;) {
    const auto next = CAIRN_TRY(walk.next());
    if (!next) break;
    const git_oid oid = *next;
    if (++result.visited > options.max_commits)
      return make_error(Errc::too_large, path.string() + ": more than " + std::to_string(options.max_commits) +
                                             " new commits in one scan");
    git_commit* c_raw = nullptr;
    if (git_commit_lookup(&c_raw, repo.get(), &oid) != 0) return git_failure(path, "cannot read a commit");
    Commit commit(c_raw);
    if (first_scan && git_commit_time(commit.get()) < options.since - kSkewSlackSeconds) break;
    if (git_commit_parentcount(commit.get()) > 1) continue;  // merges: see scan.hpp

    const git_signature* raw_author = git_commit_author(commit.get());
    bool mine = author_matches(raw_author, emails);
    if (!mine && mailmap) {
      git_signature* mapped_raw = nullptr;
      if (git_commit_author_with_mailmap(&mapped_raw, commit.get(), mailmap.get()) == 0) {
        Signature mapped(mapped_raw);
        mine = author_matches(mapped.get(), emails);
      }
    }
    if (!mine) continue;
    if (first_scan && raw_author->when.time < options.since) continue;
    const std::string id = oid_hex(oid);
    if (boundary.count(id)) continue;  // shallow clone: parent missing

    records::CommitRecord rec;
    rec.repo = label;
    rec.id = id;
    rec.time = raw_author->when.time;
    rec.utc_offset = raw_author->when.offset * 60;
    const char* message = git_commit_message(commit.get());
    const AiVerdict ai = detect_ai(message ? message : "", assistants);
    rec.ai_assisted = ai.ai_assisted;
    rec.ai_tool = ai.tool;
    if (options.keep_messages) rec.message = cut_message(message);
    kept_ids.push_back(oid);
    result.commits.push_back(std::move(rec));
  }
  }
  repo.reset();
  ::malloc_trim(0);  // the walk's freed heap back to the system before the line counts grow it again
  CAIRN_TRY(count_lines(path, kept_ids, result.commits));
  return result;
}

}  // namespace cairn::gitsrc
