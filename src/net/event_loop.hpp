// The event loop: standalone Asio's io_context plus the few watchers the shells need —
// "this fd is readable" (TUN, raw GRE socket), one-shot deadlines for the protocol cores'
// timers, and SIGTERM/SIGINT (stop) / SIGHUP (reload). Single-threaded: every callback runs on
// the thread that called run().
//
// Lifetimes: each watcher keeps its Asio object in shared state captured by the pending
// handler, so destroying a watcher while an operation is pending is safe (the handler sees the
// cancellation and does nothing).
#pragma once
#include <functional>
#include <memory>
#include <optional>

#include <asio/io_context.hpp>

#include "util/time.hpp"

namespace pptpx::net {

class EventLoop {
 public:
  EventLoop() = default;
  asio::io_context& io() { return io_; }
  // Runs until stop() or until nothing is left to wait for.
  void run();
  void stop() { io_.stop(); }
  // Installs the signal handlers: SIGTERM and SIGINT call on_stop, SIGHUP calls on_reload. The
  // handlers stay installed (re-armed after each signal) for the loop's life.
  void handle_signals(std::function<void(int signal)> on_stop, std::function<void()> on_reload);

 private:
  asio::io_context io_{1};
  struct Signals;
  std::shared_ptr<Signals> signals_;
};

// Calls on_readable() every time `fd` is readable. The callback must read until EAGAIN (the
// watch is edge-free but re-arms only after the callback returns). Does not own or close `fd`.
// Bounded reading (issue 19): a callback that stops early, so that one flooded socket cannot
// starve timers, TCP and the other descriptors, returns true ("more to read"); it is then called
// again after the handlers that are ready by then (an asio::post, not another wait).
class ReadableWatch {
 public:
  struct Bounded {};
  ReadableWatch(asio::io_context& io, int fd, std::function<void()> on_readable);
  ReadableWatch(asio::io_context& io, int fd, Bounded, std::function<bool()> on_readable);
  ~ReadableWatch();
  ReadableWatch(const ReadableWatch&) = delete;
  ReadableWatch& operator=(const ReadableWatch&) = delete;

  struct State;  // implementation detail (shared with the pending handler)

 private:
  std::shared_ptr<State> state_;
};

// One deadline at a time (the protocol cores report "call me at T"): arm() replaces the earlier
// deadline; on expiry the callback gets the current time, never before the deadline. A deadline
// moved later keeps the pending Asio wait (which then waits again for the rest), so pushing a
// timer back on every packet costs no system call.
class DeadlineTimer {
 public:
  DeadlineTimer(asio::io_context& io, std::function<void(Time now)> on_expiry);
  ~DeadlineTimer();
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;
  void arm(Time when);
  void cancel();
  std::optional<Time> armed() const;
  struct State;  // implementation detail (shared with the pending handler)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace pptpx::net
