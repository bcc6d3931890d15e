// Plausibility of the records in an inbox batch, against the limits in cairn/base/plausible.hpp.
// decode() and open_batch() refuse a batch holding any implausible record (the importer sets it
// aside in inbox/rejected/); write_batch() seals only the plausible records of what it is given,
// so a source's bad record (a clock jump, a damaged calendar) never poisons a whole batch.
//
// Thread safety: free functions over values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "cairn/records/records.hpp"
#include "cairn/base/plausible.hpp"

namespace cairn::inbox {

struct Batch;

// nullopt when plausible, else a short reason without any record value ("an activity span is
// longer than a day").
std::optional<std::string> implausible(const records::ActivitySpan& s, records::Instant now);
std::optional<std::string> implausible(const records::CommitRecord& c, records::Instant now);
std::optional<std::string> implausible(const records::MeetingRecord& m, records::Instant now);
// The first problem of a whole batch (its creation time and every record).
std::optional<std::string> implausible(const Batch& b, records::Instant now);

// Removes every implausible record from b; returns how many went.
std::size_t remove_implausible(Batch& b, records::Instant now);

}  // namespace cairn::inbox
