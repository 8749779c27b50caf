// Real bytes: the five shared captures of pptp-linux (client, 192.0.2.3, PNS) talking to pptpd
// (server, 192.0.2.2, PAC). Every control message and GRE header must decode; the expected values
// below were read with `tshark -r <file>` (pptp.control_message_type, pptp.call_id, gre.*), not
// from our code.
#include <gtest/gtest.h>

#include "pptp/control_codec.hpp"
#include "pptp/control_connection.hpp"
#include "pptp/gre_channel.hpp"
#include "pptp/gre_header.hpp"
#include "pptp/gre_window.hpp"
#include "support/capture.hpp"
#include "support/test_paths.hpp"

namespace pptpx::pptp {
namespace {

constexpr std::uint32_t kClient = test::ipv4(192, 0, 2, 3);
constexpr std::uint32_t kServer = test::ipv4(192, 0, 2, 2);

struct Expect {
  const char* file;
  std::uint16_t client_call_id;  // OCRQ Call ID (tshark pptp.call_id, frame 8)
  std::size_t gre_from_client, gre_from_server;
  std::size_t data_from_client, data_from_server;  // S bit set; the rest are ack-only
  std::uint32_t last_seq_from_client, last_seq_from_server;
};
// tshark: client numbers GRE from 1, server (pptpd) from 0; pptpd's Call ID is 0.
constexpr Expect kCaptures[] = {
    {"chapmd5-plain.pcap", 24187, 21, 17, 14, 15, 14, 14},
    {"mschapv1-mppe128.pcap", 25809, 25, 19, 16, 17, 16, 16},
    {"mschapv2-mppe128.pcap", 64652, 25, 20, 16, 17, 16, 16},
    {"mschapv2-mppe40.pcap", 951, 24, 19, 16, 17, 16, 16},
    {"pap-plain.pcap", 36101, 20, 16, 14, 14, 14, 13},
};

void PrintTo(const Expect& e, std::ostream* os) { *os << e.file; }

class PptpCapture : public ::testing::TestWithParam<Expect> {
 protected:
  void SetUp() override { packets_ = test::read_capture(test::capture_path(GetParam().file)); }
  std::vector<test::CapturedPacket> packets_;
};

struct NullSink : GreDeliverySink {
  std::size_t n = 0;
  void deliver(std::uint32_t, ByteView) override { ++n; }
};

// Hands out one fixed Call ID, so our PNS can stand in for the captured client.
struct FixedCallId final : CallIdAllocator {
  explicit FixedCallId(std::uint16_t v) : id(v) {}
  std::optional<std::uint16_t> allocate() override {
    if (used) return std::nullopt;
    used = true;
    return id;
  }
  void release(std::uint16_t) override { used = false; }
  bool in_use(std::uint16_t v) const override { return used && v == id; }
  std::uint16_t id;
  bool used = false;
};

TEST_P(PptpCapture, ControlMessagesDecodeInTsharkOrder) {
  const auto& e = GetParam();
  ControlStream from_client, from_server;
  std::vector<std::uint16_t> order;  // all control messages, in capture order
  std::vector<ControlMessage> msgs;
  for (const auto& p : packets_) {
    if (p.ip_protocol != 6) continue;
    ASSERT_TRUE(p.src_port == 1723 || p.dst_port == 1723);
    auto& s = p.src == kClient ? from_client : from_server;
    s.append(p.payload);
    for (;;) {
      auto n = s.next();
      ASSERT_NE(n.status, ControlStream::Status::Fatal) << n.reason;
      if (n.status == ControlStream::Status::NeedMore) break;
      auto r = decode(n.frame);
      ASSERT_TRUE(r.ok()) << "frame " << p.index << ": " << r.reason;
      order.push_back(static_cast<std::uint16_t>(type_of(*r.message)));
      msgs.push_back(*r.message);
    }
  }
  // tshark pptp.control_message_type, frames 4, 6, 8, 10: SCCRQ, SCCRP, OCRQ, OCRP.
  ASSERT_EQ(order, (std::vector<std::uint16_t>{1, 2, 7, 8}));
  EXPECT_EQ(from_client.buffered(), 0u);
  EXPECT_EQ(from_server.buffered(), 0u);
  const auto& sccrq = std::get<StartControlConnectionRequest>(msgs[0]);
  EXPECT_EQ(sccrq.host_name, "local");
  EXPECT_EQ(sccrq.vendor, "cananian");
  const auto& sccrp = std::get<StartControlConnectionReply>(msgs[1]);
  EXPECT_EQ(sccrp.result_code, 1);
  EXPECT_EQ(sccrp.vendor, "linux");
  EXPECT_EQ(std::get<OutgoingCallRequest>(msgs[2]).call_id, e.client_call_id);
  const auto& ocrp = std::get<OutgoingCallReply>(msgs[3]);
  EXPECT_EQ(ocrp.call_id, 0);
  EXPECT_EQ(ocrp.peer_call_id, e.client_call_id);
  EXPECT_EQ(ocrp.result_code, 1);
}

TEST_P(PptpCapture, OurPacAnswersTheCapturedClient) {
  const auto& e = GetParam();
  SequentialCallIdAllocator ids;
  ControlConfig c;
  c.role = Role::Pac;
  ControlConnection pac(c, ids);
  const Time now = Time{} + 1s;
  pac.start(now);
  for (const auto& p : packets_) {
    if (p.ip_protocol == 6 && p.src == kClient) pac.receive(p.payload, now);
  }
  EXPECT_EQ(pac.state(), ControlState::Established);
  std::vector<CallUp> ups;
  for (auto& ev : pac.take_events()) {
    if (auto* u = std::get_if<CallUp>(&ev)) ups.push_back(*u);
    EXPECT_FALSE(std::holds_alternative<Closed>(ev));
    EXPECT_FALSE(std::holds_alternative<Warning>(ev));
  }
  ASSERT_EQ(ups.size(), 1u);
  EXPECT_EQ(ups[0].peer_call_id, e.client_call_id);
}

TEST_P(PptpCapture, OurPnsAcceptsTheCapturedServer) {
  const auto& e = GetParam();
  FixedCallId ids(e.client_call_id);
  ControlConfig c;
  c.role = Role::Pns;
  c.originate = true;
  ControlConnection pns(c, ids);
  const Time now = Time{} + 1s;
  pns.start(now);
  bool placed = false;
  for (const auto& p : packets_) {
    if (p.ip_protocol != 6 || p.src != kServer) continue;
    pns.receive(p.payload, now);
    if (pns.state() == ControlState::Established && !placed) {
      ASSERT_EQ(pns.place_outgoing_call({}, now), e.client_call_id);
      placed = true;
    }
  }
  std::vector<CallUp> ups;
  for (auto& ev : pns.take_events()) {
    if (auto* u = std::get_if<CallUp>(&ev)) ups.push_back(*u);
  }
  ASSERT_EQ(ups.size(), 1u);
  EXPECT_EQ(ups[0].peer_call_id, 0);  // pptpd's Call ID
  EXPECT_EQ(ups[0].local_call_id, e.client_call_id);
}

TEST_P(PptpCapture, EveryGreHeaderDecodesAndSequencesAreClean) {
  const auto& e = GetParam();
  std::size_t from_client = 0, from_server = 0, data_client = 0, data_server = 0;
  std::optional<std::uint32_t> first_client, first_server;
  GreReceiveWindow at_server, at_client;  // what each end's receive window would see
  GreSendWindow server_tx(0), client_tx(1);  // first numbers as tshark shows them
  NullSink sink_server, sink_client;
  const Time now = Time{} + 1s;
  for (const auto& p : packets_) {
    if (p.ip_protocol != 47) continue;
    auto d = decode_gre(p.payload);
    ASSERT_TRUE(d.ok()) << "frame " << p.index << ": " << to_string(d.error);
    const bool client = p.src == kClient;
    ASSERT_TRUE(client || p.src == kServer);
    // The key carries the receiver's Call ID: pptpd's is 0, the client's from its OCRQ.
    EXPECT_EQ(d.header.call_id, client ? 0 : e.client_call_id) << "frame " << p.index;
    (client ? from_client : from_server)++;
    if (d.header.sequence) {
      (client ? data_client : data_server)++;
      auto& first = client ? first_client : first_server;
      if (!first) first = *d.header.sequence;
      auto& tx = client ? client_tx : server_tx;
      EXPECT_EQ(tx.next_sequence(), *d.header.sequence) << "frame " << p.index;
      (client ? at_server : at_client).on_data(*d.header.sequence, d.payload, now,
                                               client ? sink_server : sink_client);
    }
    if (d.header.ack) {
      // An ack from the client acknowledges server data, and the other way round.
      EXPECT_TRUE((client ? server_tx : client_tx).on_ack(*d.header.ack)) << "frame " << p.index;
    }
  }
  EXPECT_EQ(from_client, e.gre_from_client);
  EXPECT_EQ(from_server, e.gre_from_server);
  EXPECT_EQ(data_client, e.data_from_client);
  EXPECT_EQ(data_server, e.data_from_server);
  EXPECT_EQ(first_client, 1u);  // both starting points exist in the field
  EXPECT_EQ(first_server, 0u);
  EXPECT_EQ(at_server.last_delivered(), e.last_seq_from_client);
  EXPECT_EQ(at_client.last_delivered(), e.last_seq_from_server);
  for (const auto* w : {&at_server, &at_client}) {
    EXPECT_EQ(w->counters().lost, 0u);
    EXPECT_EQ(w->counters().duplicate, 0u);
    EXPECT_EQ(w->counters().stale, 0u);
  }
  EXPECT_EQ(sink_server.n, e.data_from_client);
  EXPECT_EQ(sink_client.n, e.data_from_server);
}

TEST_P(PptpCapture, OurGreChannelsAcceptEveryCapturedPacket) {
  const auto& e = GetParam();
  GreChannel server(0, e.client_call_id), client(e.client_call_id, 0);
  NullSink to_server, to_client;
  const Time now = Time{} + 1s;
  for (const auto& p : packets_) {
    if (p.ip_protocol != 47) continue;
    auto& ch = p.src == kClient ? server : client;
    EXPECT_EQ(ch.receive(p.payload, now, p.src == kClient ? to_server : to_client),
              GreError::None)
        << "frame " << p.index;
  }
  EXPECT_EQ(server.counters().rx_packets, e.gre_from_client);
  EXPECT_EQ(server.counters().rx_data, e.data_from_client);
  EXPECT_EQ(client.counters().rx_data, e.data_from_server);
  EXPECT_EQ(to_server.n, e.data_from_client);
  EXPECT_EQ(to_client.n, e.data_from_server);
}

INSTANTIATE_TEST_SUITE_P(SharedCaptures, PptpCapture, ::testing::ValuesIn(kCaptures),
                         [](const ::testing::TestParamInfo<Expect>& param_info) {
                           std::string n = param_info.param.file;
                           for (auto& ch : n) {
                             if (ch == '-' || ch == '.') ch = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace pptpx::pptp
