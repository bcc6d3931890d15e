// What a record collected on this machine can plausibly hold: the one set of limits that the
// inbox decoder (agent/inbox), the batch writer and the store's repair (`cairn verify --repair`)
// all apply. A record outside them is damage or forgery; one such record must never be able to
// stop an unlock, so decoders refuse it before anything is stored (docs/formats.md, "Plausibility").
//
// Pure constants and arithmetic; thread-safe.
#pragma once

#include <cstdint>

namespace cairn::plausible {

// Instants: from 2000-01-01T00:00:00Z to two days past the reader's clock (a daemon whose clock
// runs a little ahead, or a time-zone slip, is tolerated; a wall clock that jumped further is not).
inline constexpr std::int64_t kEarliest = 946684800;
inline constexpr std::int64_t kFutureSlack = 2 * 86400;
// An activity span is at most one day (the daemon cuts spans at every batch, once a minute).
inline constexpr std::int64_t kMaxSpanSeconds = 86400;
// A calendar meeting is at most one day: a longer timed event (a conference, travel) is not a
// meeting, and all-day events never are (agent/calendar).
inline constexpr std::int64_t kMaxMeetingSeconds = 86400;
// Real UTC offsets lie within -12 h .. +14 h; ISO 8601 and RFC 5545 allow up to ±18 h.
inline constexpr std::int32_t kMaxUtcOffset = 18 * 3600;
// Counts in one commit and one meeting.
inline constexpr std::int32_t kMaxCommitLines = 100'000'000;
inline constexpr std::int32_t kMaxCommitFiles = 10'000'000;
inline constexpr std::int32_t kMaxAttendees = 100'000;

inline constexpr std::int64_t latest(std::int64_t now) { return now + kFutureSlack; }
inline constexpr bool instant_ok(std::int64_t t, std::int64_t now) { return t >= kEarliest && t <= latest(now); }
inline constexpr bool offset_ok(std::int64_t offset) { return offset >= -kMaxUtcOffset && offset <= kMaxUtcOffset; }
// [start, end] with both instants plausible, end >= start and end - start <= max_seconds.
inline constexpr bool interval_ok(std::int64_t start, std::int64_t end, std::int64_t max_seconds, std::int64_t now) {
  return instant_ok(start, now) && instant_ok(end, now) && end >= start && end - start <= max_seconds;
}

}  // namespace cairn::plausible
