#include "net/event_loop.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>

#include <asio/post.hpp>

#include "net/tcp_listener.hpp"
#include "net/unique_fd.hpp"

namespace pptpx::net {
namespace {

TEST(DeadlineTimer, RearmReplacesAndCancelSilences) {
  EventLoop loop;
  std::vector<int> fired;
  DeadlineTimer a(loop.io(), [&](Time) { fired.push_back(1); });
  DeadlineTimer b(loop.io(), [&](Time) { fired.push_back(2); });
  DeadlineTimer c(loop.io(), [&](Time) { fired.push_back(3); });
  const Time past = Clock::now() - std::chrono::seconds{1};
  a.arm(past + std::chrono::hours{1});
  a.arm(past);  // replaces the far deadline: fires once, now
  b.arm(past);
  b.cancel();
  c.arm(past);
  EXPECT_TRUE(c.armed().has_value());
  loop.run();  // returns when nothing is pending
  std::sort(fired.begin(), fired.end());
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
  EXPECT_FALSE(a.armed().has_value());
}

// A deadline pushed later while a wait is pending (keepalive and ack timers, on every packet)
// keeps the pending wait but must still fire only at the later deadline, exactly once.
TEST(DeadlineTimer, DeadlineMovedLaterFiresOnceAtTheLaterTime) {
  EventLoop loop;
  std::vector<Time> fired;
  DeadlineTimer t(loop.io(), [&](Time now) { fired.push_back(now); });
  const Time start = Clock::now();
  const Time first = start + std::chrono::milliseconds{20};
  const Time later = start + std::chrono::milliseconds{60};
  t.arm(first);
  t.arm(start + std::chrono::milliseconds{40});
  t.arm(later);
  loop.run();
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_GE(fired[0], later);
  EXPECT_FALSE(t.armed().has_value());
}

// Moved earlier after being pushed later: the earlier deadline wins.
TEST(DeadlineTimer, DeadlineMovedEarlierFiresAtTheEarlierTime) {
  EventLoop loop;
  std::vector<Time> fired;
  DeadlineTimer t(loop.io(), [&](Time now) { fired.push_back(now); });
  const Time start = Clock::now();
  t.arm(start + std::chrono::seconds{30});
  t.arm(start + std::chrono::milliseconds{10});
  loop.run();
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_GE(fired[0], start + std::chrono::milliseconds{10});
  EXPECT_LT(fired[0], start + std::chrono::seconds{10});
}

// Armed again from its own callback (the shells re-arm for the core's next deadline).
TEST(DeadlineTimer, RearmedFromItsCallbackFiresAgain) {
  EventLoop loop;
  int fired = 0;
  std::unique_ptr<DeadlineTimer> t;
  t = std::make_unique<DeadlineTimer>(loop.io(), [&](Time now) {
    if (++fired < 3) t->arm(now + std::chrono::milliseconds{1});
  });
  t->arm(Clock::now());
  loop.run();
  EXPECT_EQ(fired, 3);
}

TEST(DeadlineTimer, DestroyedWhileArmedIsSafe) {
  EventLoop loop;
  int fired = 0;
  {
    DeadlineTimer t(loop.io(), [&](Time) { ++fired; });
    t.arm(Clock::now());
  }
  loop.run();
  EXPECT_EQ(fired, 0);
}

TEST(ReadableWatch, CallsBackForEachBurstAndDoesNotCloseTheFd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  UniqueFd rd(fds[0]), wr(fds[1]);
  EventLoop loop;
  std::string got;
  {
    std::unique_ptr<ReadableWatch> watch;
    watch = std::make_unique<ReadableWatch>(loop.io(), rd.get(), [&] {
      char buf[16];
      const ssize_t n = ::read(rd.get(), buf, sizeof buf);
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
      if (got == "ab") {
        ASSERT_EQ(::write(wr.get(), "c", 1), 1);
      } else if (got == "abc") {
        loop.stop();
      }
    });
    ASSERT_EQ(::write(wr.get(), "ab", 2), 2);
    loop.run();
  }
  EXPECT_EQ(got, "abc");
  // The watch released the fd instead of closing it: it still reads.
  ASSERT_EQ(::write(wr.get(), "d", 1), 1);
  char c = 0;
  EXPECT_EQ(::read(rd.get(), &c, 1), 1);
  EXPECT_EQ(c, 'd');
}

TEST(ReadableWatch, BoundedReaderLetsOtherHandlersRunBetweenTurns) {
  // Issue 19: a reader that stops after one byte per turn (as the GRE handlers stop after
  // GreSocket::kBatchesPerTurn batches) on a pipe holding 5 bytes. A handler posted before the
  // first turn and a timer due at once must run before the last byte is read, and every byte
  // is read without new data arriving (no wait for another readiness edge).
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  UniqueFd rd(fds[0]), wr(fds[1]);
  EventLoop loop;
  std::string order;
  ASSERT_EQ(::write(wr.get(), "12345", 5), 5);
  ReadableWatch watch(loop.io(), rd.get(), ReadableWatch::Bounded{}, [&] {
    char c = 0;
    if (::read(rd.get(), &c, 1) != 1) return false;
    order += c;
    if (order.find('5') != std::string::npos) {
      loop.stop();
      return false;
    }
    return true;  // stopped early: more to read
  });
  DeadlineTimer timer(loop.io(), [&](Time) { order += 'T'; });
  timer.arm(Clock::now());
  asio::post(loop.io(), [&] { order += 'P'; });
  loop.run();
  EXPECT_EQ(order.back(), '5');
  EXPECT_EQ(std::count_if(order.begin(), order.end(), [](char c) { return c >= '1' && c <= '5'; }), 5);
  EXPECT_NE(order.find('P'), std::string::npos) << order;
  EXPECT_NE(order.find('T'), std::string::npos) << order;
  EXPECT_LT(order.find('P'), order.find('5')) << order;
  EXPECT_LT(order.find('T'), order.find('5')) << order;
}

TEST(EventLoop, SighupReloadsAndSigtermStops) {
  EventLoop loop;
  int reloads = 0;
  int stop_signal = 0;
  loop.handle_signals(
      [&](int s) {
        stop_signal = s;
        loop.stop();
      },
      [&] {
        ++reloads;
        ::raise(SIGTERM);
      });
  ::raise(SIGHUP);
  loop.run();
  EXPECT_EQ(reloads, 1);
  EXPECT_EQ(stop_signal, SIGTERM);
}

TEST(TcpListener, AcceptsAndStreamsBothWaysOnLoopback) {
  EventLoop loop;
  std::shared_ptr<TcpStream> server_side;
  std::string server_got, client_got;
  bool server_saw_close = false;
  TcpListener listener(loop.io(), "127.0.0.1", 0, [&](asio::ip::tcp::socket s) {
    server_side = TcpStream::make(
        std::move(s),
        [&](ByteView b) {
          server_got.append(b.begin(), b.end());
          if (server_got == "hello") {
            const std::uint8_t reply[] = {'w', 'o', 'r', 'l', 'd'};
            server_side->send(reply);
          }
        },
        [&](const std::error_code& ec) {
          server_saw_close = !ec;  // clean EOF
          loop.stop();
        });
    server_side->start();
  });
  ASSERT_TRUE(listener.ok()) << listener.error();
  ASSERT_NE(listener.port(), 0);

  asio::ip::tcp::socket client_sock(loop.io());
  client_sock.connect({asio::ip::make_address("127.0.0.1"), listener.port()});
  std::shared_ptr<TcpStream> client;
  client = TcpStream::make(
      std::move(client_sock),
      [&](ByteView b) {
        client_got.append(b.begin(), b.end());
        if (client_got == "world") client->close();
      },
      [&](const std::error_code&) {});
  client->start();
  const std::uint8_t hello[] = {'h', 'e', 'l', 'l', 'o'};
  client->send(hello);
  loop.run();
  EXPECT_EQ(server_got, "hello");
  EXPECT_EQ(client_got, "world");
  EXPECT_TRUE(server_saw_close);
}

TEST(TcpListener, BusyPortIsAClearError) {
  EventLoop loop;
  TcpListener first(loop.io(), "127.0.0.1", 0, [](asio::ip::tcp::socket) {});
  ASSERT_TRUE(first.ok());
  TcpListener second(loop.io(), "127.0.0.1", first.port(), [](asio::ip::tcp::socket) {});
  EXPECT_FALSE(second.ok());
  EXPECT_NE(second.error().find("cannot listen on 127.0.0.1 port " + std::to_string(first.port())), std::string::npos)
      << second.error();
  TcpListener bad(loop.io(), "not-an-ip", 1723, [](asio::ip::tcp::socket) {});
  EXPECT_NE(bad.error().find("fix [listen] address"), std::string::npos);
}

}  // namespace
}  // namespace pptpx::net
