// fork + exec for the agent_overhead benchmark; see process.hpp.
#include "process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& stdin_text,
            const std::filesystem::path& log) {
  int in[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return -1;
  int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (out < 0) {
    ::close(in[0]);
    ::close(in[1]);
    return -1;
  }
  std::vector<char*> args, envp;
  for (const auto& s : argv) args.push_back(const_cast<char*>(s.c_str()));
  args.push_back(nullptr);
  for (const auto& s : env) envp.push_back(const_cast<char*>(s.c_str()));
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::setpgid(0, 0);  // its own group: a terminal's Ctrl-C reaches the benchmark, which stops it
    ::execvpe(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out);
  if (pid > 0 && !stdin_text.empty()) (void)!::write(in[1], stdin_text.data(), stdin_text.size());  // < pipe buffer
  ::close(in[1]);
  return pid;
}

int run_and_wait(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                 const std::string& stdin_text, const std::filesystem::path& log) {
  pid_t pid = spawn(argv, env, stdin_text, log);
  if (pid < 0) return -1;
  int st = 0;
  if (::waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace bench
