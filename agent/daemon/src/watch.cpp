// inotify wrapper; see watch.hpp.
#include "watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace cairn::daemon {

Watcher::Watcher() : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {}

Watcher::~Watcher() {
  if (fd_ >= 0) ::close(fd_);
}

void Watcher::clear() {
  for (auto& [wd, _] : interests_) ::inotify_rm_watch(fd_, wd);
  interests_.clear();
}

void Watcher::add(const std::filesystem::path& dir, const std::string& name, const std::string& tag) {
  if (fd_ < 0) return;
  int wd = ::inotify_add_watch(fd_, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_DELETE);
  if (wd < 0) return;  // a directory that does not exist yet: the periodic rescan covers it
  interests_[wd].push_back({name, tag});
}

std::vector<std::string> Watcher::drain() {
  std::vector<std::string> tags;
  alignas(inotify_event) char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) break;
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      std::string name = ev->len ? std::string(ev->name) : std::string();
      if (auto it = interests_.find(ev->wd); it != interests_.end())
        for (const auto& i : it->second)
          if (i.name.empty() || i.name == name) tags.push_back(i.tag);
      p += sizeof(inotify_event) + ev->len;
    }
  }
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

}  // namespace cairn::daemon
