// Where authentication machines get their random bytes (CHAP challenges, MS-CHAPv2 peer
// challenges, first identifiers). An interface so tests inject known challenges (RFC examples,
// captured sessions); production uses OpenSSL's CSPRNG.
#pragma once
#include "util/bytes.hpp"

namespace pptpx::ppp {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `out` completely. Implementations that cannot must not return normally.
  virtual void fill(MutableByteView out) = 0;
};

// OpenSSL RAND_bytes. Throws std::runtime_error if the CSPRNG fails (a process-level fault:
// authenticating with predictable challenges would be worse than stopping).
class OpenSslRandomSource final : public RandomSource {
 public:
  void fill(MutableByteView out) override;
};

// A process-wide OpenSslRandomSource for callers that have no source of their own.
RandomSource& default_random_source();

}  // namespace pptpx::ppp
