#include "net/signal_watch.hpp"

#include <asio/signal_set.hpp>

namespace pptpx::net {

struct SignalWatch::State {
  State(asio::io_context& io, int signo, std::function<void()> cb) : set(io, signo), on_signal(std::move(cb)) {}
  asio::signal_set set;
  std::function<void()> on_signal;
};

namespace {
void wait(const std::shared_ptr<SignalWatch::State>& s) {
  s->set.async_wait([s](const std::error_code& ec, int) {
    if (ec) return;  // cancelled: the watch is gone
    s->on_signal();
    wait(s);
  });
}
}  // namespace

SignalWatch::SignalWatch(asio::io_context& io, int signo, std::function<void()> on_signal)
    : state_(std::make_shared<State>(io, signo, std::move(on_signal))) {
  wait(state_);
}

SignalWatch::~SignalWatch() {
  std::error_code ec;
  state_->set.cancel(ec);
  state_->on_signal = [] {};
}

}  // namespace pptpx::net
