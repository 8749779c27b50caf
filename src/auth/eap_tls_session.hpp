// The TLS half of EAP-TLS (RFC 5216) over OpenSSL memory BIOs: TLS records in, TLS records out,
// no sockets and no clock of ours (certificate validity uses the system time, as OpenSSL does).
//
// EapTlsContext holds what every session of one role shares (certificates, key, CA, CRL, the
// name the client expects of the server); EapTlsSession runs one handshake and then exports the
// keying material: RFC 5216 §2.3 Key_Material = TLS-PRF-128(master secret, "client EAP
// encryption", client.random || server.random), MSK = its first 64 octets.
//
// TLS 1.2 only for now: what pppd 2.4.9 and Windows speak. TLS 1.3 (RFC 9190: a different
// exporter label and a commitment message) is not yet supported; both ends then settle on 1.2.
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <string>

#include "util/bytes.hpp"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace pptpx::auth {

// Where the user name of an EAP-TLS peer comes from (server side).
enum class EapTlsUserFrom : std::uint8_t {
  Cn,        // the Common Name of the certificate's subject (the last CN if there are several)
  SanEmail,  // the first rfc822Name (e-mail) of the certificate's subjectAltName
};

struct EapTlsFiles {
  std::string ca;    // PEM CA certificate(s) the peer's certificate must chain to (required)
  std::string cert;  // PEM certificate (chain) we present (required)
  std::string key;   // PEM private key of `cert` (required)
  std::string crl;   // PEM CRL(s) of the CA: when set, every peer certificate is checked against it
  // Client: the name the server's certificate must carry (subjectAltName DNS, else CN), RFC 6125
  // style as OpenSSL's X509_check_host. Empty: any certificate from the CA is accepted.
  std::string server_name;
};

class EapTlsContext {
 public:
  // Throws std::runtime_error with one sentence naming the file and the problem.
  static std::shared_ptr<EapTlsContext> create(bool server, const EapTlsFiles& files);
  ~EapTlsContext();
  EapTlsContext(const EapTlsContext&) = delete;
  EapTlsContext& operator=(const EapTlsContext&) = delete;

  bool server() const { return server_; }
  const std::string& server_name() const { return server_name_; }
  SSL_CTX* native() const { return ctx_; }

 private:
  EapTlsContext(bool server, SSL_CTX* ctx, std::string server_name)
      : server_(server), ctx_(ctx), server_name_(std::move(server_name)) {}
  bool server_;
  SSL_CTX* ctx_;
  std::string server_name_;
};

inline constexpr std::size_t kEapTlsKeyMaterialSize = 128;  // RFC 5216 §2.3: MSK(64) | EMSK(64)
using EapTlsKeyMaterial = std::array<std::uint8_t, kEapTlsKeyMaterialSize>;

class EapTlsSession {
 public:
  enum class Status : std::uint8_t { Handshaking, Established, Failed };

  explicit EapTlsSession(std::shared_ptr<const EapTlsContext> context);
  ~EapTlsSession();
  EapTlsSession(const EapTlsSession&) = delete;
  EapTlsSession& operator=(const EapTlsSession&) = delete;

  // Feeds TLS records received from the peer (may be empty: the client's first step) and runs the
  // handshake as far as it goes. Output for the peer is then in take_output().
  Status advance(ByteView records);
  Bytes take_output();
  Status status() const { return status_; }
  // Why the handshake failed: the certificate check's verdict or OpenSSL's reason.
  const std::string& failure() const { return failure_; }

  // Established only: the peer certificate's subject Common Name (UTF-8), empty if none.
  std::string peer_common_name() const;
  // Established only: the first e-mail address in the peer certificate's subjectAltName, or empty.
  std::string peer_san_email() const;
  std::string peer_user_name(EapTlsUserFrom from) const {
    return from == EapTlsUserFrom::Cn ? peer_common_name() : peer_san_email();
  }
  // Established only: RFC 5216 §2.3 Key_Material (TLS 1.2 exporter, label "client EAP
  // encryption", no context). nullopt if the export fails.
  std::optional<EapTlsKeyMaterial> key_material() const;
  const SSL* native() const { return ssl_; }

 private:
  std::shared_ptr<const EapTlsContext> context_;
  SSL* ssl_ = nullptr;
  Status status_ = Status::Handshaking;
  std::string failure_;
};

// The MPPE start keys pppd's eap-tls.c takes from the key material (its 2.4.9 and current code
// agree): the client sends with octets 0..15 and receives with 32..47; the server the other way
// round. (This is also RFC 2548 MS-MPPE-Recv-Key = MSK[0..31], MS-MPPE-Send-Key = MSK[32..63] as
// a RADIUS server hands them to the authenticator.)
struct EapTlsMppeStartKeys {
  std::array<std::uint8_t, 16> send{};
  std::array<std::uint8_t, 16> recv{};
};
EapTlsMppeStartKeys eap_tls_mppe_start_keys(const EapTlsKeyMaterial& material, bool is_server);

}  // namespace pptpx::auth
