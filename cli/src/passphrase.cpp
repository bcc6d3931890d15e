// New-passphrase check for init and passwd (see passphrase.hpp).
#include "passphrase.hpp"

#include <cctype>
#include <string>

#include "cairn/crypto/strength.hpp"

namespace cairn::cli {

Status check_new_passphrase(const crypto::SecretBytes& passphrase, bool weak_ok, const char* outcome) {
  const auto s = crypto::estimate_strength(passphrase.view());
  if (crypto::strong_enough(s) || weak_ok) return ok_status();
  std::string label = s.label;
  for (char& c : label) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return make_error(Errc::usage, "the passphrase is too weak (" + label + ": " + s.reason + "); " + outcome +
                                     ". Use a phrase of four or more unrelated words, or pass --weak-passphrase-ok");
}

}  // namespace cairn::cli
