// A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost, made
// with the openssl command (Debian's `openssl` package), for tests that serve HTTPS on loopback.
#pragma once

#include <filesystem>

namespace cairn::test {

struct TlsCert {
  std::filesystem::path ca;    // the CA certificate to trust (PEM)
  std::filesystem::path cert;  // the server certificate, signed by the CA (PEM)
  std::filesystem::path key;   // its private key (PEM)
};

// Writes ca.pem, cert.pem and key.pem into dir; fails the test when openssl is missing or fails.
TlsCert make_tls_cert(const std::filesystem::path& dir);

}  // namespace cairn::test
