// The helper side of the cairn-scan protocol (contract in serve.hpp).
#include "cairn/scan/serve.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "cairn/base/hardening.hpp"

namespace cairn::scan {

int serve(std::FILE* in, std::FILE* out, std::FILE* err, const char* program, const Answer& answer) {
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) {
    text.append(buf, n);
    if (text.size() > kMaxRequestBytes) {
      std::fprintf(err, "%s: request is larger than 16 MiB\n", program);
      return kScanBadRequestExit;
    }
  }
  if (std::ferror(in)) {
    std::fprintf(err, "%s: cannot read the request from stdin\n", program);
    return kScanBadRequestExit;
  }
  auto request = parse_request(text);
  if (!request) {
    std::fprintf(err, "%s: %s\n", program, request.error().message.c_str());
    return kScanBadRequestExit;
  }
  text.clear();
  text.shrink_to_fit();
  // Streamed: the response as one string was the largest part of a first scan's peak.
  bool written = true;
  write_response(answer(*request), [&](std::string_view part) {
    written = written && std::fwrite(part.data(), 1, part.size(), out) == part.size();
  });
  if (!written || std::fputc('\n', out) == EOF || std::fflush(out) != 0) {
    std::fprintf(err, "%s: cannot write the response\n", program);
    return 1;
  }
  return 0;
}

int helper_main(int argc, char** argv, const char* program, const Answer& answer) {
  if (argc > 1) {
    std::fprintf(stderr, "usage: %s < request.json > response.json (no arguments)\n", argv[0]);
    return kScanBadRequestExit;
  }
  // It may hold the meeting-uid key and commit messages: no core dumps, no ptrace.
  if (auto hardened = harden_process(); !hardened) {
    std::fprintf(stderr, "%s: %s\n", program, hardened.error().message.c_str());
    return 1;
  }
  std::FILE* err = stderr;
  const int err_fd = ::dup(STDERR_FILENO);
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (err_fd >= 0 && null_fd >= 0) {
    if (std::FILE* own = ::fdopen(err_fd, "w")) {
      std::setvbuf(own, nullptr, _IOLBF, 0);
      ::dup2(null_fd, STDERR_FILENO);
      err = own;
    }
  }
  return serve(stdin, stdout, err, program, answer);
}

SourceError not_read_here(const char* program) {
  return SourceError{Errc::usage, std::string(program) + " does not read this kind of source"};
}

}  // namespace cairn::scan
