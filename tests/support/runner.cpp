// See runner.hpp. fork + execv with standard input, output and error on files (no pipes to drain).
#include "runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace cairn::test {
namespace {

pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& in, const std::filesystem::path& out,
            const std::filesystem::path& err) {
  pid_t pid = fork();
  if (pid == 0) {
    int i = open(in.c_str(), O_RDONLY);
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(i, 0);
    dup2(o, 1);
    dup2(e, 2);
    setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
    setenv("TZ", "UTC", 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Runner::Runner(std::filesystem::path scratch) : dir_(std::move(scratch)) { std::filesystem::create_directories(dir_); }

Outcome Runner::run(const std::vector<std::string>& argv, const std::string& input) {
  const auto n = std::to_string(counter_++);
  auto in = dir_ / ("in" + n), out = dir_ / ("out" + n), err = dir_ / ("err" + n);
  std::ofstream(in, std::ios::binary) << input;
  pid_t pid = spawn(argv, in, out, err);
  int status = 0;
  waitpid(pid, &status, 0);
  Outcome o{WIFEXITED(status) ? WEXITSTATUS(status) : 128, slurp(out), slurp(err)};
  std::filesystem::remove(in);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return o;
}

Background::Background(const std::vector<std::string>& argv, const std::filesystem::path& log_prefix) {
  std::ofstream(log_prefix.string() + ".in");
  pid_ = spawn(argv, log_prefix.string() + ".in", log_prefix.string() + ".out", log_prefix.string() + ".err");
}

Background::~Background() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

int wait_port(const std::filesystem::path& file) {
  for (int i = 0; i < 200; ++i) {
    if (std::filesystem::exists(file)) {
      auto s = slurp(file);
      if (!s.empty()) return std::atoi(s.c_str());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return 0;
}

}  // namespace cairn::test
