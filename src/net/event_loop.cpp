#include "net/event_loop.hpp"

#include <csignal>

#include <asio/posix/stream_descriptor.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

namespace pptpx::net {

struct EventLoop::Signals {
  explicit Signals(asio::io_context& io) : set(io, SIGTERM, SIGINT, SIGHUP) {}
  asio::signal_set set;
  std::function<void(int)> on_stop;
  std::function<void()> on_reload;
};

namespace {
void wait_signal(const std::shared_ptr<void>& keep, asio::signal_set& set, std::function<void(int)> handle) {
  set.async_wait([keep, &set, handle](const std::error_code& ec, int signo) {
    if (ec) return;  // cancelled: the loop is going away
    handle(signo);
    wait_signal(keep, set, handle);
  });
}
}  // namespace

void EventLoop::run() {
  // run() returns when stopped; restart() lets a stopped loop run again (tests reuse loops).
  io_.restart();
  io_.run();
}

void EventLoop::handle_signals(std::function<void(int)> on_stop, std::function<void()> on_reload) {
  signals_ = std::make_shared<Signals>(io_);
  signals_->on_stop = std::move(on_stop);
  signals_->on_reload = std::move(on_reload);
  Signals* s = signals_.get();
  wait_signal(signals_, s->set, [s](int signo) {
    if (signo == SIGHUP) {
      if (s->on_reload) s->on_reload();
    } else if (s->on_stop) {
      s->on_stop(signo);
    }
  });
}

struct ReadableWatch::State {
  State(asio::io_context& io, int fd, std::function<void()> cb) : descriptor(io, fd), on_readable(std::move(cb)) {}
  asio::posix::stream_descriptor descriptor;
  std::function<void()> on_readable;
  bool stopped = false;
};

namespace {
void wait_readable(const std::shared_ptr<ReadableWatch::State>& s);
}

ReadableWatch::ReadableWatch(asio::io_context& io, int fd, std::function<void()> on_readable)
    : state_(std::make_shared<State>(io, fd, std::move(on_readable))) {
  wait_readable(state_);
}

ReadableWatch::~ReadableWatch() {
  state_->stopped = true;
  std::error_code ignored;
  state_->descriptor.cancel(ignored);
  state_->descriptor.release();  // the fd belongs to its owner (TunDevice, GreSocket)
}

namespace {
void wait_readable(const std::shared_ptr<ReadableWatch::State>& s) {
  s->descriptor.async_wait(asio::posix::stream_descriptor::wait_read, [s](const std::error_code& ec) {
    if (ec || s->stopped) return;
    s->on_readable();
    if (!s->stopped) wait_readable(s);
  });
}
}  // namespace

struct DeadlineTimer::State {
  State(asio::io_context& io, std::function<void(Time)> cb) : timer(io), on_expiry(std::move(cb)) {}
  asio::steady_timer timer;
  std::function<void(Time)> on_expiry;
  std::optional<Time> armed;
  std::uint64_t generation = 0;  // tells a stale completion from the current one
};

DeadlineTimer::DeadlineTimer(asio::io_context& io, std::function<void(Time)> on_expiry)
    : state_(std::make_shared<State>(io, std::move(on_expiry))) {}

DeadlineTimer::~DeadlineTimer() { cancel(); }

void DeadlineTimer::arm(Time when) {
  auto s = state_;
  const std::uint64_t gen = ++s->generation;
  s->armed = when;
  s->timer.expires_at(when);
  s->timer.async_wait([s, gen](const std::error_code& ec) {
    if (ec || gen != s->generation) return;
    s->armed.reset();
    s->on_expiry(Clock::now());
  });
}

void DeadlineTimer::cancel() {
  ++state_->generation;
  state_->armed.reset();
  state_->timer.cancel();
}

std::optional<Time> DeadlineTimer::armed() const { return state_->armed; }

}  // namespace pptpx::net
