// Starting the programs the agent_overhead benchmark drives: fork + exec with a given environment,
// standard input from a string (e.g. the throwaway passphrase of `cairn init`), standard output
// and error appended to a log file. Single-threaded callers only (fork).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace bench {

// Starts argv[0] (searched in PATH) with exactly env; returns its pid, or -1.
pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& stdin_text,
            const std::filesystem::path& log);

// spawn, then wait: the exit status (0..255), or -1 when it did not start or was killed.
int run_and_wait(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                 const std::string& stdin_text, const std::filesystem::path& log);

}  // namespace bench
