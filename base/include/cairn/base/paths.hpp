// Where Cairn keeps its files. The data directory is $XDG_DATA_HOME/cairn and the config directory
// $XDG_CONFIG_HOME/cairn, both overridden as a whole by --home DIR or CAIRN_HOME (then data and
// config live side by side under DIR). Pure path arithmetic: nothing is created here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace cairn {

struct Paths {
  std::filesystem::path data;    // vault, store, inbox, queue
  std::filesystem::path config;  // consent.conf, rules, settings (plain text, no secrets)

  std::filesystem::path vault() const { return data / "vault"; }
  std::filesystem::path store() const { return data / "store.db"; }
  std::filesystem::path inbox() const { return data / "inbox"; }
  std::filesystem::path consent() const { return config / "consent.conf"; }
  std::filesystem::path activity_rules() const { return config / "activity-rules.conf"; }
  std::filesystem::path outbox() const { return data / "outbox"; }  // approved reports awaiting upload
};

// home_override: the --home flag when given. Falls back to CAIRN_HOME, then the XDG variables,
// then $HOME/.local/share and $HOME/.config.
Paths resolve_paths(const std::optional<std::string>& home_override);

}  // namespace cairn
