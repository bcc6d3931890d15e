// Running real Cairn programs from tests: spawn with extra environment and standard input,
// capture output, signal, wait. Used by the end-to-end and crash tests.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace cairn::test {

struct Output {
  int status = -1;  // exit code, or 128 + signal
  std::string out, err;
};

// Runs argv to completion, feeding `input` on stdin. env entries are added to the environment.
Output run(const std::vector<std::string>& argv, const std::string& input = {},
           const std::map<std::string, std::string>& env = {});

class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
        const std::string& stderr_file = "/dev/null");
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  pid_t pid() const { return pid_; }
  void signal(int sig);
  int wait();  // exit code, or 128 + signal
  bool running();

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

void sleep_ms(int ms);
std::string bin(const std::string& relative);  // CAIRN_BINARY_DIR/<relative>

}  // namespace cairn::test
