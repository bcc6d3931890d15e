// Running the real binaries in separate processes for the end-to-end tests: Runner runs a command
// to completion with a given standard input (and CAIRN_INSECURE_FAST_KDF=1, TZ=UTC, as every
// end-to-end program runs); Background keeps a server running until destroyed (SIGTERM, then
// wait), its output in <log_prefix>.out and .err; wait_port reads the port a server wrote.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace cairn::test {

struct Outcome {
  int rc = -1;  // exit code, or 128 when killed by a signal
  std::string out, err;
};

// The whole content of a file ("" when it cannot be read).
std::string slurp(const std::filesystem::path& p);

class Runner {
 public:
  // `scratch` holds each run's input and output files while it runs.
  explicit Runner(std::filesystem::path scratch);
  Outcome run(const std::vector<std::string>& argv, const std::string& input = "");
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  int counter_ = 0;
};

class Background {
 public:
  Background(const std::vector<std::string>& argv, const std::filesystem::path& log_prefix);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

 private:
  pid_t pid_ = -1;
};

// Waits (up to 5 s) until `file` exists and holds a port number; 0 when it never does.
int wait_port(const std::filesystem::path& file);

}  // namespace cairn::test
