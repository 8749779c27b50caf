// RFC 5216 §2.3 key material from an EAP-TLS handshake, checked against an independent
// computation: the TLS 1.2 PRF (RFC 5246 §5) run by OpenSSL's TLS1-PRF KDF over the session's
// master secret and randoms, not the exporter our code calls. And the MPPE start keys taken as
// pppd's eap-tls.c takes them (eaptls_gen_mppe_keys: client send = out[0..], recv = out[32..];
// server the other way round; 16 octets each for 128-bit MPPE).
#include <gtest/gtest.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>

#include <cstring>

#include "auth/eap_tls_session.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certs.hpp"

namespace pptpx::auth {
namespace {

using test::TestPki;

std::array<std::uint8_t, 128> tls12_prf(const SSL* ssl, const char* label) {
  const SSL_SESSION* session = SSL_get_session(ssl);
  std::uint8_t master[64];
  const std::size_t master_len = SSL_SESSION_get_master_key(session, master, sizeof master);
  std::uint8_t client_random[32], server_random[32];
  EXPECT_EQ(SSL_get_client_random(ssl, client_random, 32), 32u);
  EXPECT_EQ(SSL_get_server_random(ssl, server_random, 32), 32u);
  const EVP_MD* md = SSL_CIPHER_get_handshake_digest(SSL_get_current_cipher(ssl));
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_TLS1_PRF, nullptr);
  std::array<std::uint8_t, 128> out{};
  std::size_t out_len = out.size();
  EXPECT_EQ(EVP_PKEY_derive_init(pctx), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_tls1_prf_md(pctx, md), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set1_tls1_prf_secret(pctx, master, static_cast<int>(master_len)), 1);
  // RFC 5216 §2.3: PRF(master secret, label, client.random || server.random).
  EXPECT_EQ(EVP_PKEY_CTX_add1_tls1_prf_seed(pctx, reinterpret_cast<const unsigned char*>(label),
                                            static_cast<int>(std::strlen(label))),
            1);
  EXPECT_EQ(EVP_PKEY_CTX_add1_tls1_prf_seed(pctx, client_random, 32), 1);
  EXPECT_EQ(EVP_PKEY_CTX_add1_tls1_prf_seed(pctx, server_random, 32), 1);
  EXPECT_EQ(EVP_PKEY_derive(pctx, out.data(), &out_len), 1);
  EVP_PKEY_CTX_free(pctx);
  return out;
}

TEST(EapTlsKeys, KeyMaterialIsTheTls12PrfWithTheEapLabel) {
  test::ScopedTempDir dir;
  const auto ca = TestPki::make_ca("CA");
  const auto server = TestPki::make_leaf("server", ca, 2);
  const auto client = TestPki::make_leaf("client", ca, 3);
  TestPki::write_cert(dir.file("ca.pem"), {&ca});
  TestPki::write_cert(dir.file("s.pem"), {&server});
  TestPki::write_key(dir.file("s.key"), server);
  TestPki::write_cert(dir.file("c.pem"), {&client});
  TestPki::write_key(dir.file("c.key"), client);
  auto sc = EapTlsContext::create(true, {dir.file("ca.pem"), dir.file("s.pem"), dir.file("s.key"), "", ""});
  auto cc = EapTlsContext::create(false, {dir.file("ca.pem"), dir.file("c.pem"), dir.file("c.key"), "", ""});
  EapTlsSession s(sc), c(cc);
  Bytes to_server, to_client;
  c.advance({});
  to_server = c.take_output();
  for (int i = 0; i < 10 && (s.status() != EapTlsSession::Status::Established ||
                             c.status() != EapTlsSession::Status::Established);
       ++i) {
    s.advance(to_server);
    to_client = s.take_output();
    c.advance(to_client);
    to_server = c.take_output();
  }
  ASSERT_EQ(s.status(), EapTlsSession::Status::Established) << s.failure();
  ASSERT_EQ(c.status(), EapTlsSession::Status::Established) << c.failure();
  EXPECT_EQ(SSL_version(s.native()), TLS1_2_VERSION);
  EXPECT_EQ(s.peer_common_name(), "client");
  EXPECT_EQ(c.peer_common_name(), "server");

  const auto ms = s.key_material();
  const auto mc = c.key_material();
  ASSERT_TRUE(ms && mc);
  EXPECT_EQ(*ms, *mc);
  EXPECT_EQ(*ms, tls12_prf(s.native(), "client EAP encryption"));
  EXPECT_NE(*ms, tls12_prf(s.native(), "client EAP encryptioN"));  // the check can fail

  const auto ks = eap_tls_mppe_start_keys(*ms, true);
  const auto kc = eap_tls_mppe_start_keys(*mc, false);
  EXPECT_TRUE(std::equal(kc.send.begin(), kc.send.end(), ms->begin()));       // client send = out[0..16)
  EXPECT_TRUE(std::equal(kc.recv.begin(), kc.recv.end(), ms->begin() + 32));  // client recv = out[32..48)
  EXPECT_EQ(ks.send, kc.recv);
  EXPECT_EQ(ks.recv, kc.send);
}

}  // namespace
}  // namespace pptpx::auth
