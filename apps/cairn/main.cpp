// `cairn`: the command line. Everything happens in cairn_cli (cli/); this only hands over argv.
#include "cairn/cli/cli.hpp"

int main(int argc, char** argv) {
  auto io = cairn::cli::make_process_io();
  return cairn::cli::run(std::vector<std::string>(argv, argv + argc), *io);
}
