#include "ppp/auth_random.hpp"

#include <openssl/rand.h>

#include <climits>
#include <stdexcept>

namespace pptpx::ppp {

void OpenSslRandomSource::fill(MutableByteView out) {
  std::size_t done = 0;
  while (done < out.size()) {
    // RAND_bytes takes an int length; chunk so huge spans cannot overflow it.
    const std::size_t chunk = std::min<std::size_t>(out.size() - done, INT_MAX);
    if (RAND_bytes(out.data() + done, static_cast<int>(chunk)) != 1) {
      throw std::runtime_error("OpenSSL RAND_bytes failed: no random bytes for authentication");
    }
    done += chunk;
  }
}

RandomSource& default_random_source() {
  static OpenSslRandomSource source;
  return source;
}

}  // namespace pptpx::ppp
