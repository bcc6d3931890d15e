// The process Io: secrets from /dev/tty with echo off, or from standard input line by line when
// it is not a terminal (like `cryptsetup --key-file=-`). Secrets are read byte by byte straight
// into sodium_malloc memory: no stdio buffer ever holds them.
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "cairn/cli/cli.hpp"

namespace cairn::cli {
namespace {

constexpr std::size_t kMaxSecret = 1024;

Result<crypto::SecretBytes> read_line_fd(int fd) {
  crypto::SecretBytes buf(kMaxSecret);
  std::size_t n = 0;
  for (;;) {
    char c;
    ssize_t r = ::read(fd, &c, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      if (n == 0) return make_error(Errc::usage, "no passphrase given (standard input ended)");
      break;
    }
    if (c == '\n') break;
    if (n == kMaxSecret) return make_error(Errc::usage, "the passphrase is longer than 1024 bytes");
    buf.data()[n++] = static_cast<std::uint8_t>(c);
  }
  if (n > 0 && buf.data()[n - 1] == '\r') --n;
  buf.truncate(n);
  return buf;
}

class ProcessIo final : public Io {
 public:
  std::ostream& out() override { return std::cout; }
  std::ostream& err() override { return std::cerr; }
  bool interactive() const override { return ::isatty(0) == 1; }

  Result<crypto::SecretBytes> read_secret(const char* prompt) override {
    if (!interactive()) return read_line_fd(0);
    int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty < 0) return read_line_fd(0);
    (void)!::write(tty, prompt, std::char_traits<char>::length(prompt));
    termios old{};
    bool restore = ::tcgetattr(tty, &old) == 0;
    if (restore) {
      termios quiet = old;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    auto line = read_line_fd(tty);
    if (restore) ::tcsetattr(tty, TCSAFLUSH, &old);
    (void)!::write(tty, "\n", 1);
    ::close(tty);
    return line;
  }

  Result<std::string> read_line(const char* prompt) override {
    if (interactive()) std::cerr << prompt << std::flush;
    auto s = read_line_fd(0);
    if (!s.ok()) return make_error(Errc::usage, "no answer given (standard input ended)");
    return std::string(s->view());
  }
};

}  // namespace

std::unique_ptr<Io> make_process_io() { return std::make_unique<ProcessIo>(); }

}  // namespace cairn::cli
