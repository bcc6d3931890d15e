// Headless compositors for tests (contract in compositors.hpp).
#include "compositors.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <thread>

namespace cairn::activity::testing {
namespace {

constexpr const char* kUser = "cairn-wl-test";

User test_user() {
  User u;
  if (::geteuid() != 0) {
    u.uid = ::geteuid();
    u.gid = ::getegid();
    return u;
  }
  if (::getpwnam(kUser) == nullptr)
    (void)!std::system((std::string("useradd --system --no-create-home --shell /usr/sbin/nologin ") + kUser).c_str());
  if (const passwd* pw = ::getpwnam(kUser)) {
    u.uid = pw->pw_uid;
    u.gid = pw->pw_gid;
    u.switch_to = true;
  }
  return u;
}

[[noreturn]] void exec_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                             const User& user, const std::string& log) {
  int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (out >= 0) {
    ::dup2(out, 1);
    ::dup2(out, 2);
  }
  ::setpgid(0, 0);
  if (user.switch_to) {
    ::setgroups(0, nullptr);
    if (::setresgid(user.gid, user.gid, user.gid) != 0 || ::setresuid(user.uid, user.uid, user.uid) != 0) ::_exit(126);
  }
  std::vector<std::string> envs;
  for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
  std::vector<char*> e, a;
  for (auto& s : envs) e.push_back(s.data());
  e.push_back(nullptr);
  std::vector<std::string> args = argv;
  for (auto& s : args) a.push_back(s.data());
  a.push_back(nullptr);
  ::execvpe(a[0], a.data(), e.data());
  ::_exit(127);
}

}  // namespace

std::optional<std::string> find_on_path(const std::string& p) {
  if (p.find('/') != std::string::npos) return ::access(p.c_str(), X_OK) == 0 ? std::optional(p) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::string all = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= all.size()) {
    auto end = all.find(':', start);
    if (end == std::string::npos) end = all.size();
    auto candidate = all.substr(start, end - start) + "/" + p;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

bool wait_for(const std::function<bool()>& ok, int ms) {
  for (int i = 0; i < ms / 50; ++i) {
    if (ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ok();
}

std::optional<std::string> missing_program(const std::vector<std::string>& programs) {
  for (const auto& p : programs)
    if (!find_on_path(p)) return p;
  return std::nullopt;
}

Compositor::~Compositor() { stop(); }

std::map<std::string, std::string> Compositor::env() const {
  std::map<std::string, std::string> e = {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
                                          {"HOME", runtime_dir_},
                                          {"XDG_RUNTIME_DIR", runtime_dir_},
                                          {"WAYLAND_DISPLAY", display_},
                                          {"LANG", "C.UTF-8"}};
  // The sanitizer tree's settings (scripts/test.sh, CairnTest.cmake) reach the programs under test
  // too, though their environment is otherwise built from scratch.
  for (const char* k : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
    if (const char* v = std::getenv(k)) e[k] = v;
  for (const auto& [k, v] : extra_env_) e[k] = v;
  return e;
}

pid_t Compositor::spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra,
                        const std::string& log) const {
  auto e = env();
  for (const auto& [k, v] : extra) e[k] = v;
  pid_t pid = ::fork();
  if (pid == 0) exec_child(argv, e, user_, log);
  const_cast<Compositor*>(this)->children_.push_back(pid);
  return pid;
}

int Compositor::run(const std::vector<std::string>& argv, std::string* out,
                    const std::map<std::string, std::string>& extra) const {
  std::string log = runtime_dir_ + "/run.out";
  ::unlink(log.c_str());
  auto e = env();
  for (const auto& [k, v] : extra) e[k] = v;
  pid_t pid = ::fork();
  if (pid == 0) exec_child(argv, e, user_, log);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (out) {
    std::ifstream f(log);
    out->assign(std::istreambuf_iterator<char>(f), {});
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int Compositor::finish(pid_t pid, int sig) {
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::erase(children_, pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool Compositor::start(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra,
                       const std::string& socket, bool as_user) {
  user_ = as_user ? test_user() : User{::geteuid(), ::getegid(), false};
  char tmpl[] = "/tmp/cairn-wl-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return false;
  runtime_dir_ = tmpl;
  ::chmod(runtime_dir_.c_str(), 0700);
  if (user_.switch_to && ::chown(runtime_dir_.c_str(), user_.uid, user_.gid) != 0) return false;
  display_ = socket;
  extra_env_ = extra;
  if (pre_start_) pre_start_(runtime_dir_);
  auto e = env();
  e.erase("WAYLAND_DISPLAY");  // the compositor creates it
  pid_ = ::fork();
  if (pid_ == 0) exec_child(argv, e, user_, runtime_dir_ + "/compositor.log");
  return wait_for([&] { return ::access((runtime_dir_ + "/" + socket).c_str(), F_OK) == 0; }, 15000);
}

void Compositor::stop() {
  for (pid_t c : children_) {
    ::kill(-c, SIGTERM);
    ::waitpid(c, nullptr, 0);
  }
  children_.clear();
  if (pid_ > 0) {
    ::kill(-pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  if (!runtime_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(runtime_dir_, ec);
    runtime_dir_.clear();
  }
}

std::unique_ptr<Sway> Sway::start() {
  std::unique_ptr<Sway> s(new Sway());
  // A config of our own: no bar, no wallpaper, nothing but the output.
  std::map<std::string, std::string> extra = {{"WLR_BACKENDS", "headless"}, {"WLR_RENDERER", "pixman"},
                                              {"WLR_LIBINPUT_NO_DEVICES", "1"}, {"XDG_CURRENT_DESKTOP", "sway"}};
  if (!s->Compositor::start({"sh", "-c", "printf 'output HEADLESS-1 resolution 1024x768\\n' > \"$XDG_RUNTIME_DIR/sway.conf\" "
                                         "&& exec sway -c \"$XDG_RUNTIME_DIR/sway.conf\""},
                            extra, "wayland-1", true))
    return nullptr;
  // swaymsg finds sway through SWAYSOCK.
  std::string sock;
  wait_for([&] {
    for (const auto& e : std::filesystem::directory_iterator(s->runtime_dir_))
      if (e.path().filename().string().rfind("sway-ipc.", 0) == 0) sock = e.path().string();
    return !sock.empty();
  }, 10000);
  if (sock.empty()) return nullptr;
  s->extra_env_["SWAYSOCK"] = sock;
  return s;
}

std::string Sway::focused() {
  std::string tree;
  if (run({"swaymsg", "-t", "get_tree", "-r"}, &tree) != 0) return "";
  // The focused node's "app_id" follows its "focused": true in sway's JSON dump order.
  auto at = tree.find("\"focused\": true");
  while (at != std::string::npos) {
    auto next_node = tree.find("\"id\":", at);
    auto app = tree.find("\"app_id\": \"", at);
    if (app != std::string::npos && (next_node == std::string::npos || app < next_node)) {
      app += 11;
      return tree.substr(app, tree.find('"', app) - app);
    }
    at = tree.find("\"focused\": true", at + 1);
  }
  return "";
}

bool Sway::open_window(const std::string& app_id, const std::string& title) {
  spawn({"foot", "--app-id=" + app_id, "--title=" + title, "sleep", "100000"});
  return wait_for([&] {
    std::string tree;
    return run({"swaymsg", "-t", "get_tree", "-r"}, &tree) == 0 && tree.find("\"app_id\": \"" + app_id + "\"") != std::string::npos;
  }, 15000);
}

bool Sway::focus(const std::string& app_id) {
  if (run({"swaymsg", "[app_id=\"" + app_id + "\"] focus"}) != 0) return false;
  return wait_for([&] { return focused() == app_id; }, 5000);
}

bool Sway::type(const std::string& text) { return run({"wtype", text}) == 0; }

std::unique_ptr<Weston> Weston::start() {
  std::unique_ptr<Weston> w(new Weston());
  if (!w->Compositor::start({"weston", "--backend=headless-backend.so", "--socket=wayland-1", "--idle-time=0"}, {},
                            "wayland-1", true))
    return nullptr;
  return w;
}

std::unique_ptr<PrivateBus> PrivateBus::start() {
  std::unique_ptr<PrivateBus> bus(new PrivateBus());
  char tmpl[] = "/tmp/cairn-wl-bus-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return nullptr;
  std::string addr_file = std::string(tmpl) + "/address";
  std::string cmd = "dbus-daemon --session --nofork --nopidfile --print-address=3 3>" + addr_file;
  bus->pid_ = ::fork();
  if (bus->pid_ == 0) {
    ::setpgid(0, 0);
    ::execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  wait_for([&] {
    std::ifstream f(addr_file);
    std::getline(f, bus->address_);
    return !bus->address_.empty();
  }, 10000);
  std::filesystem::remove_all(tmpl);
  if (bus->address_.empty()) return nullptr;
  return bus;
}

PrivateBus::~PrivateBus() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::unique_ptr<Mutter> Mutter::start(const std::string& program, const std::vector<std::string>& extensions) {
  std::unique_ptr<Mutter> m(new Mutter());
  // A private session bus first: mutter's idle monitor lives on it.
  m->bus_ = PrivateBus::start();
  if (!m->bus_) return nullptr;
  std::map<std::string, std::string> extra = {{"DBUS_SESSION_BUS_ADDRESS", m->bus_address()}, {"XDG_CURRENT_DESKTOP", "GNOME"}};
  if (program == "gnome-shell") extra["DBUS_SYSTEM_BUS_ADDRESS"] = m->bus_address();
  // The runtime directory is also HOME: user extensions go below it before the shell starts.
  m->pre_start_ = [&extensions](const std::string& home) {
    for (const auto& e : extensions) {
      auto to = std::filesystem::path(home) / ".local/share/gnome-shell/extensions" / std::filesystem::path(e).filename();
      std::filesystem::create_directories(to.parent_path());
      std::filesystem::copy(e, to, std::filesystem::copy_options::recursive);
    }
  };
  if (!m->Compositor::start({program, "--headless", "--wayland", "--no-x11", "--virtual-monitor", "1024x768",
                             "--wayland-display=wayland-1"},
                            extra, "wayland-1", false))
    return nullptr;
  // The Wayland socket comes before mutter's names on the bus: wait for the idle monitor too.
  if (!wait_for([&] { return m->run({"busctl", "--user", "status", "org.gnome.Mutter.IdleMonitor"}) == 0; }, 15000))
    return nullptr;
  return m;
}

// The compositor goes before its bus (the member is destroyed after this body).
Mutter::~Mutter() { stop(); }

}  // namespace cairn::activity::testing
