// TcpStream's bounded send queue (issue 19 item 2): a peer that never reads cannot make it grow
// past max_pending(); the stream closes, frees the queue and reports kSendQueueFull from the loop.
#include <gtest/gtest.h>

#include <asio/post.hpp>

#include "net/event_loop.hpp"
#include "net/tcp_listener.hpp"

namespace pptpx::net {
namespace {

struct Pair {
  EventLoop loop;
  std::shared_ptr<TcpStream> server_side;
  std::vector<std::error_code> closes;
  asio::ip::tcp::socket peer{loop.io()};  // never reads
  DeadlineTimer guard{loop.io(), [this](Time) { loop.stop(); }};
  TcpListener listener{loop.io(), "127.0.0.1", 0, [this](asio::ip::tcp::socket s) {
                         server_side = TcpStream::make(
                             std::move(s), [](ByteView) {},
                             [this](const std::error_code& ec) {
                               closes.push_back(ec);
                               loop.stop();
                             });
                         server_side->start();
                         loop.stop();
                       }};
  Pair() {
    peer.connect({asio::ip::make_address("127.0.0.1"), listener.port()});
    run();
  }
  void run() {  // until a callback stops the loop, at most 5 s
    guard.arm(Clock::now() + std::chrono::seconds(5));
    loop.run();
    loop.io().restart();
  }
};

TEST(TcpStreamQueue, ClosesPastTheBoundAndSaysWhy) {
  Pair p;
  ASSERT_TRUE(p.server_side);
  EXPECT_EQ(p.server_side->max_pending(), 64u * 1024u);
  const Bytes chunk(4096, 0x5A);
  // Sent in one go, without the loop running: nothing is acknowledged as written, so all of it
  // counts as pending. 16 x 4 KiB is exactly the bound: still open.
  for (int i = 0; i < 16; ++i) p.server_side->send(chunk);
  EXPECT_EQ(p.server_side->pending_bytes(), 64u * 1024u);
  EXPECT_TRUE(p.closes.empty());
  p.server_side->send(chunk);  // one more: past the bound
  EXPECT_EQ(p.server_side->pending_bytes(), 0u);  // the queue is gone at once
  EXPECT_TRUE(p.closes.empty());                  // reported from the loop, not from send()
  p.run();
  ASSERT_EQ(p.closes.size(), 1u);
  EXPECT_EQ(p.closes[0], TcpStream::send_queue_full());
  p.server_side->send(chunk);  // ignored after close
  EXPECT_EQ(p.server_side->pending_bytes(), 0u);
}

TEST(TcpStreamQueue, OwnerCloseSilencesTheReport) {
  Pair p;
  ASSERT_TRUE(p.server_side);
  p.server_side->set_max_pending(1000);
  p.server_side->send(Bytes(1001, 1));
  p.server_side->close();  // the owner is going away: no callback may reach it
  asio::post(p.loop.io(), [&] { asio::post(p.loop.io(), [&] { p.loop.stop(); }); });
  p.run();
  EXPECT_TRUE(p.closes.empty());
}

}  // namespace
}  // namespace pptpx::net
