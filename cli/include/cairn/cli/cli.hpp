// The `cairn` command: every subcommand as a function over an Io, so tests drive the same code
// path as a person at a terminal. apps/cairn/main.cpp only builds an Io and calls run().
//
// Exit statuses (also in `cairn --help` and the README):
//   0 ok · 1 failure (disk, network, internal) · 2 usage · 3 wrong passphrase or recovery code ·
//   4 corrupt or tampered vault, store or file · 5 not set up yet (run `cairn init`) ·
//   6 refused by policy (consent off, privacy budget, below minimum group size)
#pragma once

#include <cstdio>
#include <memory>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cairn/base/exit_codes.hpp"
#include "cairn/base/result.hpp"
#include "cairn/crypto/secret.hpp"

namespace cairn::cli {

// The exit statuses and their map from Errc are base's (cairn/base/exit_codes.hpp), shared with
// cairn-aggregator.
using cairn::Exit;
using cairn::exit_code_for;
using cairn::kOk, cairn::kFailure, cairn::kUsage, cairn::kWrongSecret, cairn::kCorrupt, cairn::kNotSetUp,
    cairn::kRefused;

// Where the command reads secrets and writes output. The real one reads secrets from /dev/tty
// without echo, or from the first lines of standard input when it is not a terminal.
class Io {
 public:
  virtual ~Io() = default;
  virtual std::ostream& out() = 0;
  virtual std::ostream& err() = 0;
  virtual bool interactive() const = 0;
  // prompt is shown only when interactive. Returns Errc::usage when input ends.
  virtual Result<crypto::SecretBytes> read_secret(const char* prompt) = 0;
  // A plain line of confirmation ("wipe", "yes").
  virtual Result<std::string> read_line(const char* prompt) = 0;
};

// The process's own terminal and standard streams.
std::unique_ptr<Io> make_process_io();

// argv as given to main; argv0 is used to find sibling programs (cairn-agentd).
int run(const std::vector<std::string>& args, Io& io);

}  // namespace cairn::cli
