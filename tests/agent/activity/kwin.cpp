// KWin, headless, for tests (contract in compositors.hpp): started on a private session bus and
// driven through KWin's own scripting over D-Bus, the interface Cairn's KDE backend uses too.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compositors.hpp"

namespace cairn::activity::testing {
namespace {

// Plasma 5 calls windows clients (clientList, activeClient); Plasma 6 renamed them. Only the
// Plasma 5 names are exercised (Debian 12 has KWin 5.27).
constexpr const char* kWindows = "var ws = workspace.windowList ? workspace.windowList() : workspace.clientList();\n";
constexpr const char* kActive = "(workspace.windowList ? workspace.activeWindow : workspace.activeClient)";
constexpr const char* kPlugin = "cairn-test";  // the plugin name of this helper's scripts

}  // namespace

std::unique_ptr<Kwin> Kwin::start() {
  auto installed = find_on_path("kwin_wayland");
  if (!installed) return nullptr;
  std::unique_ptr<Kwin> k(new Kwin());
  k->bus_ = PrivateBus::start();
  if (!k->bus_) return nullptr;
  // exec grants the binary's cap_sys_resource only where the bounding set holds it, else refuses.
  std::string program = *installed;
  if (::prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE) != 1) {
    program = "$XDG_RUNTIME_DIR/kwin_wayland";
    k->pre_start_ = [from = *installed](const std::string& dir) {
      std::error_code ec;  // a failed copy shows as KWin not starting
      std::filesystem::copy_file(from, dir + "/kwin_wayland", ec);
    };
  }
  std::map<std::string, std::string> extra = {
      {"DBUS_SESSION_BUS_ADDRESS", k->bus_address()}, {"XDG_CURRENT_DESKTOP", "KDE"}, {"KWIN_COMPOSE", "Q"}};
  if (!k->Compositor::start({"sh", "-c",
                             "exec \"" + program + "\" --virtual --width 1024 --height 768 "
                             "--socket wayland-1 --no-global-shortcuts --no-kactivities"},
                            extra, "wayland-1", false))
    return nullptr;
  // The Wayland socket comes before KWin's names on the bus: wait for its scripting too.
  if (!wait_for([&] { return k->run({"busctl", "--user", "introspect", "org.kde.KWin", "/Scripting"}) == 0; }, 15000))
    return nullptr;
  return k;
}

// The compositor goes before its bus (the member is destroyed after this body).
Kwin::~Kwin() { stop(); }

std::optional<std::string> Kwin::eval(const std::string& body) {
  const std::string marker = "cairn-test-" + std::to_string(++scripts_run_) + ": ";
  const std::string file = runtime_dir_ + "/" + kPlugin + std::to_string(scripts_run_) + ".js";
  {
    std::ofstream f(file);
    f << "print(\"" << marker << "\" + (function () {\n" << kWindows << body << "\n})());\n";
  }
  auto scripting = [&](std::vector<std::string> args, std::string* out = nullptr) {
    args.insert(args.begin(), {"busctl", "--user", "call", "org.kde.KWin"});
    return run(args, out);
  };
  std::string out;
  std::optional<std::string> value;
  if (scripting({"/Scripting", "org.kde.kwin.Scripting", "loadScript", "ss", file, kPlugin}, &out) == 0 &&
      out.rfind("i ", 0) == 0) {
    // As in Cairn's backend: Plasma 5.27+ has the script at /Scripting/Script<id>, older ones at /<id>.
    std::string id = out.substr(2, out.find('\n') - 2);
    if (scripting({"/Scripting/Script" + id, "org.kde.kwin.Script", "run"}) == 0 ||
        scripting({"/" + id, "org.kde.kwin.Script", "run"}) == 0)
      // KWin writes a script's print() to its standard error: "js: <marker><value>".
      wait_for([&] {
        std::ifstream log(runtime_dir_ + "/compositor.log");
        std::string line;
        while (std::getline(log, line))
          if (auto at = line.find(marker); at != std::string::npos) value = line.substr(at + marker.size());
        return value.has_value();
      }, 5000);
  }
  scripting({"/Scripting", "org.kde.kwin.Scripting", "unloadScript", "s", kPlugin});
  ::unlink(file.c_str());
  return value;
}

bool Kwin::open_window(const std::vector<std::string>& argv, const std::string& app_id) {
  spawn(argv);
  return wait_for([&] {
    auto ids = eval("var ids = [];\nfor (var i = 0; i < ws.length; ++i) ids.push(String(ws[i].resourceClass));\n"
                    "return ids.join(\" \");");
    std::istringstream words(ids.value_or(""));
    for (std::string w; words >> w;)
      if (w == app_id) return true;
    return false;
  }, 15000);
}

bool Kwin::focus(const std::string& app_id) {
  auto ran = eval("for (var i = 0; i < ws.length; ++i)\n"
                  "  if (String(ws[i].resourceClass) == \"" + app_id + "\")\n"
                  "    workspace.windowList ? (workspace.activeWindow = ws[i]) : (workspace.activeClient = ws[i]);\n"
                  "return 0;");
  return ran && wait_for([&] { return focused() == app_id; }, 5000);
}

std::string Kwin::focused() {
  return eval(std::string("var a = ") + kActive + ";\nreturn a ? String(a.resourceClass) : \"\";").value_or("");
}

bool Kwin::script_loaded(const std::string& plugin) {
  std::string out;
  return run({"busctl", "--user", "call", "org.kde.KWin", "/Scripting", "org.kde.kwin.Scripting", "isScriptLoaded", "s",
              plugin},
             &out) == 0 &&
         out.rfind("b true", 0) == 0;
}

bool Kwin::simulate_user_activity() {
  return run({"busctl", "--user", "call", "org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver",
              "SimulateUserActivity"}) == 0;
}

}  // namespace cairn::activity::testing
