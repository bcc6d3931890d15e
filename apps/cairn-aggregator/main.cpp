// `cairn-aggregator`: the organization's leader or privacy helper. Everything happens in
// cairn_aggregator_cli (sync/aggregator_cli/); this only hands over argv.
#include <iostream>

#include "cairn/aggregator_cli/aggregator_cli.hpp"

int main(int argc, char** argv) {
  return cairn::aggregator_cli::run(std::vector<std::string>(argv, argv + argc), std::cout, std::cerr);
}
