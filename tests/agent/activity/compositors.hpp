// Real Wayland compositors, headless, for the wayland-labelled tests, the end-to-end test and the
// benchmark: sway (wlroots; windows are foot terminals, focus moves with swaymsg, input comes from
// wtype), weston (the "not supported" case) and mutter (GNOME's idle monitor, on a private session
// bus). Each gets its own 0700 XDG_RUNTIME_DIR and is stopped when the object goes away.
//
// sway refuses to run as root: when the test runs as root, sway and its clients run as the system
// user cairn-wl-test (created if absent) and so may the process under test (Session::run_as()).
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cairn::activity::testing {

// The programs a compositor test needs, or the first one missing (then the test is skipped).
std::optional<std::string> missing_program(const std::vector<std::string>& programs);

struct User {
  uid_t uid = 0;
  gid_t gid = 0;
  bool switch_to = false;  // run children as this user (we are root)
};

class Compositor {
 public:
  virtual ~Compositor();
  const std::string& runtime_dir() const { return runtime_dir_; }
  const std::string& wayland_display() const { return display_; }
  const User& user() const { return user_; }
  // The environment a client of this session gets (XDG_RUNTIME_DIR, WAYLAND_DISPLAY, ...).
  std::map<std::string, std::string> env() const;
  // Starts argv in this session's environment (as the session's user); returns the pid.
  pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra = {},
              const std::string& log = "/dev/null") const;
  // Runs argv to completion; its exit status (stdout into *out when given).
  int run(const std::vector<std::string>& argv, std::string* out = nullptr,
          const std::map<std::string, std::string>& extra = {}) const;
  // Sends sig to a child spawn() started and waits for it: its exit code, or 128 + signal.
  int finish(pid_t pid, int sig);
  void stop();

 protected:
  Compositor() = default;
  bool start(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra,
             const std::string& socket, bool as_user);
  std::map<std::string, std::string> extra_env_;
  std::function<void(const std::string&)> pre_start_;  // runs once the runtime directory exists
  std::string runtime_dir_, display_;
  User user_;
  pid_t pid_ = -1;
  std::vector<pid_t> children_;
};

class Sway final : public Compositor {
 public:
  static std::unique_ptr<Sway> start();
  // Opens a foot window with this app id (and title) and waits until sway lists it.
  bool open_window(const std::string& app_id, const std::string& title);
  bool focus(const std::string& app_id);
  // Types text with wtype (virtual keyboard input: the compositor's idle timer restarts).
  bool type(const std::string& text);
  // The app id sway says is focused ("" when none).
  std::string focused();
};

class Weston final : public Compositor {
 public:
  static std::unique_ptr<Weston> start();
};

// mutter --headless on a private dbus-daemon; bus_address() is its session bus. With
// program "gnome-shell" the whole shell runs headless instead (the private bus also stands in for
// the system bus, which the shell insists on reaching), with `extensions` (directories) installed
// in its user extension folder.
class Mutter final : public Compositor {
 public:
  static std::unique_ptr<Mutter> start(const std::string& program = "mutter",
                                       const std::vector<std::string>& extensions = {});
  ~Mutter() override;
  const std::string& bus_address() const { return bus_; }

 private:
  std::string bus_;
  pid_t bus_pid_ = -1;
};

}  // namespace cairn::activity::testing
