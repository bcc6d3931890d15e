// The "Open at login" switch (docs/installing.md, "The panel: desktop entry and XDG autostart"):
// the package installs /etc/xdg/autostart/cairn-panel.desktop; the employee turns it off for
// themselves with a file of the same name in $XDG_CONFIG_HOME/autostart holding Hidden=true, and
// on again by deleting that file (only when it is the one the panel wrote). Small synchronous
// file operations on configuration, never the record.
#pragma once

#include <filesystem>

#include "cairn/base/result.hpp"

namespace cairn::ui {

struct AutostartFiles {
  std::filesystem::path user;    // ${XDG_CONFIG_HOME:-~/.config}/autostart/cairn-panel.desktop
  std::filesystem::path system;  // /etc/xdg/autostart/cairn-panel.desktop
};
// From XDG_CONFIG_HOME (else HOME/.config) and the system entry's fixed place.
AutostartFiles autostart_files();

// On when the system entry exists and the user file is absent or has no Hidden=true.
bool autostart_on(const AutostartFiles& f);
// Off writes the user file (0644, the directory 0700 when created); on deletes it when it holds
// Hidden=true. Errc::io (one line) when the file cannot be written or removed.
Status set_autostart(const AutostartFiles& f, bool on);

// Exactly what the "off" file holds.
extern const char* const kAutostartHiddenEntry;

}  // namespace cairn::ui
