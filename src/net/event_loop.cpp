#include "net/event_loop.hpp"

#include <csignal>

#include <asio/post.hpp>
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
  State(asio::io_context& io, int fd, std::function<bool()> cb) : descriptor(io, fd), on_readable(std::move(cb)) {}
  asio::posix::stream_descriptor descriptor;
  std::function<bool()> on_readable;  // true: stopped before the fd was drained
  bool stopped = false;
};

namespace {
void wait_readable(const std::shared_ptr<ReadableWatch::State>& s);
void read_now(const std::shared_ptr<ReadableWatch::State>& s);
}

ReadableWatch::ReadableWatch(asio::io_context& io, int fd, std::function<void()> on_readable)
    : state_(std::make_shared<State>(io, fd, [cb = std::move(on_readable)] {
        cb();
        return false;
      })) {
  wait_readable(state_);
}

ReadableWatch::ReadableWatch(asio::io_context& io, int fd, Bounded, std::function<bool()> on_readable)
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
void read_now(const std::shared_ptr<ReadableWatch::State>& s) {
  const bool more = s->on_readable();
  if (s->stopped) return;
  if (!more) {
    wait_readable(s);
    return;
  }
  // Not drained: queue behind the handlers that are ready now (timers, TCP, TUN), then go on.
  asio::post(s->descriptor.get_executor(), [s] {
    if (!s->stopped) read_now(s);
  });
}

void wait_readable(const std::shared_ptr<ReadableWatch::State>& s) {
  s->descriptor.async_wait(asio::posix::stream_descriptor::wait_read, [s](const std::error_code& ec) {
    if (ec || s->stopped) return;
    read_now(s);
  });
}
}  // namespace

struct DeadlineTimer::State {
  State(asio::io_context& io, std::function<void(Time)> cb) : timer(io), on_expiry(std::move(cb)) {}
  asio::steady_timer timer;
  std::function<void(Time)> on_expiry;
  std::optional<Time> armed;         // the deadline the owner asked for
  std::optional<Time> waiting_until; // what the pending Asio wait is set to, if one is pending
  std::uint64_t generation = 0;      // tells a stale completion from the current one
};

namespace {
// Starts an Asio wait until `until`. When it completes and the owner's deadline has since moved
// later, it waits again instead of calling back early.
void start_wait(const std::shared_ptr<DeadlineTimer::State>& s, Time until) {
  const std::uint64_t gen = ++s->generation;
  s->waiting_until = until;
  s->timer.expires_at(until);
  s->timer.async_wait([s, gen](const std::error_code& ec) {
    if (ec || gen != s->generation) return;
    s->waiting_until.reset();
    if (!s->armed) return;
    const Time now = Clock::now();
    if (*s->armed > now) {
      start_wait(s, *s->armed);
      return;
    }
    s->armed.reset();
    s->on_expiry(now);
  });
}
}  // namespace

DeadlineTimer::DeadlineTimer(asio::io_context& io, std::function<void(Time)> on_expiry)
    : state_(std::make_shared<State>(io, std::move(on_expiry))) {}

DeadlineTimer::~DeadlineTimer() { cancel(); }

void DeadlineTimer::arm(Time when) {
  state_->armed = when;
  // A deadline that moves later (the common case: keepalive and acknowledgement timers pushed
  // back by traffic) leaves the pending wait alone; its completion waits again for the rest.
  // Re-arming the Asio timer would cost a timerfd_settime system call per packet.
  if (state_->waiting_until && *state_->waiting_until <= when) return;
  start_wait(state_, when);
}

void DeadlineTimer::cancel() {
  ++state_->generation;
  state_->armed.reset();
  state_->waiting_until.reset();
  state_->timer.cancel();
}

std::optional<Time> DeadlineTimer::armed() const { return state_->armed; }

}  // namespace pptpx::net
