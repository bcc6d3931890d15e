// Test helper: real git repositories in temporary directories, built with the git CLI (the same
// tool the employee uses), with fixed author/committer identities and dates so records are exact.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace cairn::test {

class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    const char* base = std::getenv("CAIRN_TEST_TMP");
    std::filesystem::path root = base ? base : std::filesystem::temp_directory_path();
    std::filesystem::create_directories(root);
    std::string pattern = (root / (tag + "-XXXXXX")).string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

// Runs a shell command with git isolated from the machine's configuration; returns its stdout.
inline std::string run(const std::string& cmd) {
  const std::string full = "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null " + cmd + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  INFO("command: " << cmd << "\noutput: " << out);
  REQUIRE(status == 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

struct Person {
  std::string name;
  std::string email;
};

class GitRepo {
 public:
  explicit GitRepo(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    git("init -q -b main");
  }
  const std::filesystem::path& dir() const { return dir_; }

  std::string git(const std::string& args) const { return run("cd " + quote(dir_.string()) + " && git " + args); }

  void write(const std::string& file, const std::string& content) const {
    std::filesystem::create_directories((dir_ / file).parent_path());
    std::ofstream(dir_ / file, std::ios::binary) << content;
  }

  // Stages everything and commits as `who` at `date` (git date format, e.g. "2024-04-02T10:00:00+0200").
  // Returns the new commit id.
  std::string commit(const Person& who, const std::string& date, const std::string& message) const {
    const auto msg_file = dir_.parent_path() / (dir_.filename().string() + ".msg");
    std::ofstream(msg_file, std::ios::binary) << message;
    git("add -A");
    run("cd " + quote(dir_.string()) + " && GIT_AUTHOR_NAME=" + quote(who.name) + " GIT_AUTHOR_EMAIL=" +
        quote(who.email) + " GIT_AUTHOR_DATE=" + quote(date) + " GIT_COMMITTER_NAME=" + quote(who.name) +
        " GIT_COMMITTER_EMAIL=" + quote(who.email) + " GIT_COMMITTER_DATE=" + quote(date) +
        " git commit -q --allow-empty -F " + quote(msg_file.string()));
    return git("rev-parse HEAD");
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace cairn::test
