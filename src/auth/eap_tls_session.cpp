#include "auth/eap_tls_session.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace pptpx::auth {
namespace {

constexpr std::string_view kKeyLabel = "client EAP encryption";  // RFC 5216 §2.3

// The oldest queued OpenSSL error as text (and the queue emptied), or `fallback`.
std::string openssl_reason(std::string_view fallback) {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return std::string(fallback);
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

[[noreturn]] void fail_file(std::string_view what, const std::string& path) {
  throw std::runtime_error("EAP-TLS " + std::string(what) + " \"" + path + "\" cannot be used (" +
                           openssl_reason("unreadable or not PEM") + "); check the path and that it is PEM");
}

}  // namespace

std::shared_ptr<EapTlsContext> EapTlsContext::create(bool server, const EapTlsFiles& files) {
  for (auto [name, value] : {std::pair<std::string_view, const std::string*>{"ca", &files.ca},
                             {"cert", &files.cert},
                             {"key", &files.key}}) {
    if (value->empty()) {
      throw std::runtime_error("EAP-TLS needs a " + std::string(name) + " file; set it (server: [eap_tls] " +
                               std::string(name) + ", client: --" + std::string(name) + ")");
    }
  }
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  if (ctx == nullptr) throw std::runtime_error("EAP-TLS: OpenSSL cannot create a TLS context: " + openssl_reason("?"));
  std::shared_ptr<EapTlsContext> c(new EapTlsContext(server, ctx, files.server_name));
  // TLS 1.2 only (see the header); no tickets or session cache: every call is a full handshake.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_use_certificate_chain_file(ctx, files.cert.c_str()) != 1) fail_file("cert", files.cert);
  if (SSL_CTX_use_PrivateKey_file(ctx, files.key.c_str(), SSL_FILETYPE_PEM) != 1) fail_file("key", files.key);
  if (SSL_CTX_check_private_key(ctx) != 1) {
    throw std::runtime_error("EAP-TLS key \"" + files.key + "\" does not belong to cert \"" + files.cert +
                             "\"; give the key the certificate was issued for");
  }
  if (SSL_CTX_load_verify_locations(ctx, files.ca.c_str(), nullptr) != 1) fail_file("ca", files.ca);
  if (!files.crl.empty()) {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    X509_LOOKUP* lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file());
    if (lookup == nullptr || X509_load_crl_file(lookup, files.crl.c_str(), X509_FILETYPE_PEM) <= 0) {
      fail_file("crl", files.crl);
    }
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);  // the leaf is checked against the CRL
  }
  if (server) {
    // RFC 5216 §2.1: the server requests the peer's certificate; no certificate, no access.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.ca.c_str())) {
      SSL_CTX_set_client_CA_list(ctx, names);  // helps a peer with several certificates choose
    }
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  }
  ERR_clear_error();
  return c;
}

EapTlsContext::~EapTlsContext() { SSL_CTX_free(ctx_); }

EapTlsSession::EapTlsSession(std::shared_ptr<const EapTlsContext> context) : context_(std::move(context)) {
  ssl_ = SSL_new(context_->native());
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  if (ssl_ == nullptr || in == nullptr || out == nullptr) {
    BIO_free(in);
    BIO_free(out);
    status_ = Status::Failed;
    failure_ = "OpenSSL cannot create a TLS session: " + openssl_reason("out of memory");
    return;
  }
  SSL_set_bio(ssl_, in, out);  // the SSL owns both from here
  if (context_->server()) {
    SSL_set_accept_state(ssl_);
  } else {
    SSL_set_connect_state(ssl_);
    if (!context_->server_name().empty()) {
      // The server's certificate must name this host (SAN DNS, else CN) - checked during verify.
      SSL_set_hostflags(ssl_, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      if (SSL_set1_host(ssl_, context_->server_name().c_str()) != 1) {
        status_ = Status::Failed;
        failure_ = "the server name \"" + context_->server_name() + "\" cannot be checked: " + openssl_reason("?");
      }
    }
  }
}

EapTlsSession::~EapTlsSession() { SSL_free(ssl_); }

EapTlsSession::Status EapTlsSession::advance(ByteView records) {
  if (status_ == Status::Failed) return status_;
  if (!records.empty()) {
    BIO* in = SSL_get_rbio(ssl_);
    if (BIO_write(in, records.data(), static_cast<int>(records.size())) != static_cast<int>(records.size())) {
      status_ = Status::Failed;
      failure_ = "TLS input could not be buffered";
      return status_;
    }
  }
  if (status_ == Status::Established) {
    // After the handshake nothing more is expected (no renegotiation, no tickets, no data).
    return status_;
  }
  ERR_clear_error();
  const int rc = SSL_do_handshake(ssl_);
  if (rc == 1) {
    status_ = Status::Established;
    return status_;
  }
  const int err = SSL_get_error(ssl_, rc);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return status_;
  status_ = Status::Failed;
  const long verify = SSL_get_verify_result(ssl_);
  if (verify != X509_V_OK) {
    failure_ = std::string(context_->server() ? "the peer's" : "the server's") + " certificate was refused: " +
               X509_verify_cert_error_string(verify);
    ERR_clear_error();
  } else {
    failure_ = "TLS handshake failed: " + openssl_reason("the peer closed it");
  }
  return status_;
}

Bytes EapTlsSession::take_output() {
  Bytes out;
  if (ssl_ == nullptr) return out;
  BIO* wbio = SSL_get_wbio(ssl_);
  const long pending = BIO_ctrl_pending(wbio) > 0 ? static_cast<long>(BIO_ctrl_pending(wbio)) : 0;
  out.resize(static_cast<std::size_t>(pending));
  if (pending > 0) {
    const int n = BIO_read(wbio, out.data(), static_cast<int>(pending));
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  }
  return out;
}

std::string EapTlsSession::peer_common_name() const {
  if (status_ != Status::Established) return {};
  X509* cert = SSL_get0_peer_certificate(ssl_);
  if (cert == nullptr) return {};
  X509_NAME* subject = X509_get_subject_name(cert);
  int index = -1;
  int last = -1;
  while ((index = X509_NAME_get_index_by_NID(subject, NID_commonName, index)) >= 0) last = index;
  if (last < 0) return {};
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, last)));
  if (n < 0) return {};
  std::string name(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  return name;
}

std::string EapTlsSession::peer_san_email() const {
  if (status_ != Status::Established) return {};
  X509* cert = SSL_get0_peer_certificate(ssl_);
  if (cert == nullptr) return {};
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return {};
  std::string email;
  for (int i = 0; i < sk_GENERAL_NAME_num(names) && email.empty(); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type != GEN_EMAIL) continue;
    const ASN1_IA5STRING* s = n->d.rfc822Name;
    email.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<std::size_t>(ASN1_STRING_length(s)));
  }
  GENERAL_NAMES_free(names);
  return email;
}

std::optional<EapTlsKeyMaterial> EapTlsSession::key_material() const {
  if (status_ != Status::Established) return std::nullopt;
  EapTlsKeyMaterial m{};
  if (SSL_export_keying_material(ssl_, m.data(), m.size(), kKeyLabel.data(), kKeyLabel.size(), nullptr, 0, 0) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return m;
}

EapTlsMppeStartKeys eap_tls_mppe_start_keys(const EapTlsKeyMaterial& material, bool is_server) {
  EapTlsMppeStartKeys k;
  const auto* low = material.data();        // client send, server receive
  const auto* high = material.data() + 32;  // client receive, server send
  std::copy_n(is_server ? high : low, 16, k.send.begin());
  std::copy_n(is_server ? low : high, 16, k.recv.begin());
  return k;
}

}  // namespace pptpx::auth
