// Non-blocking plain and TLS streams for the aggregator's poll() server (see http_stream.hpp).
#include "http_stream.hpp"

#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace cairn::aggregator::http {

std::unique_ptr<TlsContext> TlsContext::load(const std::string& cert, const std::string& key) {
  SSL_CTX* c = SSL_CTX_new(TLS_server_method());
  if (!c) return nullptr;
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(c, cert.c_str()) != 1 || SSL_CTX_use_PrivateKey_file(c, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(c) != 1) {
    ERR_clear_error();
    SSL_CTX_free(c);
    return nullptr;
  }
  return std::unique_ptr<TlsContext>(new TlsContext(c));
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

Stream::Stream(int fd, const TlsContext* tls) : fd_(fd) {
  if (!tls) return;
  ssl_ = SSL_new(tls->get());
  failed_ = !ssl_;
  if (ssl_) {
    SSL_set_fd(ssl_, fd_);
    SSL_set_accept_state(ssl_);
  }
}

Stream::~Stream() {
  if (ssl_) SSL_free(ssl_);
  ::close(fd_);
}

Io Stream::tls_result(int rc) {
  const int e = SSL_get_error(ssl_, rc);
  ERR_clear_error();
  if (e == SSL_ERROR_WANT_READ) {
    want_read_ = true;
    return Io::again;
  }
  if (e == SSL_ERROR_WANT_WRITE) {
    want_write_ = true;
    return Io::again;
  }
  if (e == SSL_ERROR_ZERO_RETURN) return Io::eof;
  return Io::error;
}

Io Stream::read(char* buf, std::size_t n, std::size_t& got) {
  want_read_ = want_write_ = false;
  if (failed_) return Io::error;
  if (ssl_) {
    ERR_clear_error();
    const int rc = SSL_read_ex(ssl_, buf, n, &got);
    return rc == 1 ? Io::ok : tls_result(rc);
  }
  const ssize_t r = ::recv(fd_, buf, n, 0);
  if (r > 0) {
    got = static_cast<std::size_t>(r);
    return Io::ok;
  }
  if (r == 0) return Io::eof;
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Io::again : Io::error;
}

Io Stream::write(const char* buf, std::size_t n, std::size_t& put) {
  want_read_ = want_write_ = false;
  if (failed_) return Io::error;
  if (ssl_) {
    ERR_clear_error();
    const int rc = SSL_write_ex(ssl_, buf, n, &put);
    return rc == 1 ? Io::ok : tls_result(rc);
  }
  const ssize_t r = ::send(fd_, buf, n, MSG_NOSIGNAL);
  if (r >= 0) {
    put = static_cast<std::size_t>(r);
    return Io::ok;
  }
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Io::again : Io::error;
}

void Stream::shutdown_write() {
  if (ssl_) {
    ERR_clear_error();
    (void)SSL_shutdown(ssl_);  // best effort: close_notify if the socket takes it now
    ERR_clear_error();
  }
  ::shutdown(fd_, SHUT_WR);
}

}  // namespace cairn::aggregator::http
