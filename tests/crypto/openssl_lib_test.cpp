// Provider loading: our own library context, and a clear error when the legacy provider is missing.
#include "crypto/openssl_lib.hpp"

#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <stdexcept>
#include <string>

#include "crypto/rc4.hpp"

namespace pptpx::crypto {
namespace {

TEST(OpensslLib, InitializeSucceedsAndIsIdempotent) {
  EXPECT_NO_THROW(initialize());
  EXPECT_NO_THROW(initialize());
  EXPECT_NE(detail::algorithms().ctx, nullptr);
}

TEST(OpensslLib, MissingLegacyProviderFailsWithOneClearSentence) {
  try {
    check_providers_in("/nonexistent/pptpx-no-ossl-modules");
    FAIL() << "loading providers from an empty directory should fail";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("legacy provider"), std::string::npos) << msg;
    EXPECT_NE(msg.find("libssl3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("/nonexistent/pptpx-no-ossl-modules"), std::string::npos) << msg;
  }
}

TEST(OpensslLib, ProvidersLoadFromTheInstalledModulesDirectory) {
  // OpenSSL's compiled-in modules directory (where Debian's libssl3 puts legacy.so), reported as
  // MODULESDIR: "/usr/lib/...".
  const std::string text = OpenSSL_version(OPENSSL_MODULES_DIR);
  const auto open = text.find('"');
  const auto close = text.rfind('"');
  ASSERT_TRUE(open != std::string::npos && close > open) << text;
  EXPECT_NO_THROW(check_providers_in(text.substr(open + 1, close - open - 1)));
}

}  // namespace
}  // namespace pptpx::crypto
