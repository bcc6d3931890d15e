// A pack reader that keeps one delta base at a time: see pack_reader.hpp. Formats: git's
// Documentation/gitformat-pack.txt (index v2, pack entries, OFS_DELTA/REF_DELTA, delta opcodes).
#include "pack_reader.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "cairn/base/fd.hpp"

namespace cairn::gitsrc::detail {

namespace {

constexpr std::size_t kFanoutEntries = 256;
constexpr std::uint64_t kIndexHeaderBytes = 8 + kFanoutEntries * 4;  // magic, version, fan-out
constexpr std::size_t kOidBytes = GIT_OID_RAWSZ;
constexpr std::size_t kTrailerBytes = 2 * kOidBytes;                  // pack id and index id
constexpr std::size_t kMaxChain = 4095;            // git's deepest (pack.depth's maximum)
constexpr std::uint64_t kMaxObjectBytes = 512ull << 20;  // as the line counts' diff limit; more: libgit2's
constexpr std::uint64_t kMaxDeflateRatio = 1032;    // zlib's most: what a declared size is checked against
constexpr std::size_t kInflateChunk = 16 * 1024;   // compressed bytes read per pread
constexpr std::size_t kMaxEntryHeader = 32;        // type and size varint, then an OFS_DELTA offset

enum EntryType : int { kCommit = 1, kTree = 2, kBlob = 3, kTag = 4, kOfsDelta = 6, kRefDelta = 7 };

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// Reads up to `n` bytes at `offset`; fewer only at the end of the file.
Result<std::size_t> pread_some(int fd, void* buf, std::size_t n, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, static_cast<unsigned char*>(buf) + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return make_error(Errc::io, std::string("cannot read a pack: ") + std::strerror(errno));
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}

Status pread_exact(int fd, void* buf, std::size_t n, std::uint64_t offset) {
  const std::size_t got = CAIRN_TRY(pread_some(fd, buf, n, offset));
  if (got != n) return make_error(Errc::io, "a pack file is damaged (cut short)");
  return ok_status();
}

Error damaged(const char* what) { return make_error(Errc::corrupt, std::string("a pack file is damaged (") + what + ")"); }

Result<std::uint64_t> file_size(int fd) {
  const off_t end = ::lseek(fd, 0, SEEK_END);
  if (end < 0) return make_error(Errc::io, std::string("cannot read a pack: ") + std::strerror(errno));
  return static_cast<std::uint64_t>(end);
}

// One pack entry's header: its type, its declared size (the object's, or the delta's), where its
// compressed data starts, and for a delta where its base is.
struct Entry {
  int type = 0;
  std::uint64_t size = 0;
  std::uint64_t data = 0;
  std::uint64_t base_offset = 0;  // OFS_DELTA
  git_oid base_id{};              // REF_DELTA
};

// Reads a little-endian base-128 size as delta data starts with it.
bool delta_varint(const unsigned char*& p, const unsigned char* end, std::uint64_t& out) {
  out = 0;
  for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
    const unsigned char c = *p++;
    out |= std::uint64_t{c & 0x7Fu} << shift;
    if (!(c & 0x80)) return true;
  }
  return false;
}

// Builds the target of `delta` from `base`; the delta's own sizes must agree with both.
Result<ObjectBytes> apply_delta(const ObjectBytes& base, const ObjectBytes& delta) {
  const unsigned char* p = delta.data.get();
  const unsigned char* const end = p + delta.size;
  std::uint64_t base_size = 0, target_size = 0;
  if (!delta_varint(p, end, base_size) || !delta_varint(p, end, target_size)) return damaged("delta header");
  if (base_size != base.size) return damaged("delta base size");
  if (target_size > kMaxObjectBytes) return make_error(Errc::too_large, "an object in a pack is too large to read here");
  ObjectBytes out;
  out.size = static_cast<std::size_t>(target_size);
  out.data = std::make_unique_for_overwrite<unsigned char[]>(std::max<std::size_t>(out.size, 1));
  std::size_t at = 0;
  while (p < end) {
    const unsigned char op = *p++;
    if (op & 0x80) {  // copy from the base: offset and size bytes as the low bits say
      std::uint64_t offset = 0, len = 0;
      for (unsigned i = 0; i < 4; ++i)
        if (op & (1u << i)) {
          if (p == end) return damaged("delta copy");
          offset |= std::uint64_t{*p++} << (8 * i);
        }
      for (unsigned i = 0; i < 3; ++i)
        if (op & (0x10u << i)) {
          if (p == end) return damaged("delta copy");
          len |= std::uint64_t{*p++} << (8 * i);
        }
      if (len == 0) len = 0x10000;
      if (offset > base.size || len > base.size - offset || len > out.size - at) return damaged("delta copy");
      std::memcpy(out.data.get() + at, base.data.get() + offset, len);
      at += len;
    } else if (op != 0) {  // insert the next `op` bytes of the delta
      if (op > static_cast<std::size_t>(end - p) || op > out.size - at) return damaged("delta insert");
      std::memcpy(out.data.get() + at, p, op);
      p += op;
      at += op;
    } else {
      return damaged("delta opcode 0");
    }
  }
  if (at != out.size) return damaged("delta target size");
  return out;
}

}  // namespace

struct PackReader::Pack {
  std::filesystem::path pack_path;
  UniqueFd index, pack;  // the pack is opened on first use
  std::array<std::uint32_t, kFanoutEntries> fanout{};
  std::uint64_t pack_size = 0;
  bool pack_failed = false;

  std::uint32_t count() const { return fanout[kFanoutEntries - 1]; }

  // The index's pack, or null for an index this reader does not know (version 1): libgit2 reads it.
  static Result<std::unique_ptr<Pack>> open_index(const std::filesystem::path& idx) {
    auto p = std::make_unique<Pack>();
    p->pack_path = std::filesystem::path(idx).replace_extension(".pack");
    p->index = UniqueFd(::open(idx.c_str(), O_RDONLY | O_CLOEXEC));
    if (p->index.get() < 0) return make_error(Errc::io, "cannot open a pack index: " + std::string(std::strerror(errno)));
    unsigned char head[kIndexHeaderBytes];
    CAIRN_TRY(pread_exact(p->index.get(), head, sizeof head, 0));
    static constexpr unsigned char kMagic[4] = {0xFF, 't', 'O', 'c'};
    if (std::memcmp(head, kMagic, 4) != 0 || be32(head + 4) != 2) return std::unique_ptr<Pack>{};
    for (std::size_t i = 0; i < kFanoutEntries; ++i) {
      p->fanout[i] = be32(head + 8 + 4 * i);
      if (i > 0 && p->fanout[i] < p->fanout[i - 1]) return damaged("index fan-out");
    }
    const std::uint64_t need = kIndexHeaderBytes + std::uint64_t{p->count()} * (kOidBytes + 8) + kTrailerBytes;
    if (CAIRN_TRY(file_size(p->index.get())) < need) return damaged("index cut short");
    return p;
  }

  // The pack entry offset of `id`, if this pack has it.
  Result<std::optional<std::uint64_t>> find(const git_oid& id) const {
    const unsigned first = id.id[0];
    std::uint32_t lo = first == 0 ? 0 : fanout[first - 1], hi = fanout[first];
    const std::uint64_t names = kIndexHeaderBytes;
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      unsigned char name[kOidBytes];
      CAIRN_TRY(pread_exact(index.get(), name, kOidBytes, names + std::uint64_t{mid} * kOidBytes));
      const int c = std::memcmp(id.id, name, kOidBytes);
      if (c == 0) return std::optional<std::uint64_t>(CAIRN_TRY(offset_of(mid)));
      if (c < 0) hi = mid;
      else lo = mid + 1;
    }
    return std::optional<std::uint64_t>{};
  }

  Result<std::uint64_t> offset_of(std::uint32_t n) const {
    const std::uint64_t small = kIndexHeaderBytes + std::uint64_t{count()} * (kOidBytes + 4);
    unsigned char b[8];
    CAIRN_TRY(pread_exact(index.get(), b, 4, small + std::uint64_t{n} * 4));
    const std::uint32_t v = be32(b);
    if (!(v & 0x80000000u)) return std::uint64_t{v};
    const std::uint64_t large = small + std::uint64_t{count()} * 4 + std::uint64_t{v & 0x7FFFFFFFu} * 8;
    CAIRN_TRY(pread_exact(index.get(), b, 8, large));
    return (std::uint64_t{be32(b)} << 32) | be32(b + 4);
  }

  // Opens the pack (once) and checks its header; false when it cannot be used.
  Result<bool> ready() {
    if (pack.get() >= 0) return true;
    if (pack_failed) return false;
    pack_failed = true;
    UniqueFd fd(::open(pack_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return false;  // an index without its pack: libgit2 decides
    unsigned char head[12];
    CAIRN_TRY(pread_exact(fd.get(), head, sizeof head, 0));
    const std::uint32_t version = be32(head + 4);
    if (std::memcmp(head, "PACK", 4) != 0 || (version != 2 && version != 3)) return false;
    pack_size = CAIRN_TRY(file_size(fd.get()));
    if (pack_size < sizeof head + kOidBytes) return damaged("pack cut short");
    pack = std::move(fd);
    pack_failed = false;
    return true;
  }

  Result<Entry> entry(std::uint64_t offset) const {
    if (offset < 12 || offset >= pack_size - kOidBytes) return damaged("entry offset");
    unsigned char h[kMaxEntryHeader];
    const std::size_t got = CAIRN_TRY(pread_some(pack.get(), h, sizeof h, offset));
    std::size_t i = 0;
    auto next = [&]() -> int { return i < got ? h[i++] : -1; };
    int c = next();
    Entry e;
    e.type = (c >> 4) & 7;
    e.size = static_cast<std::uint64_t>(c & 15);
    for (unsigned shift = 4; c & 0x80; shift += 7) {
      if ((c = next()) < 0 || shift > 57) return damaged("entry size");
      e.size |= std::uint64_t(c & 0x7F) << shift;
    }
    if (e.type == kOfsDelta) {
      if ((c = next()) < 0) return damaged("delta offset");
      std::uint64_t back = static_cast<std::uint64_t>(c & 0x7F);
      while (c & 0x80) {
        if ((c = next()) < 0 || back >= (std::uint64_t{1} << 56)) return damaged("delta offset");
        back = ((back + 1) << 7) | static_cast<std::uint64_t>(c & 0x7F);
      }
      if (back == 0 || back > offset) return damaged("delta offset");
      e.base_offset = offset - back;
    } else if (e.type == kRefDelta) {
      if (got < i + kOidBytes) return damaged("delta base id");
      std::memcpy(e.base_id.id, h + i, kOidBytes);
      i += kOidBytes;
    } else if (e.type < kCommit || e.type > kTag) {
      return damaged("entry type");
    }
    e.data = offset + i;
    return e;
  }

  // Inflates an entry's data: all of it (`limit` = its declared size, which it must match) or only
  // its first `limit` bytes.
  Result<ObjectBytes> inflate_entry(const Entry& e, std::size_t limit, bool whole) const {
    if (whole) {
      // Declared larger than its compressed bytes could inflate to: nothing is allocated for it.
      if (e.size > (pack_size - kOidBytes - std::min(e.data, pack_size - kOidBytes) + 1) * kMaxDeflateRatio)
        return damaged("entry size");
      if (e.size > kMaxObjectBytes) return make_error(Errc::too_large, "an object in a pack is too large to read here");
    }
    ObjectBytes out;
    out.size = limit;
    out.data = std::make_unique_for_overwrite<unsigned char[]>(std::max<std::size_t>(limit, 1));
    z_stream z{};
    if (inflateInit(&z) != Z_OK) return make_error(Errc::io, "cannot start zlib");
    struct End {
      z_stream* z;
      ~End() { inflateEnd(z); }
    } end{&z};
    unsigned char in[kInflateChunk];
    std::uint64_t at = e.data;
    z.next_out = out.data.get();
    z.avail_out = static_cast<uInt>(limit);
    int rc = Z_OK;
    std::array<unsigned char, 1> spill{};
    while (rc != Z_STREAM_END) {
      if (z.avail_in == 0) {
        const std::uint64_t left = pack_size - kOidBytes - std::min(at, pack_size - kOidBytes);
        const std::size_t n = CAIRN_TRY(pread_some(pack.get(), in, std::min<std::uint64_t>(sizeof in, left), at));
        if (n == 0) return damaged("data cut short");
        at += n;
        z.next_in = in;
        z.avail_in = static_cast<uInt>(n);
      }
      if (z.avail_out == 0) {
        if (!whole) break;  // the first `limit` bytes are all that was asked for
        z.next_out = spill.data();  // room for zlib to say the stream ends here (or has more: damaged)
        z.avail_out = 1;
      }
      rc = ::inflate(&z, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) return damaged("deflate data");
      if (z.next_out == spill.data() + 1) return damaged("more data than its size");
    }
    if (whole && z.total_out != limit) return damaged("less data than its size");
    if (!whole) out.size = static_cast<std::size_t>(z.total_out);
    return out;
  }
};

PackReader::PackReader(std::vector<std::unique_ptr<Pack>> packs) : packs_(std::move(packs)) {}
PackReader::PackReader(PackReader&&) noexcept = default;
PackReader& PackReader::operator=(PackReader&&) noexcept = default;
PackReader::~PackReader() = default;

std::size_t PackReader::pack_count() const { return packs_.size(); }

Result<PackReader> PackReader::open(const std::filesystem::path& objects) {
  std::vector<std::unique_ptr<Pack>> packs;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(objects / "pack", ec)) {
    if (f.path().extension() != ".idx") continue;
    auto pack = CAIRN_TRY(Pack::open_index(f.path()));
    if (pack) packs.push_back(std::move(pack));
  }
  return PackReader(std::move(packs));
}

Result<std::optional<std::size_t>> PackReader::size(const git_oid& id) const {
  for (const auto& p : packs_) {
    const auto at = CAIRN_TRY(p->find(id));
    if (!at || !CAIRN_TRY(p->ready())) continue;
    const Entry e = CAIRN_TRY(p->entry(*at));
    if (e.type != kOfsDelta && e.type != kRefDelta) return std::optional<std::size_t>(static_cast<std::size_t>(e.size));
    const ObjectBytes head = CAIRN_TRY(p->inflate_entry(e, std::min<std::uint64_t>(e.size, 20), false));
    const unsigned char* q = head.data.get();
    const unsigned char* const end = q + head.size;
    std::uint64_t base_size = 0, target_size = 0;
    if (!delta_varint(q, end, base_size) || !delta_varint(q, end, target_size))
      return damaged("delta header");
    return std::optional<std::size_t>(static_cast<std::size_t>(target_size));
  }
  return std::optional<std::size_t>{};
}

Result<std::optional<ObjectBytes>> PackReader::stored_prefix(const git_oid& id, std::size_t n) const {
  for (const auto& p : packs_) {
    const auto at = CAIRN_TRY(p->find(id));
    if (!at || !CAIRN_TRY(p->ready())) continue;
    const Entry e = CAIRN_TRY(p->entry(*at));
    if (e.type == kOfsDelta || e.type == kRefDelta) return std::optional<ObjectBytes>{};
    return std::optional<ObjectBytes>(CAIRN_TRY(p->inflate_entry(e, std::min<std::uint64_t>(e.size, n), false)));
  }
  return std::optional<ObjectBytes>{};
}

Result<std::optional<ObjectBytes>> PackReader::read_blob(const git_oid& id) const {
  // Where `oid` is, in any pack; the pack `prefer` is asked first (a REF_DELTA's base is usually in its own pack).
  auto locate = [&](const git_oid& oid, Pack* prefer) -> Result<std::optional<std::pair<Pack*, std::uint64_t>>> {
    if (prefer) {
      if (auto at = CAIRN_TRY(prefer->find(oid))) return std::optional(std::pair{prefer, *at});
    }
    for (const auto& p : packs_) {
      if (p.get() == prefer) continue;
      auto at = CAIRN_TRY(p->find(oid));
      if (at && CAIRN_TRY(p->ready())) return std::optional(std::pair{p.get(), *at});
    }
    return std::optional<std::pair<Pack*, std::uint64_t>>{};
  };

  auto start = CAIRN_TRY(locate(id, nullptr));
  if (!start) return std::optional<ObjectBytes>{};
  // Down the chain, headers only: the deltas to apply, nearest the object first.
  std::vector<std::pair<Pack*, Entry>> deltas;
  Pack* pack = start->first;
  Entry e = CAIRN_TRY(pack->entry(start->second));
  while (e.type == kOfsDelta || e.type == kRefDelta) {
    if (deltas.size() >= kMaxChain) return damaged("delta chain too long");
    deltas.emplace_back(pack, e);
    if (e.type == kOfsDelta) {
      e = CAIRN_TRY(pack->entry(e.base_offset));
      continue;
    }
    auto base = CAIRN_TRY(locate(e.base_id, pack));
    if (!base) return std::optional<ObjectBytes>{};  // a base in no pack: libgit2 reads it
    pack = base->first;
    e = CAIRN_TRY(pack->entry(base->second));
  }
  if (e.type != kBlob) return damaged("a file's id names something else");
  // Up again, keeping one version at a time.
  ObjectBytes object = CAIRN_TRY(pack->inflate_entry(e, static_cast<std::size_t>(e.size), true));
  for (auto d = deltas.rbegin(); d != deltas.rend(); ++d) {
    const ObjectBytes delta = CAIRN_TRY(d->first->inflate_entry(d->second, static_cast<std::size_t>(d->second.size), true));
    object = CAIRN_TRY(apply_delta(object, delta));
  }
  git_oid check{};
  if (git_odb_hash(&check, object.data.get(), object.size, GIT_OBJECT_BLOB) != 0 || !git_oid_equal(&check, &id))
    return damaged("a file's content does not match its id");
  return std::optional<ObjectBytes>(std::move(object));
}

}  // namespace cairn::gitsrc::detail
