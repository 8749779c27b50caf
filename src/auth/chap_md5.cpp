#include "auth/chap_md5.hpp"

#include "crypto/digest.hpp"

namespace pptpx::auth {
std::array<std::uint8_t, 16> chap_md5_response(std::uint8_t identifier, std::string_view secret,
                                               ByteView challenge) {
  const std::uint8_t id[1] = {identifier};
  return crypto::md5({id, {reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size()}, challenge});
}
}  // namespace pptpx::auth
