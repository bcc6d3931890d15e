// The enrollment token is a secret: never an argument. While the real `cairn enroll` waits for
// confirmation, its /proc/<pid>/cmdline and environ hold no token, whether the token came from
// --token-file or from standard input; a token given as an argument is refused.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "cairn/wire/plan.hpp"
#include "fake_io.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {

std::string make_token() {
  REQUIRE(crypto::init().ok());
  wire::EnrollToken t;
  t.org = "Acme";
  t.team = "platform";
  t.org_key = crypto::sign_keypair().public_key;
  t.leader = {"http://127.0.0.1:1", crypto::box_keypair().public_key};
  t.helper = {"http://127.0.0.1:2", crypto::box_keypair().public_key};
  crypto::random_bytes(t.secret);
  return wire::encode_token(t);
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string cairn_binary() {
  const char* d = std::getenv("CAIRN_BIN_DIR");
  return (std::filesystem::path(d ? d : CAIRN_BINARY_DIR "/apps") / "cairn" / "cairn").string();
}

// The real `cairn`, stdin a pipe we hold, stdout to a file.
struct Enroll {
  Enroll(const std::vector<std::string>& args, const std::filesystem::path& out_file) {
    int in[2];
    REQUIRE(::pipe(in) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(in[0], 0);
      int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out, 1);
      ::close(in[0]);
      ::close(in[1]);
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    to_child = in[1];
  }
  ~Enroll() {
    if (to_child >= 0) ::close(to_child);
    if (pid > 0 && !reaped) { ::kill(pid, SIGKILL); ::waitpid(pid, nullptr, 0); }
  }
  void write(const std::string& s) const { REQUIRE(::write(to_child, s.data(), s.size()) == static_cast<ssize_t>(s.size())); }
  // Blocked reading standard input with nothing left in the pipe: it waits for the next line.
  bool waiting_for_input() const {
    int pending = -1;
    if (::ioctl(to_child, FIONREAD, &pending) != 0 || pending != 0) return false;
    auto sys = slurp("/proc/" + std::to_string(pid) + "/syscall");
#if defined(__x86_64__)
    return sys.rfind("0 0x0 ", 0) == 0;  // read(0, ...)
#else
    return !sys.empty() && sys != "running\n";
#endif
  }
  void wait_until_waiting() const {
    for (int i = 0; i < 1000 && !waiting_for_input(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(waiting_for_input());
  }
  int finish() {
    ::close(to_child);
    to_child = -1;
    int status = 0;
    ::waitpid(pid, &status, 0);
    reaped = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::string proc(const char* what) const { return slurp("/proc/" + std::to_string(pid) + "/" + what); }
  pid_t pid = -1;
  int to_child = -1;
  bool reaped = false;
};

void check_no_token_visible(const Enroll& e, const std::string& token) {
  auto cmdline = e.proc("cmdline");
  CHECK(cmdline.find("enroll") != std::string::npos);  // we are looking at the right process
  CHECK(cmdline.find(token) == std::string::npos);
  CHECK(cmdline.find("cairn-enroll-1.") == std::string::npos);
  CHECK(e.proc("environ").find("cairn-enroll-1.") == std::string::npos);
}

}  // namespace

TEST_CASE("while the real cairn enroll waits for confirmation, /proc/<pid>/cmdline shows no token") {
  auto dir = test::fresh_dir("cli-enroll/proc");
  const auto token = make_token();
  const auto home = (dir / "home").string();

  SUBCASE("token from --token-file") {
    auto file = dir / "token";
    { std::ofstream(file) << token << "\n"; }
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    Enroll e({cairn_binary(), "--home", home, "enroll", "--token-file", file.string()}, dir / "out-file");
    e.wait_until_waiting();
    check_no_token_visible(e, token);
    e.write("no\n");
    CHECK(e.finish() == cli::kOk);
    auto out = slurp((dir / "out-file").string());
    CHECK(out.find("Organization: Acme") != std::string::npos);
    CHECK(out.find("Not enrolled.") != std::string::npos);
  }
  SUBCASE("token from standard input") {
    Enroll e({cairn_binary(), "--home", home, "enroll"}, dir / "out-stdin");
    e.write(token + "\n");
    e.wait_until_waiting();
    check_no_token_visible(e, token);
    e.write("no\n");
    CHECK(e.finish() == cli::kOk);
    auto out = slurp((dir / "out-stdin").string());
    CHECK(out.find("Team:         platform") != std::string::npos);
    CHECK(out.find("Not enrolled.") != std::string::npos);
  }
}

TEST_CASE("a token given as an argument is refused without echoing it; --help says where secrets come from") {
  auto dir = test::fresh_dir("cli-enroll/argument");
  const auto token = make_token();
  test::FakeIo io({"no"});
  CHECK(test::run_cairn(io, {"--home", dir.string(), "enroll", token}) == cli::kUsage);
  CHECK(io.err_text().find("never taken from arguments") != std::string::npos);
  CHECK(io.err_text().find(token) == std::string::npos);
  CHECK(io.out_text().empty());

  test::FakeIo missing;
  CHECK(test::run_cairn(missing, {"--home", dir.string(), "enroll"}) == cli::kUsage);
  CHECK(missing.err_text().find("no enrollment token given") != std::string::npos);

  test::FakeIo help;
  CHECK(test::run_cairn(help, {"enroll", "--help"}) == cli::kOk);
  CHECK(help.out_text().find("--token-file") != std::string::npos);
  CHECK(help.out_text().find("never from arguments") != std::string::npos);
  test::FakeIo top;
  CHECK(test::run_cairn(top, {"--help"}) == cli::kOk);
  CHECK(top.out_text().find("the enrollment token") != std::string::npos);
}
