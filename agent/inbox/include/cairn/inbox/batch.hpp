// Inbox batches: how the keyless daemon hands records to the store. A batch is encoded (compact
// binary, docs/formats.md "inbox batch"), sealed with crypto_box_seal to the inbox public key
// from the vault header, and written as one file: temp file, fsync, rename, fsync of the
// directory. The daemon can write batches but never read them back; only an unlocked process
// holding the inbox secret key can open them.
//
// Thread safety: free functions; a BatchWriter is used from one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cairn/records/records.hpp"
#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"

namespace cairn::inbox {

inline constexpr std::uint16_t kBatchVersion = 1;
inline constexpr std::size_t kBatchMaxBytes = 64u << 20;  // a minute of activity is a few KiB
inline constexpr const char* kBatchSuffix = ".batch";

struct Batch {
  std::string id;  // 32 hex characters, random: the exactly-once import key
  std::int64_t created = 0;
  std::vector<records::ActivitySpan> spans;
  std::vector<records::CommitRecord> commits;
  std::vector<records::MeetingRecord> meetings;
  bool empty() const { return spans.empty() && commits.empty() && meetings.empty(); }
};

std::string new_batch_id();
crypto::Bytes encode(const Batch& batch);
Result<Batch> decode(crypto::ByteView bytes);

// The sealed file: "CAIRNBAT" | version u16 LE | reserved u16 | crypto_box_seal(encode(batch)).
crypto::Bytes seal_batch(const Batch& batch, const crypto::BoxPublicKey& inbox_key);
Result<Batch> open_batch(crypto::ByteView file, const crypto::BoxKeyPair& inbox_keys);

// Writes a sealed batch into dir as "<created>-<id>.batch" (crash-safe, 0600). Names sort by
// creation time, so import order follows collection order.
Result<std::filesystem::path> write_batch(const std::filesystem::path& dir, const Batch& batch,
                                          const crypto::BoxPublicKey& inbox_key);

// Batch files waiting in dir, oldest first (temporary files are ignored).
std::vector<std::filesystem::path> pending_batches(const std::filesystem::path& dir);

}  // namespace cairn::inbox
