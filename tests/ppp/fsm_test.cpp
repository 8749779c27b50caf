// The RFC 1661 §4.1 state transition table, copied verbatim from the RFC, drives this test: for
// every (state, event) cell the automaton is brought into the state through real packets, the
// event is applied (as a packet, a timer expiry or an administrative call), and the observed
// actions and new state are compared with the cell.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "ppp/control_packet.hpp"
#include "ppp/fsm.hpp"

namespace pptpx::ppp {
namespace {

// RFC 1661 §4.1, both halves, as printed.
constexpr const char* kTableLeft = R"(
 Up   |    2     irc,scr/6     -         -         -         -
 Down |    -         -         0       tls/1       0         1
 Open |  tls/1       1     irc,scr/6     3r        5r        5r
 Close|    0       tlf/0       2         2         4         4
  TO+ |    -         -         -         -       str/4     str/5
  TO- |    -         -         -         -       tlf/2     tlf/3
 RCR+ |    -         -       sta/2 irc,scr,sca/8   4         5
 RCR- |    -         -       sta/2 irc,scr,scn/6   4         5
 RCA  |    -         -       sta/2     sta/3       4         5
 RCN  |    -         -       sta/2     sta/3       4         5
 RTR  |    -         -       sta/2     sta/3     sta/4     sta/5
 RTA  |    -         -         2         3       tlf/2     tlf/3
 RUC  |    -         -       scj/2     scj/3     scj/4     scj/5
 RXJ+ |    -         -         2         3         4         5
 RXJ- |    -         -       tlf/2     tlf/3     tlf/2     tlf/3
 RXR  |    -         -         2         3         4         5
)";
constexpr const char* kTableRight = R"(
 Up   |    -         -         -           -
 Down |    1         1         1         tld/1
 Open |    6         7         8           9r
 Close|irc,str/4 irc,str/4 irc,str/4 tld,irc,str/4
  TO+ |  scr/6     scr/6     scr/8         -
  TO- |  tlf/3p    tlf/3p    tlf/3p        -
 RCR+ |  sca/8   sca,tlu/9   sca/8   tld,scr,sca/8
 RCR- |  scn/6     scn/7     scn/6   tld,scr,scn/6
 RCA  |  irc/7     scr/6x  irc,tlu/9   tld,scr/6x
 RCN  |irc,scr/6   scr/6x  irc,scr/8   tld,scr/6x
 RTR  |  sta/6     sta/6     sta/6   tld,zrc,sta/5
 RTA  |    6         6         8       tld,scr/6
 RUC  |  scj/6     scj/7     scj/8       scj/9
 RXJ+ |    6         6         8           9
 RXJ- |  tlf/3     tlf/3     tlf/3   tld,irc,str/5
 RXR  |    6         7         8         ser/9
)";

struct Cell {
  std::string event;
  int state = 0;
  bool illegal = false;
  std::vector<std::string> actions;  // observable ones (irc/zrc are internal)
  int next = 0;
};

std::vector<Cell> parse_table() {
  std::vector<Cell> cells;
  auto parse_half = [&](const char* text, int first_state) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      auto bar = line.find('|');
      if (bar == std::string::npos) continue;
      std::string event = line.substr(0, bar);
      event.erase(std::remove(event.begin(), event.end(), ' '), event.end());
      std::istringstream cols(line.substr(bar + 1));
      std::string cell;
      int s = first_state;
      while (cols >> cell) {
        Cell c;
        c.event = event;
        c.state = s;
        if (cell == "-") {
          c.illegal = true;
          c.next = s;
        } else {
          std::string acts;
          std::string st = cell;
          if (auto slash = cell.find('/'); slash != std::string::npos) {
            acts = cell.substr(0, slash);
            st = cell.substr(slash + 1);
          }
          while (!st.empty() && std::isalpha(static_cast<unsigned char>(st.back()))) st.pop_back();  // r, p, x
          c.next = std::stoi(st);
          std::istringstream a(acts);
          std::string act;
          while (std::getline(a, act, ',')) {
            if (act != "irc" && act != "zrc") c.actions.push_back(act);
          }
          std::sort(c.actions.begin(), c.actions.end());
        }
        cells.push_back(c);
        ++s;
      }
    }
  };
  parse_half(kTableLeft, 0);
  parse_half(kTableRight, 6);
  return cells;
}

constexpr std::uint8_t kGoodOption = 1;
constexpr std::uint8_t kNakOption = 99;

class TestOptions final : public OptionsHandler {
 public:
  void reset_request() override {}
  void build_request(Bytes& options) override { append_option(options, kGoodOption, Bytes{0x01}); }
  OptionVerdict check_option(std::uint8_t type, ByteView, Bytes& nak) override {
    if (type == kGoodOption) return OptionVerdict::Ack;
    if (type == kNakOption) {
      nak = {0x01};
      return OptionVerdict::Nak;
    }
    return OptionVerdict::Reject;
  }
  void peer_request_acked(ByteView) override {}
  void nak_received(std::uint8_t, ByteView) override {}
  void reject_received(std::uint8_t, ByteView) override {}
};

class Recorder final : public FrameSink, public LayerObserver {
 public:
  std::vector<std::string> actions;
  std::vector<Bytes> sent;
  std::uint8_t last_request_id = 0;

  void send_frame(Protocol, ByteView info) override {
    sent.emplace_back(info.begin(), info.end());
    static const std::map<std::uint8_t, std::string> names{{1, "scr"}, {2, "sca"}, {3, "scn"}, {4, "scn"},
                                                           {5, "str"}, {6, "sta"}, {7, "scj"}, {10, "ser"}};
    auto it = names.find(info[0]);
    actions.push_back(it == names.end() ? "code" + std::to_string(info[0]) : it->second);
    if (info[0] == 1) last_request_id = info[1];
  }
  void this_layer_up(Fsm&, Time) override { actions.push_back("tlu"); }
  void this_layer_down(Fsm&, Time) override { actions.push_back("tld"); }
  void this_layer_started(Fsm&, Time) override { actions.push_back("tls"); }
  void this_layer_finished(Fsm&, Time) override { actions.push_back("tlf"); }
  bool extra_code(Fsm& fsm, const ControlPacket& p, Time) override {
    if (p.code < code::kProtocolReject || p.code > code::kDiscardRequest) return false;
    if (p.code == code::kEchoRequest && fsm.state() == FsmState::Opened) {
      fsm.send_packet(code::kEchoReply, p.identifier, p.data);
    }
    return true;
  }
};

Bytes packet(std::uint8_t c, std::uint8_t id, const Bytes& data) {
  Bytes out;
  build_control_packet(out, c, id, data);
  return out;
}
Bytes option(std::uint8_t type, std::uint8_t v) {
  Bytes o;
  append_option(o, type, Bytes{v});
  return o;
}

struct Harness {
  explicit Harness(FsmConfig cfg) : fsm(Protocol::Lcp, "LCP", options, rec, rec, cfg) {}
  TestOptions options;
  Recorder rec;
  Fsm fsm;
  Time now = Time{} + std::chrono::seconds(100);

  void rcr_good() { fsm.receive(packet(code::kConfigureRequest, 42, option(kGoodOption, 1)), now); }
  void rcr_bad() { fsm.receive(packet(code::kConfigureRequest, 43, option(kNakOption, 7)), now); }
  void rca() { fsm.receive(packet(code::kConfigureAck, rec.last_request_id, option(kGoodOption, 1)), now); }
  void rcn() { fsm.receive(packet(code::kConfigureNak, rec.last_request_id, option(kGoodOption, 2)), now); }
  void rxj_minus() { fsm.receive(packet(code::kCodeReject, 9, packet(code::kConfigureRequest, 1, {})), now); }
  void rxj_plus() { fsm.receive(packet(code::kCodeReject, 9, packet(code::kEchoRequest, 1, {0, 0, 0, 0})), now); }
  void timeout() {
    ASSERT_TRUE(fsm.deadline().has_value()) << "no restart timer in " << to_string(fsm.state());
    now = *fsm.deadline();
    fsm.on_timer(now);
  }

  void reach(int state) {
    switch (state) {
      case 0: break;
      case 1: fsm.open(now); break;
      case 2: fsm.up(now); break;
      case 3: reach(6), rxj_minus(); break;
      case 4: reach(6), fsm.close("test", now); break;
      case 5: reach(9), rxj_minus(); break;
      case 6: fsm.up(now), fsm.open(now); break;
      case 7: reach(6), rca(); break;
      case 8: reach(6), rcr_good(); break;
      case 9: reach(7), rcr_good(); break;
      default: FAIL();
    }
    ASSERT_EQ(static_cast<int>(fsm.state()), state) << "could not reach state " << state;
    rec.actions.clear();
  }

  void apply(const std::string& e) {
    if (e == "Up") fsm.up(now);
    else if (e == "Down") fsm.down(now);
    else if (e == "Open") fsm.open(now);
    else if (e == "Close") fsm.close("test", now);
    else if (e == "TO+" || e == "TO-") timeout();
    else if (e == "RCR+") rcr_good();
    else if (e == "RCR-") rcr_bad();
    else if (e == "RCA") rca();
    else if (e == "RCN") rcn();
    else if (e == "RTR") fsm.receive(packet(code::kTerminateRequest, 77, {}), now);
    else if (e == "RTA") fsm.receive(packet(code::kTerminateAck, 78, {}), now);
    else if (e == "RUC") fsm.receive(packet(99, 79, {1, 2, 3}), now);
    else if (e == "RXJ+") rxj_plus();
    else if (e == "RXJ-") rxj_minus();
    else if (e == "RXR") fsm.receive(packet(code::kEchoRequest, 80, {0xde, 0xad, 0xbe, 0xef}), now);
    else FAIL() << "unknown event " << e;
  }
};

TEST(FsmTable, TableHasAllCells) {
  auto cells = parse_table();
  EXPECT_EQ(cells.size(), 16u * 10u);  // 16 events x 10 states
}

TEST(FsmTable, EveryCellMatchesRfc1661) {
  for (const Cell& c : parse_table()) {
    if (c.illegal && (c.event == "TO+" || c.event == "TO-")) continue;  // no timer: cannot occur
    SCOPED_TRACE("event " + c.event + " in state " + std::to_string(c.state));
    FsmConfig cfg;
    if (c.event == "TO-") {
      cfg.max_configure = 0;  // every timeout is TO- (counter exhausted)
      cfg.max_terminate = 0;
    }
    Harness h(cfg);
    h.reach(c.state);
    if (::testing::Test::HasFatalFailure()) return;
    h.apply(c.event);
    std::vector<std::string> got = h.rec.actions;
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, c.actions);
    EXPECT_EQ(static_cast<int>(h.fsm.state()), c.next);
  }
}

TEST(Fsm, RestartTimerStopsOutsideTimerStates) {
  Harness h({});
  h.reach(9);
  EXPECT_FALSE(h.fsm.deadline().has_value());  // Opened: no TO events in the table
  h.fsm.close("bye", h.now);
  ASSERT_TRUE(h.fsm.deadline().has_value());
  EXPECT_EQ(*h.fsm.deadline(), h.now + std::chrono::seconds(3));
}

TEST(Fsm, MaxConfigureTransmissionsThenStoppedWithReason) {
  Harness h({});
  h.reach(6);
  int requests = 1;
  while (h.fsm.state() == FsmState::ReqSent) {
    h.rec.actions.clear();
    h.timeout();
    if (!h.rec.actions.empty() && h.rec.actions[0] == "scr") ++requests;
  }
  EXPECT_EQ(requests, 10);  // RFC 1661 §4.6 Max-Configure default 10
  EXPECT_EQ(h.fsm.state(), FsmState::Stopped);
  EXPECT_NE(h.fsm.failure_reason().find("10 Configure-Requests"), std::string::npos) << h.fsm.failure_reason();
}

TEST(Fsm, MaxTerminateTransmissionsThenClosed) {
  Harness h({});
  h.reach(9);
  h.fsm.close("admin", h.now);
  int terminates = 1;
  while (h.fsm.state() == FsmState::Closing) {
    h.rec.actions.clear();
    h.timeout();
    if (!h.rec.actions.empty() && h.rec.actions[0] == "str") ++terminates;
  }
  EXPECT_EQ(terminates, 2);  // RFC 1661 §4.6 Max-Terminate default 2
  EXPECT_EQ(h.fsm.state(), FsmState::Closed);
}

TEST(Fsm, MaxFailureTurnsNakIntoReject) {
  Harness h({});
  h.reach(6);
  std::vector<std::uint8_t> codes;
  for (int i = 0; i < 7; ++i) {
    h.rcr_bad();
    codes.push_back(h.rec.sent.back()[0]);
  }
  // Five Naks (Max-Failure), then Rejects (RFC 1661 §4.6).
  std::vector<std::uint8_t> want{3, 3, 3, 3, 3, 4, 4};
  EXPECT_EQ(codes, want);
}

TEST(Fsm, PeerRepeatingRefusedOptionEndsWithReason) {
  Harness h({});
  h.reach(6);
  for (int i = 0; i < 20 && h.fsm.state() == FsmState::ReqSent; ++i) h.rcr_bad();
  EXPECT_EQ(h.fsm.state(), FsmState::Closing);
  EXPECT_NE(h.fsm.failure_reason().find("did not converge"), std::string::npos) << h.fsm.failure_reason();
  EXPECT_NE(h.fsm.failure_reason().find("option 99"), std::string::npos) << h.fsm.failure_reason();
}

TEST(Fsm, EndlessNaksFromPeerEndWithReason) {
  Harness h({});
  h.reach(6);
  for (int i = 0; i < 20 && h.fsm.state() == FsmState::ReqSent; ++i) h.rcn();
  EXPECT_EQ(h.fsm.state(), FsmState::Closing);
  EXPECT_NE(h.fsm.failure_reason().find("did not converge"), std::string::npos) << h.fsm.failure_reason();
}

TEST(Fsm, AckWithWrongIdentifierOrOptionsIsDiscarded) {
  Harness h({});
  h.reach(6);
  h.fsm.receive(packet(code::kConfigureAck, static_cast<std::uint8_t>(h.rec.last_request_id + 1),
                       option(kGoodOption, 1)),
                h.now);
  EXPECT_EQ(h.fsm.state(), FsmState::ReqSent);
  h.fsm.receive(packet(code::kConfigureAck, h.rec.last_request_id, option(kGoodOption, 2)), h.now);
  EXPECT_EQ(h.fsm.state(), FsmState::ReqSent);
  EXPECT_EQ(h.fsm.counters().bad_identifier, 1u);
  EXPECT_EQ(h.fsm.counters().ack_mismatch, 1u);
}

TEST(Fsm, MalformedPacketsAreCountedAndIgnored) {
  Harness h({});
  h.reach(6);
  h.fsm.receive(Bytes{1, 2, 0}, h.now);                  // shorter than the header
  h.fsm.receive(Bytes{1, 2, 0, 9, 1, 3}, h.now);         // Length beyond the bytes
  h.fsm.receive(Bytes{1, 2, 0, 6, 1, 9}, h.now);         // option Length past the packet
  h.fsm.receive(Bytes{1, 2, 0, 6, 1, 0}, h.now);         // option Length 0
  EXPECT_EQ(h.fsm.counters().malformed, 4u);
  EXPECT_EQ(h.fsm.state(), FsmState::ReqSent);
}

TEST(Fsm, PaddingAfterLengthIsIgnored) {
  Harness h({});
  h.reach(6);
  Bytes p = packet(code::kConfigureRequest, 42, option(kGoodOption, 1));
  p.push_back(0xAA);
  p.push_back(0xBB);
  h.fsm.receive(p, h.now);
  EXPECT_EQ(h.fsm.state(), FsmState::AckSent);
  EXPECT_EQ(h.rec.sent.back(), packet(code::kConfigureAck, 42, option(kGoodOption, 1)));
}

}  // namespace
}  // namespace pptpx::ppp
