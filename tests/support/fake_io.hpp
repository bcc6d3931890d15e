// A scripted cli::Io for tests: secrets and answers come from a list of lines, output is captured.
#pragma once

#include <deque>
#include <sstream>
#include <string>

#include "cairn/cli/cli.hpp"

namespace cairn::test {

class FakeIo final : public cli::Io {
 public:
  explicit FakeIo(std::deque<std::string> lines = {}, bool interactive = false)
      : lines_(std::move(lines)), interactive_(interactive) {}
  std::ostream& out() override { return out_; }
  std::ostream& err() override { return err_; }
  bool interactive() const override { return interactive_; }
  Result<crypto::SecretBytes> read_secret(const char*) override {
    if (lines_.empty()) return make_error(Errc::usage, "no passphrase given (standard input ended)");
    auto s = crypto::SecretBytes::from(std::string_view(lines_.front()));
    lines_.pop_front();
    return s;
  }
  Result<std::string> read_line(const char*) override {
    if (lines_.empty()) return make_error(Errc::usage, "no answer given");
    auto s = lines_.front();
    lines_.pop_front();
    return s;
  }
  std::string out_text() const { return out_.str(); }
  std::string err_text() const { return err_.str(); }

 private:
  std::deque<std::string> lines_;
  bool interactive_;
  std::ostringstream out_, err_;
};

// Runs `cairn ARGS...` in-process with the given input lines.
inline int run_cairn(FakeIo& io, std::vector<std::string> args) {
  args.insert(args.begin(), "cairn");
  return cli::run(args, io);
}

}  // namespace cairn::test
