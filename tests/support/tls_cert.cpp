// See tls_cert.hpp. The CA is separate from the server certificate so clients verify a chain, as
// they would in a deployment with a private CA; both use P-256 keys and live one day.
#include "tls_cert.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

namespace cairn::test {

TlsCert make_tls_cert(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto q = [&](const char* name) { return "'" + (dir / name).string() + "'"; };
  const std::string quiet = " >/dev/null 2>&1";
  const std::string cmds[] = {
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=cairn-test-ca"
      " -keyout " + q("ca.key") + " -out " + q("ca.pem") + quiet,
      "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost -keyout " + q("key.pem") +
          " -out " + q("req.csr") + quiet,
      "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > " + q("ext.cnf"),
      "openssl x509 -req -in " + q("req.csr") + " -CA " + q("ca.pem") + " -CAkey " + q("ca.key") +
          " -CAcreateserial -days 1 -extfile " + q("ext.cnf") + " -out " + q("cert.pem") + quiet,
  };
  for (const auto& c : cmds) REQUIRE_MESSAGE(std::system(c.c_str()) == 0, "openssl failed: " << c);
  return {dir / "ca.pem", dir / "cert.pem", dir / "key.pem"};
}

}  // namespace cairn::test
