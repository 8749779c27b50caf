// Where a PPP protocol machine puts the frames it wants sent. The link owns framing
// (address/control, protocol-field compression) and encryption; machines only hand it
// (protocol, information field).
#pragma once
#include <cstdint>

#include "ppp/protocols.hpp"
#include "util/bytes.hpp"

namespace pptpx::ppp {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void send_frame(Protocol protocol, ByteView information) = 0;
};

}  // namespace pptpx::ppp
