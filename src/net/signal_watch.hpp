// Calls a callback on each delivery of one signal (SIGUSR1: reopen the accounting log), on the
// event loop's thread, for the watch's life. The signal's default action (SIGUSR1: terminate)
// no longer applies while the watch exists.
#pragma once
#include <functional>
#include <memory>

#include <asio/io_context.hpp>

namespace pptpx::net {

class SignalWatch {
 public:
  SignalWatch(asio::io_context& io, int signo, std::function<void()> on_signal);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;
  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace pptpx::net
