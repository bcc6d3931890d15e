// cairn_fake_desktop: drives a bare X server (Xvfb) like a person at a desktop, for the end-to-end
// test and the agent_overhead benchmark. It creates one window per class, switches
// _NET_ACTIVE_WINDOW round-robin on a schedule, fakes a little pointer input while "active" (so
// the server's idle time stays low) and goes quiet for idle periods.
//
//   cairn_fake_desktop [--display :N] [--classes code,Slack,firefox] [--switch-every 5]
//                      [--duration 600] [--idle-every 0] [--idle-for 200] [--input-every 1]
//                      [--titles] [--verbose]
//
// --idle-every S: every S seconds of the run an idle period of --idle-for seconds begins (no
// switches, no input); 0 = never. Prints a one-line summary at the end (switches, idle periods).
// Exit status 0 on success, 2 on bad arguments, 1 when the X server is unreachable or goes away.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "fake_x.hpp"

using cairn::activity::testing::FakeDesktop;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  std::string display;
  std::vector<std::string> classes = {"code", "Slack", "firefox", "libreoffice-writer", "evince", "zoom"};
  double switch_every = 5, duration = 600, idle_every = 0, idle_for = 200, input_every = 1;
  bool titles = false, verbose = false;
};

int usage(const char* why) {
  std::fprintf(stderr, "cairn_fake_desktop: %s\n", why);
  std::fprintf(stderr,
               "usage: cairn_fake_desktop [--display :N] [--classes a,b,c] [--switch-every S] [--duration S]\n"
               "                          [--idle-every S] [--idle-for S] [--input-every S] [--titles] [--verbose]\n");
  return 2;
}

bool parse_seconds(const char* text, double& out) {
  char* end = nullptr;
  double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !std::isfinite(v) || v < 0 || v > 7 * 24 * 3600) return false;
  out = v;
  return true;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (flag == "--titles") {
      a.titles = true;
    } else if (flag == "--verbose") {
      a.verbose = true;
    } else if (flag == "--display" || flag == "--classes") {
      const char* v = value();
      if (!v) return usage(("missing value for " + flag).c_str());
      if (flag == "--display") a.display = v;
      else a.classes = split(v);
    } else if (flag == "--switch-every" || flag == "--duration" || flag == "--idle-every" || flag == "--idle-for" ||
               flag == "--input-every") {
      const char* v = value();
      double* target = flag == "--switch-every" ? &a.switch_every
                       : flag == "--duration"   ? &a.duration
                       : flag == "--idle-every" ? &a.idle_every
                       : flag == "--idle-for"   ? &a.idle_for
                                                : &a.input_every;
      if (!v || !parse_seconds(v, *target)) return usage(("bad value for " + flag).c_str());
    } else {
      return usage(("unknown argument " + flag).c_str());
    }
  }
  if (a.classes.empty()) return usage("--classes needs at least one class");
  if (a.switch_every <= 0 || a.input_every <= 0) return usage("--switch-every and --input-every must be > 0");

  auto desk = FakeDesktop::connect(a.display);
  if (!desk) {
    std::fprintf(stderr, "cairn_fake_desktop: cannot connect to the X display\n");
    return 1;
  }
  std::vector<xcb_window_t> windows;
  for (const auto& cls : a.classes) {
    std::string title = cls + " window";
    windows.push_back(desk->create_window(lower(cls), cls, a.titles ? std::optional<std::string_view>(title)
                                                                   : std::nullopt));
  }

  const auto t0 = Clock::now();
  auto since = [&](Clock::time_point t) { return std::chrono::duration<double>(t - t0).count(); };
  auto idle_at = [&](double t) {
    if (a.idle_every <= 0) return false;
    double phase = std::fmod(t, a.idle_every + a.idle_for);
    return phase >= a.idle_every;  // active for idle_every seconds, then idle for idle_for
  };

  std::size_t current = 0, switches = 0, idle_periods = 0;
  bool was_idle = false;
  desk->activate(windows[current]);
  desk->fake_input();
  double next_switch = a.switch_every, next_input = a.input_every;
  while (true) {
    double t = since(Clock::now());
    if (t >= a.duration) break;
    bool idle = idle_at(t);
    if (idle && !was_idle) {
      ++idle_periods;
      if (a.verbose) std::fprintf(stderr, "%8.1f idle\n", t);
    }
    if (!idle && was_idle && a.verbose) std::fprintf(stderr, "%8.1f active\n", t);
    if (!idle && was_idle) {
      desk->fake_input();  // coming back means touching the mouse
      next_input = t + a.input_every;
      next_switch = std::max(next_switch, t + a.switch_every);
    }
    was_idle = idle;
    if (!idle && t >= next_switch) {
      current = (current + 1) % windows.size();
      desk->activate(windows[current]);
      ++switches;
      if (a.verbose) std::fprintf(stderr, "%8.1f -> %s\n", t, a.classes[current].c_str());
      next_switch += a.switch_every;
    }
    if (!idle && t >= next_input) {
      desk->fake_input();
      next_input += a.input_every;
    }
    if (desk->broken()) {
      std::fprintf(stderr, "cairn_fake_desktop: lost the X server\n");
      return 1;
    }
    // Sleep until the next thing to do (input, switch, phase change or the end).
    double wake = std::min({next_switch, next_input, a.duration});
    if (a.idle_every > 0) {
      double cycle = a.idle_every + a.idle_for;
      double base = std::floor(t / cycle) * cycle;
      double edge = idle ? base + cycle : base + a.idle_every;
      wake = std::min(wake, edge);
      if (idle) wake = edge;
    }
    double nap = std::max(0.001, wake - since(Clock::now()));
    std::this_thread::sleep_for(std::chrono::duration<double>(nap));
  }
  std::printf("fake desktop: %zu windows, %zu switches, %zu idle periods, %.0f s\n", windows.size(), switches,
              idle_periods, a.duration);
  return 0;
}
