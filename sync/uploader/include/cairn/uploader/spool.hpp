// The spool of approved reports: a 0700 directory (Paths::outbox()) that an unlocked Cairn fills
// and the keyless uploader empties. Everything in it is what the leader receives anyway, so a
// process without the store key may read it:
//
//   <spool>/<report id>.env        an approved report's envelope, exactly the bytes that leave:
//                                  the Prio3 shares sealed to each aggregator, plan id, period,
//                                  report id, device public key, ledger (length, head), signature
//   <spool>/destination.json       {"leader": "<url>"}: where envelopes go (from the enrollment)
//   <spool>/sent/<id>.env          sent: the leader answered that BOTH aggregators hold it
//   <spool>/refused/<id>.env       refused for good (e.g. 410 closed period), with <id>.why
//   <spool>/status.json            the uploader's last run (status.hpp)
//   <spool>/.lock                  flock: one upload at a time (cairn-upload or `cairn share sync`)
//
// No plaintext value, no key and no record is ever written here. Every file is written atomically
// (temp, fsync, rename) with mode 0600; a move between the folders is one rename.
//
// Thread safety: stateless functions over the file system; concurrent processes serialise their
// uploads with SpoolLock.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include <cstdint>
#include <span>

namespace cairn::uploader {

inline constexpr const char* kDestinationFile = "destination.json";
inline constexpr const char* kStatusFile = "status.json";
inline constexpr const char* kSentDir = "sent";
inline constexpr const char* kRefusedDir = "refused";
inline constexpr const char* kEnvelopeExt = ".env";

// A report id as a file name: 1 to 64 lowercase letters and digits (wire::report_id_hex gives 32
// hex digits; the uploader sends an envelope only if the id inside matches its file name).
bool valid_report_id(const std::string& id);

struct Destination {
  std::string leader_url;
};
// Written by the unlocked side at each approval (the URL the device pinned at enrollment).
Status write_destination(const std::filesystem::path& spool, const Destination& d);
// std::nullopt when nothing was ever approved on this device.
Result<std::optional<Destination>> read_destination(const std::filesystem::path& spool);

// Queues one envelope (atomic write, 0600, in a 0700 spool). Errc::usage for an id that is not a
// report id. Writing the same id again replaces the bytes.
Status spool_envelope(const std::filesystem::path& spool, const std::string& report_id,
                      std::span<const std::uint8_t> envelope);

// Ids of envelopes waiting in the spool (not sent, not refused), sorted by id.
Result<std::vector<std::string>> waiting_ids(const std::filesystem::path& spool);

struct Receipt {
  std::string report_id;
  std::string reason;  // refused only: one line, already made safe ("HTTP 410: period ... is closed")
};
// Reports the uploader moved to sent/ or refused/ that no unlocked Cairn has taken note of yet.
Result<std::vector<Receipt>> sent_receipts(const std::filesystem::path& spool);
Result<std::vector<Receipt>> refused_receipts(const std::filesystem::path& spool);
// Once the store records the outcome: the receipt's files are shredded.
Status forget_receipt(const std::filesystem::path& spool, const std::string& report_id);
// An envelope that must not leave after all (declined, or no longer approved): shredded.
Status drop_waiting(const std::filesystem::path& spool, const std::string& report_id);

// Holds an exclusive flock on <spool>/.lock while alive (blocking until the other holder is done).
class SpoolLock {
 public:
  static Result<SpoolLock> take(const std::filesystem::path& spool);
  SpoolLock(SpoolLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  SpoolLock& operator=(SpoolLock&&) = delete;
  SpoolLock(const SpoolLock&) = delete;
  ~SpoolLock();

 private:
  explicit SpoolLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace cairn::uploader
