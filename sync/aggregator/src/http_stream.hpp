// One accepted connection's byte stream for the aggregator's poll() server: a non-blocking socket,
// plain or TLS (OpenSSL; the handshake runs inside the first reads). Reads and writes never block;
// a TLS stream may need the socket writable to make progress on a read (and the reverse), which
// wants() tells the poll loop.
//
// Thread safety: one thread (the poll loop) uses a stream.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <memory>
#include <string>

namespace cairn::aggregator::http {

enum class Io { ok, again, eof, error };

// The server's TLS settings: certificate chain and key, TLS 1.2 or later, no renegotiation.
class TlsContext {
 public:
  // nullptr when the files cannot be loaded or the key does not match the certificate.
  static std::unique_ptr<TlsContext> load(const std::string& cert, const std::string& key);
  ~TlsContext();
  SSL_CTX* get() const { return ctx_; }

 private:
  explicit TlsContext(SSL_CTX* c) : ctx_(c) {}
  SSL_CTX* ctx_;
};

class Stream {
 public:
  // Takes ownership of fd (already non-blocking). tls may be null for plain HTTP.
  Stream(int fd, const TlsContext* tls);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  int fd() const { return fd_; }
  // Reads up to n bytes into buf; `got` is set on Io::ok.
  Io read(char* buf, std::size_t n, std::size_t& got);
  // Writes up to n bytes; `put` is set on Io::ok.
  Io write(const char* buf, std::size_t n, std::size_t& put);
  // Ends our direction (TLS close_notify, then a TCP half-close); reads may continue.
  void shutdown_write();
  // The poll events the last Io::again needs besides the obvious one.
  bool wants_write() const { return want_write_; }
  bool wants_read() const { return want_read_; }

 private:
  Io tls_result(int rc);
  int fd_;
  SSL* ssl_ = nullptr;
  bool want_write_ = false, want_read_ = false;
  bool failed_ = false;  // TLS wanted but no SSL object
};

}  // namespace cairn::aggregator::http
