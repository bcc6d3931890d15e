// Replays a fuzz target without libFuzzer: every file of the corpus directories given on the
// command line, then seeded mutations of them (bit flips, truncations, insertions, splices) and
// random inputs. Deterministic, so a failure reproduces; a crash or sanitizer report fails CTest.
// It prints how many files each directory gave, and fails when none gave any: a mistyped corpus
// path would otherwise leave only mutations of an empty input, and the test would pass on nothing.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  std::vector<std::vector<std::uint8_t>> corpus;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    std::size_t files = 0;
    for (auto& e : std::filesystem::recursive_directory_iterator(argv[i], ec)) {
      if (!e.is_regular_file() || e.file_size() > (1u << 20)) continue;
      std::ifstream f(e.path(), std::ios::binary);
      corpus.emplace_back((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      ++files;
    }
    std::printf("fuzz driver: %zu file(s) from %s\n", files, argv[i]);
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "fuzz driver: no corpus file in any directory given: nothing real to replay\n");
    return 1;
  }
  std::mt19937_64 rng(0xC0FFEE);
  std::size_t runs = 0;
  for (auto& c : corpus) LLVMFuzzerTestOneInput(c.data(), c.size()), ++runs;
  for (int i = 0; i < 5000; ++i) {
    auto input = corpus[rng() % corpus.size()];
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 5) {
        case 0: if (!input.empty()) input[rng() % input.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
        case 1: if (!input.empty()) input.resize(rng() % input.size()); break;
        case 2: input.insert(input.begin() + static_cast<long>(input.empty() ? 0 : rng() % input.size()), static_cast<std::uint8_t>(rng())); break;
        case 3: { auto& o = corpus[rng() % corpus.size()]; if (!o.empty()) input.insert(input.end(), o.begin() + static_cast<long>(rng() % o.size()), o.end()); } break;
        default: if (!input.empty()) input[rng() % input.size()] = static_cast<std::uint8_t>(rng()); break;
      }
    }
    if (input.size() > (4u << 20)) input.resize(4u << 20);
    LLVMFuzzerTestOneInput(input.data(), input.size());
    ++runs;
  }
  std::printf("fuzz driver: %zu inputs, no crash\n", runs);
  return 0;
}
