// Text clean-up for every activity backend (X11 properties, Wayland app ids and titles, D-Bus
// strings): the result is always bounded, valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cairn::activity {

// Valid UTF-8 of at most max_bytes: valid UTF-8 input is kept (cut at a character boundary);
// anything else is read as Latin-1 (what ICCCM STRING properties hold).
std::string clean_text(std::string_view bytes, std::size_t max_bytes);

}  // namespace cairn::activity
