// A small world for end-to-end tests: a Cairn home set up with the real CLI, a git repository
// with commits by the employee and by someone else, an exported calendar with meetings in the
// last days, and helpers to run the daemon and a scripted desktop.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "process.hpp"

namespace cairn::test {

struct World {
  explicit World(const std::string& name);
  std::filesystem::path dir, home, repo, ics;
  std::map<std::string, std::string> env() const;
  Output cairn(std::vector<std::string> args, const std::string& input = "pw\n") const;
  nlohmann::json export_json() const;
  void commit(const std::string& file, const std::string& message, const std::string& email = "me@example.org") const;
  std::unique_ptr<Child> start_agent() const;
  std::unique_ptr<Child> start_desktop(int seconds, const std::string& classes = "code,firefox,slack") const;
  void set_batch_interval(int seconds) const;
  std::size_t pending_batches() const;
};

}  // namespace cairn::test
