#pragma once
// A small PKI made by the test itself with the OpenSSL API (P-256 keys, fast): CAs, leaf
// certificates valid now or expired, and CRLs, written as PEM files into a ScopedTempDir.
// For the EAP-TLS tests; nothing here comes from the code under test.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace pptpx::test {

struct PkiKey {
  std::shared_ptr<EVP_PKEY> key;
  std::shared_ptr<X509> cert;
};

class TestPki {
 public:
  static PkiKey make_ca(const std::string& cn) {
    PkiKey ca{new_key(), nullptr};
    ca.cert = make_cert(cn, ca.key.get(), nullptr, nullptr, true, -3600, 86400 * 30, 1, "");
    return ca;
  }
  // `valid_from`/`valid_to` in seconds from now; `san`: a subjectAltName in openssl's syntax, e.g.
  // "DNS:vpn.example.test" or "email:alice@example.test" (empty: none).
  static PkiKey make_leaf(const std::string& cn, const PkiKey& ca, long serial, long valid_from = -3600,
                          long valid_to = 86400, const std::string& san = "") {
    PkiKey leaf{new_key(), nullptr};
    leaf.cert = make_cert(cn, leaf.key.get(), ca.cert.get(), ca.key.get(), false, valid_from, valid_to, serial, san);
    return leaf;
  }

  static void write_cert(const std::string& path, const std::vector<const PkiKey*>& chain) {
    FILE* f = open(path);
    for (const PkiKey* k : chain) PEM_write_X509(f, k->cert.get());
    std::fclose(f);
  }
  static void write_key(const std::string& path, const PkiKey& k) {
    FILE* f = open(path);
    PEM_write_PrivateKey(f, k.key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
  }
  // A CRL signed by `ca` revoking the given serials.
  static void write_crl(const std::string& path, const PkiKey& ca, const std::vector<long>& revoked) {
    X509_CRL* crl = X509_CRL_new();
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca.cert.get()));
    ASN1_TIME* now = X509_gmtime_adj(nullptr, -60);
    ASN1_TIME* next = X509_gmtime_adj(nullptr, 86400);
    X509_CRL_set1_lastUpdate(crl, now);
    X509_CRL_set1_nextUpdate(crl, next);
    for (long serial : revoked) {
      X509_REVOKED* r = X509_REVOKED_new();
      ASN1_INTEGER* s = ASN1_INTEGER_new();
      ASN1_INTEGER_set(s, serial);
      X509_REVOKED_set_serialNumber(r, s);
      X509_REVOKED_set_revocationDate(r, now);
      X509_CRL_add0_revoked(crl, r);
      ASN1_INTEGER_free(s);
    }
    ASN1_TIME_free(now);
    ASN1_TIME_free(next);
    X509_CRL_sort(crl);
    if (X509_CRL_sign(crl, ca.key.get(), EVP_sha256()) == 0) throw std::runtime_error("CRL sign failed");
    FILE* f = open(path);
    PEM_write_X509_CRL(f, crl);
    std::fclose(f);
    X509_CRL_free(crl);
  }

 private:
  static FILE* open(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr) throw std::runtime_error("cannot write " + path);
    return f;
  }
  static std::shared_ptr<EVP_PKEY> new_key() {
    EVP_PKEY* k = EVP_EC_gen("P-256");
    if (k == nullptr) throw std::runtime_error("EC key generation failed");
    return {k, EVP_PKEY_free};
  }
  static void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr) throw std::runtime_error("bad extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  static std::shared_ptr<X509> make_cert(const std::string& cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                                         bool ca, long valid_from, long valid_to, long serial, const std::string& san) {
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), valid_from);
    X509_gmtime_adj(X509_getm_notAfter(cert), valid_to);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
    X509* signer = issuer ? issuer : cert;
    if (ca) {
      add_ext(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
      add_ext(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
      add_ext(cert, signer, NID_basic_constraints, "CA:FALSE");
    }
    if (!san.empty()) add_ext(cert, signer, NID_subject_alt_name, san.c_str());
    if (X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256()) == 0) throw std::runtime_error("sign failed");
    return {cert, X509_free};
  }
};

}  // namespace pptpx::test
