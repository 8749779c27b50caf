#include "ppp/auth_remote.hpp"

namespace pptpx::ppp {

void PendingRemoteVerdict::ask(RemoteVerifier& verifier, RemoteAuthRequest request, std::optional<Time>& deadline) {
  verdict_.reset();
  ticket_ = verifier.ask(std::move(request), [this, &deadline](RemoteAuthVerdict v) {
    verdict_ = std::move(v);
    deadline = kDueNow;
  });
}

RemoteAuthVerdict PendingRemoteVerdict::take() {
  RemoteAuthVerdict v = std::move(*verdict_);
  verdict_.reset();
  ticket_.reset();
  return v;
}

}  // namespace pptpx::ppp
