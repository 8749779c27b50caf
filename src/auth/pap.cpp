#include "auth/pap.hpp"

#include "crypto/constant_time.hpp"

namespace pptpx::auth {
bool pap_password_matches(std::string_view received, std::string_view stored) {
  return crypto::constant_time_equal({reinterpret_cast<const std::uint8_t*>(received.data()), received.size()},
                                     {reinterpret_cast<const std::uint8_t*>(stored.data()), stored.size()});
}
}  // namespace pptpx::auth
