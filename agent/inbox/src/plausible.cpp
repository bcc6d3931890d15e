// Plausibility of batch records; the limits and their reasons are in cairn/base/plausible.hpp.
#include "cairn/inbox/plausible.hpp"

#include <algorithm>

#include "cairn/inbox/batch.hpp"

namespace cairn::inbox {
namespace {

using namespace cairn::plausible;

std::optional<std::string> interval(const char* what, records::Instant start, records::Instant end, std::int64_t max_seconds,
                                    std::int32_t offset, records::Instant now) {
  const std::string w = what;
  if (!instant_ok(start, now) || !instant_ok(end, now))
    return w + " lies outside 2000-01-01 .. two days from now";
  if (end < start) return w + " ends before it starts";
  if (end - start > max_seconds) return w + " is longer than a day";
  if (!offset_ok(offset)) return w + " has a UTC offset beyond 18 hours";
  return std::nullopt;
}

template <class T>
std::size_t erase_bad(std::vector<T>& v, records::Instant now) {
  auto before = v.size();
  v.erase(std::remove_if(v.begin(), v.end(), [&](const T& r) { return implausible(r, now).has_value(); }), v.end());
  return before - v.size();
}

}  // namespace

std::optional<std::string> implausible(const records::ActivitySpan& s, records::Instant now) {
  return interval("an activity span", s.start, s.end, kMaxSpanSeconds, s.utc_offset, now);
}

std::optional<std::string> implausible(const records::MeetingRecord& m, records::Instant now) {
  if (auto p = interval("a meeting", m.start, m.end, kMaxMeetingSeconds, m.utc_offset, now)) return p;
  if (m.attendees < 0 || m.attendees > kMaxAttendees) return std::string("a meeting's attendee count is out of range");
  return std::nullopt;
}

std::optional<std::string> implausible(const records::CommitRecord& c, records::Instant now) {
  if (!instant_ok(c.time, now)) return std::string("a commit's time lies outside 2000-01-01 .. two days from now");
  if (!offset_ok(c.utc_offset)) return std::string("a commit has a UTC offset beyond 18 hours");
  if (c.lines_added < 0 || c.lines_removed < 0 || c.lines_added > kMaxCommitLines || c.lines_removed > kMaxCommitLines)
    return std::string("a commit's line counts are out of range");
  if (c.files_changed < 0 || c.files_changed > kMaxCommitFiles) return std::string("a commit's file count is out of range");
  return std::nullopt;
}

std::optional<std::string> implausible(const Batch& b, records::Instant now) {
  if (!instant_ok(b.created, now)) return std::string("the batch's creation time lies outside 2000-01-01 .. two days from now");
  for (const auto& s : b.spans)
    if (auto p = implausible(s, now)) return p;
  for (const auto& c : b.commits)
    if (auto p = implausible(c, now)) return p;
  for (const auto& m : b.meetings)
    if (auto p = implausible(m, now)) return p;
  return std::nullopt;
}

std::size_t remove_implausible(Batch& b, records::Instant now) {
  return erase_bad(b.spans, now) + erase_bad(b.commits, now) + erase_bad(b.meetings, now);
}

}  // namespace cairn::inbox
