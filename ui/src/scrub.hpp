// Best-effort wiping of decrypted record data on lock: the texts and numbers of snapshot parts
// the caller owns alone are overwritten before they are freed, so a locked panel does not leave
// the record readable in freed heap memory. Parts still shared elsewhere are left alone.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "builders.hpp"
#include "snapshot.hpp"

namespace cairn::ui {

void scrub(std::string& s);          // zeroes the characters, then empties and frees the buffer
void scrub(Snapshot& s);             // every part held only by this snapshot
void scrub(Journal& j);
// The worker's caches of weeks and day strips: scrubs the entries only the map holds, then
// empties the map (entries held elsewhere are left to their other owner).
void scrub(std::map<std::int64_t, std::shared_ptr<const WeekData>>& weeks);
void scrub(std::map<std::int64_t, std::shared_ptr<const WeekTimeline>>& timelines);
void scrub_imgui_text_state();       // ImGui's copy of the text field being edited

}  // namespace cairn::ui
