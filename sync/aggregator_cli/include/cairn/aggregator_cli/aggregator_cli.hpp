// The `cairn-aggregator` command (init, serve, configure, info, token, plan, release, results) as
// one function over the output and error streams, so tests drive the same code path as an
// operator; apps/cairn-aggregator/main.cpp only hands over argv. Store-free: it links the
// aggregator, never the employee's store (cmake/LinkClosure.cmake checks).
//
// Thread safety: one run() at a time per process (`serve` blocks SIGINT and SIGTERM in the
// calling thread and waits for them).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace cairn::aggregator_cli {

// args as given to main (args[0] is the program name). Returns the exit status.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace cairn::aggregator_cli
