// Encoding and sealing of inbox batches; the layout is in docs/formats.md ("inbox batch").
//
// Plaintext layout (little-endian): id (16 bytes) | created i64 | n_spans u32 | spans |
// n_commits u32 | commits | n_meetings u32 | meetings. Strings are u16 length + bytes (an absent
// optional string is length 0xFFFF). Every length is checked against what remains.
#include "cairn/inbox/batch.hpp"

#include <algorithm>
#include <cstring>

#include "cairn/base/files.hpp"

namespace cairn::inbox {
namespace {

constexpr char kMagic[8] = {'C', 'A', 'I', 'R', 'N', 'B', 'A', 'T'};
constexpr std::uint16_t kNoString = 0xFFFF;
constexpr std::uint32_t kMaxRecords = 4u << 20;

class Writer {
 public:
  void u8(std::uint8_t v) { out.push_back(v); }
  void u16(std::uint16_t v) { for (int i = 0; i < 2; ++i) out.push_back((v >> (8 * i)) & 0xff); }
  void u32(std::uint32_t v) { for (int i = 0; i < 4; ++i) out.push_back((v >> (8 * i)) & 0xff); }
  void i64(std::int64_t s) {
    auto v = static_cast<std::uint64_t>(s);
    for (int i = 0; i < 8; ++i) out.push_back((v >> (8 * i)) & 0xff);
  }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void str(const std::string& s) {
    std::size_t n = std::min<std::size_t>(s.size(), kNoString - 1);  // over-long text is cut, never split
    u16(static_cast<std::uint16_t>(n));
    out.insert(out.end(), s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n));
  }
  void opt(const std::optional<std::string>& s) { s ? str(*s) : u16(kNoString); }
  crypto::Bytes out;
};

class Reader {
 public:
  explicit Reader(crypto::ByteView b) : b_(b) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == b_.size(); }
  std::uint64_t uint(int bytes) {
    if (!need(static_cast<std::size_t>(bytes))) return 0;
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | b_[pos_ + static_cast<std::size_t>(i)];
    pos_ += static_cast<std::size_t>(bytes);
    return v;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(uint(1)); }
  // Flags are exactly 0 or 1: anything else is damage, never silently "true".
  bool flag() {
    auto v = u8();
    if (v > 1) ok_ = false;
    return v == 1;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(uint(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(uint(4)); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(uint(8)); }
  std::string str() {
    auto n = u16();
    if (n == kNoString) { ok_ = false; return {}; }
    return raw(n);
  }
  std::optional<std::string> opt() {
    auto n = u16();
    if (n == kNoString) return std::nullopt;
    return raw(n);
  }
  std::string raw(std::size_t n) {
    if (!need(n)) return {};
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return s;
  }

 private:
  bool need(std::size_t n) {
    if (!ok_ || b_.size() - pos_ < n) { ok_ = false; return false; }
    return true;
  }
  crypto::ByteView b_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

Error damaged(const char* what) { return make_error(Errc::corrupt, std::string("inbox batch is damaged: ") + what); }

}  // namespace

std::string new_batch_id() {
  std::uint8_t raw[16];
  crypto::random_bytes(raw);
  return crypto::to_hex(raw);
}

crypto::Bytes encode(const Batch& b) {
  Writer w;
  auto id = crypto::from_hex(b.id);
  if (!id.ok() || id->size() != 16) std::abort();  // ids come from new_batch_id()
  w.out.insert(w.out.end(), id->begin(), id->end());
  w.i64(b.created);
  w.u32(static_cast<std::uint32_t>(b.spans.size()));
  for (const auto& s : b.spans) {
    w.i64(s.start); w.i64(s.end); w.i32(s.utc_offset); w.u8(s.idle ? 1 : 0);
    w.str(s.app_class); w.str(s.category); w.opt(s.title);
  }
  w.u32(static_cast<std::uint32_t>(b.commits.size()));
  for (const auto& c : b.commits) {
    w.str(c.repo); w.str(c.id); w.i64(c.time); w.i32(c.utc_offset); w.i32(c.lines_added); w.i32(c.lines_removed);
    w.i32(c.files_changed); w.u8(c.ai_assisted ? 1 : 0); w.str(c.ai_tool); w.opt(c.message);
  }
  w.u32(static_cast<std::uint32_t>(b.meetings.size()));
  for (const auto& m : b.meetings) {
    w.str(m.uid); w.i64(m.start); w.i64(m.end); w.i32(m.utc_offset); w.i32(m.attendees);
    w.u8(m.recurring ? 1 : 0); w.u8(m.one_on_one ? 1 : 0);
  }
  return std::move(w.out);
}

Result<Batch> decode(crypto::ByteView bytes) {
  if (bytes.size() > kBatchMaxBytes) return make_error(Errc::too_large, "inbox batch is larger than 64 MiB");
  Reader r(bytes);
  Batch b;
  b.id = crypto::to_hex(crypto::as_bytes(r.raw(16)));
  b.created = r.i64();
  std::uint32_t n = r.u32();
  if (!r.ok() || n > kMaxRecords) return damaged("bad header");
  b.spans.reserve(std::min<std::uint32_t>(n, 65536));
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    records::ActivitySpan s;
    s.start = r.i64(); s.end = r.i64(); s.utc_offset = r.i32(); s.idle = r.flag();
    s.app_class = r.str(); s.category = r.str(); s.title = r.opt();
    if (r.ok() && s.end < s.start) return damaged("a span ends before it starts");
    b.spans.push_back(std::move(s));
  }
  n = r.u32();
  if (!r.ok() || n > kMaxRecords) return damaged("bad commit count");
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    records::CommitRecord c;
    c.repo = r.str(); c.id = r.str(); c.time = r.i64(); c.utc_offset = r.i32(); c.lines_added = r.i32();
    c.lines_removed = r.i32(); c.files_changed = r.i32(); c.ai_assisted = r.flag(); c.ai_tool = r.str();
    c.message = r.opt();
    b.commits.push_back(std::move(c));
  }
  n = r.u32();
  if (!r.ok() || n > kMaxRecords) return damaged("bad meeting count");
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    records::MeetingRecord m;
    m.uid = r.str(); m.start = r.i64(); m.end = r.i64(); m.utc_offset = r.i32(); m.attendees = r.i32();
    m.recurring = r.flag(); m.one_on_one = r.flag();
    if (r.ok() && m.end < m.start) return damaged("a meeting ends before it starts");
    b.meetings.push_back(std::move(m));
  }
  if (!r.ok()) return damaged("truncated");
  if (!r.at_end()) return damaged("trailing bytes");
  return b;
}

crypto::Bytes seal_batch(const Batch& batch, const crypto::BoxPublicKey& inbox_key) {
  crypto::Bytes plain = encode(batch);
  crypto::Bytes sealed = crypto::seal(inbox_key, plain);
  crypto::wipe(plain);
  crypto::Bytes file(12);
  std::memcpy(file.data(), kMagic, 8);
  file[8] = kBatchVersion & 0xff;
  file[9] = kBatchVersion >> 8;
  file.insert(file.end(), sealed.begin(), sealed.end());
  return file;
}

Result<Batch> open_batch(crypto::ByteView file, const crypto::BoxKeyPair& inbox_keys) {
  if (file.size() > kBatchMaxBytes) return make_error(Errc::too_large, "inbox batch is larger than 64 MiB");
  if (file.size() < 12 || std::memcmp(file.data(), kMagic, 8) != 0) return damaged("not a Cairn batch");
  std::uint16_t version = static_cast<std::uint16_t>(file[8] | (file[9] << 8));
  if (version != kBatchVersion) return damaged("unknown version");
  auto plain = crypto::seal_open(inbox_keys, file.subspan(12));
  if (!plain.ok()) return damaged("it does not open with this vault's inbox key");
  auto batch = decode(*plain);
  crypto::wipe(*plain);
  return batch;
}

Result<std::filesystem::path> write_batch(const std::filesystem::path& dir, const Batch& batch,
                                          const crypto::BoxPublicKey& inbox_key) {
  CAIRN_TRY(fs::ensure_private_dir(dir));
  char name[64];
  std::snprintf(name, sizeof name, "%012lld-%s%s", static_cast<long long>(batch.created), batch.id.c_str(), kBatchSuffix);
  auto path = dir / name;
  CAIRN_TRY(fs::write_file_atomic(path, seal_batch(batch, inbox_key)));
  return path;
}

std::vector<std::filesystem::path> pending_batches(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const auto name = e.path().filename().string();
    if (e.is_regular_file(ec) && name[0] != '.' && name.size() > 6 && name.ends_with(kBatchSuffix)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace cairn::inbox
