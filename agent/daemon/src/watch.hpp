// A small inotify wrapper: watches directories for files being replaced or written, and maps
// events back to "what changed" tags the daemon reacts to.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cairn::daemon {

class Watcher {
 public:
  Watcher();
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;
  int fd() const { return fd_; }
  // Watches dir for writes, renames into it and creations; events on `name` (or any file when
  // name is empty) report `tag`. Re-adding replaces the previous interest set.
  void clear();
  void add(const std::filesystem::path& dir, const std::string& name, const std::string& tag);
  // Reads pending events; returns the tags that fired (deduplicated).
  std::vector<std::string> drain();

 private:
  struct Interest {
    std::string name;
    std::string tag;
  };
  int fd_ = -1;
  std::map<int, std::vector<Interest>> interests_;
};

}  // namespace cairn::daemon
