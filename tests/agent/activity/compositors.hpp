// Real Wayland compositors, headless, for the wayland-labelled tests, the end-to-end test and the
// benchmark: sway (wlroots; windows are foot terminals, focus moves with swaymsg, input comes from
// wtype), weston (the "not supported" case), mutter (GNOME's idle monitor, on a private session
// bus) and KWin (KDE Plasma 5's compositor, on a private session bus; windows are weston's demo
// clients, focus moves with KWin scripts loaded over D-Bus). Each gets its own 0700
// XDG_RUNTIME_DIR and is stopped when the object goes away.
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
// Where PATH finds the program (or the path itself when it has a slash and is executable).
std::optional<std::string> find_on_path(const std::string& program);
// Polls ok() every 50 ms for up to ms milliseconds; its last answer.
bool wait_for(const std::function<bool()>& ok, int ms);

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

// A dbus-daemon --session of the test's own, stopped when the object goes away.
class PrivateBus {
 public:
  static std::unique_ptr<PrivateBus> start();
  ~PrivateBus();
  const std::string& address() const { return address_; }

 private:
  PrivateBus() = default;
  std::string address_;
  pid_t pid_ = -1;
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
  const std::string& bus_address() const { return bus_->address(); }

 private:
  std::unique_ptr<PrivateBus> bus_;
};

// kwin_wayland --virtual (QPainter compositing, no Xwayland) on a private dbus-daemon, as the
// user running the test (KWin does not refuse root). The installed binary carries the file
// capability cap_sys_resource, which exec refuses (EPERM) wherever the bounding set lacks it, as
// in containers: there a copy without it, in the runtime directory, runs instead (headless it
// needs nothing the capability gives). Windows are weston's demo clients (fixed app ids
// org.freedesktop.weston.*): foot 1.13 dies of SIGFPE on KWin's virtual output (-1 mm wide).
class Kwin final : public Compositor {
 public:
  static std::unique_ptr<Kwin> start();
  ~Kwin() override;
  const std::string& bus_address() const { return bus_->address(); }
  // Runs a KWin script (loaded over D-Bus, as Cairn's agent loads its own) made of `body`, a
  // JavaScript function body whose return value is printed to KWin's log; returns that value.
  std::optional<std::string> eval(const std::string& body);
  // Starts a client and waits until KWin lists a window with this app id (resourceClass).
  bool open_window(const std::vector<std::string>& argv, const std::string& app_id);
  // Activates the window with this app id (workspace.activeClient = ...) and waits until it is.
  bool focus(const std::string& app_id);
  // The active window's app id ("" when none).
  std::string focused();
  // Whether a script of this plugin name is loaded (org.kde.kwin.Scripting isScriptLoaded).
  bool script_loaded(const std::string& plugin);
  // org.freedesktop.ScreenSaver SimulateUserActivity: KWin's idle timers restart, as on input.
  bool simulate_user_activity();

 private:
  std::unique_ptr<PrivateBus> bus_;
  int scripts_run_ = 0;
};

}  // namespace cairn::activity::testing
