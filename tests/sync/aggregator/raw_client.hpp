// Raw TCP clients for the HTTP server's limit and abuse tests: connect to 127.0.0.1, send bytes
// exactly as given (malformed, slow, endless), read whatever status line comes back.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

namespace cairn::test {

// A blocking loopback socket with send/receive timeouts; -1 when the connect fails.
inline int connect_loopback(int port, int timeout_ms = 5000) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool send_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads until the peer closes, a timeout, or `limit` bytes.
inline std::string read_some(int fd, std::size_t limit = 64 * 1024) {
  std::string out;
  char buf[4096];
  while (out.size() < limit) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos) {
      // Stop once the head and its Content-Length body are in.
      const auto cl = out.find("Content-Length: ");
      const auto end = out.find("\r\n\r\n") + 4;
      if (cl != std::string::npos && out.size() >= end + std::strtoul(out.c_str() + cl + 16, nullptr, 10)) break;
    }
  }
  return out;
}

// The status code of an HTTP response, or 0 when there is none.
inline int status_of(const std::string& reply) {
  if (reply.rfind("HTTP/1.", 0) != 0 || reply.size() < 12) return 0;
  return std::atoi(reply.c_str() + 9);
}

// Peak resident set size (VmHWM) of a process, in KiB; 0 when unknown.
inline long peak_rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

}  // namespace cairn::test
