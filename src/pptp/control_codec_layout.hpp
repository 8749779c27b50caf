// The body of every PPTP control message (RFC 2637 §2.1-§2.15) as one field table, the single
// description the codec (control_codec.cpp) both encodes and decodes from. Each row is a field of
// the RFC's figure, in wire order, after the 12-octet header (§2 rows 1-3, common to all).
// The codec checks at compile time that each table adds up to the RFC's fixed message length.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>

#include "pptp/control_message.hpp"

namespace pptpx::pptp::layout {

// A big-endian integer field; its wire width is the width of the struct member (1, 2 or 4).
template <class M, class T>
struct Int {
  explicit constexpr Int(T M::*m) : member(m) {}
  T M::*member;
};

// Octets the RFC marks Reserved: zeros on encode, ignored on decode (§1.4 leaves room).
struct Reserved {
  std::size_t size;
};

// A fixed-size text field: the string without its padding; zero-padded on encode, cut at the
// first NUL on decode (§2.1 "the remainder of this field should be filled with 0").
template <class M>
struct Text {
  explicit constexpr Text(std::string M::*m, std::size_t n) : member(m), size(n) {}
  std::string M::*member;
  std::size_t size;
};

// A 16-bit "... Number Length" field for a kNameFieldSize text field: derived from the text on
// encode, ignored on decode (peers disagree on it; the NUL padding is what we trust).
template <class M>
struct TextLength {
  explicit constexpr TextLength(std::string M::*m) : member(m) {}
  std::string M::*member;
};

template <class M>
struct Layout;  // one specialisation per message, its fields in wire order: `fields`

template <>
struct Layout<StartControlConnectionRequest> {  // §2.1
  using M = StartControlConnectionRequest;
  static constexpr auto fields = std::tuple{
      Int{&M::protocol_version}, Reserved{2}, Int{&M::framing_capabilities},
      Int{&M::bearer_capabilities}, Int{&M::maximum_channels}, Int{&M::firmware_revision},
      Text{&M::host_name, kNameFieldSize}, Text{&M::vendor, kNameFieldSize}};
};

template <>
struct Layout<StartControlConnectionReply> {  // §2.2
  using M = StartControlConnectionReply;
  static constexpr auto fields = std::tuple{
      Int{&M::protocol_version}, Int{&M::result_code}, Int{&M::error_code},
      Int{&M::framing_capabilities}, Int{&M::bearer_capabilities}, Int{&M::maximum_channels},
      Int{&M::firmware_revision}, Text{&M::host_name, kNameFieldSize},
      Text{&M::vendor, kNameFieldSize}};
};

template <>
struct Layout<StopControlConnectionRequest> {  // §2.3
  using M = StopControlConnectionRequest;
  static constexpr auto fields = std::tuple{Int{&M::reason}, Reserved{3}};
};

template <>
struct Layout<StopControlConnectionReply> {  // §2.4
  using M = StopControlConnectionReply;
  static constexpr auto fields = std::tuple{Int{&M::result_code}, Int{&M::error_code}, Reserved{2}};
};

template <>
struct Layout<EchoRequest> {  // §2.5
  using M = EchoRequest;
  static constexpr auto fields = std::tuple{Int{&M::identifier}};
};

template <>
struct Layout<EchoReply> {  // §2.6
  using M = EchoReply;
  static constexpr auto fields = std::tuple{
      Int{&M::identifier}, Int{&M::result_code}, Int{&M::error_code}, Reserved{2}};
};

template <>
struct Layout<OutgoingCallRequest> {  // §2.7
  using M = OutgoingCallRequest;
  static constexpr auto fields = std::tuple{
      Int{&M::call_id}, Int{&M::call_serial_number}, Int{&M::minimum_bps}, Int{&M::maximum_bps},
      Int{&M::bearer_type}, Int{&M::framing_type}, Int{&M::packet_recv_window_size},
      Int{&M::packet_processing_delay}, TextLength{&M::phone_number}, Reserved{2},
      Text{&M::phone_number, kNameFieldSize}, Text{&M::subaddress, kNameFieldSize}};
};

template <>
struct Layout<OutgoingCallReply> {  // §2.8
  using M = OutgoingCallReply;
  static constexpr auto fields = std::tuple{
      Int{&M::call_id}, Int{&M::peer_call_id}, Int{&M::result_code}, Int{&M::error_code},
      Int{&M::cause_code}, Int{&M::connect_speed}, Int{&M::packet_recv_window_size},
      Int{&M::packet_processing_delay}, Int{&M::physical_channel_id}};
};

template <>
struct Layout<IncomingCallRequest> {  // §2.9
  using M = IncomingCallRequest;
  static constexpr auto fields = std::tuple{
      Int{&M::call_id}, Int{&M::call_serial_number}, Int{&M::call_bearer_type},
      Int{&M::physical_channel_id}, TextLength{&M::dialed_number}, TextLength{&M::dialing_number},
      Text{&M::dialed_number, kNameFieldSize}, Text{&M::dialing_number, kNameFieldSize},
      Text{&M::subaddress, kNameFieldSize}};
};

template <>
struct Layout<IncomingCallReply> {  // §2.10
  using M = IncomingCallReply;
  static constexpr auto fields = std::tuple{
      Int{&M::call_id}, Int{&M::peer_call_id}, Int{&M::result_code}, Int{&M::error_code},
      Int{&M::packet_recv_window_size}, Int{&M::packet_transmit_delay}, Reserved{2}};
};

template <>
struct Layout<IncomingCallConnected> {  // §2.11
  using M = IncomingCallConnected;
  static constexpr auto fields = std::tuple{
      Int{&M::peer_call_id}, Reserved{2}, Int{&M::connect_speed}, Int{&M::packet_recv_window_size},
      Int{&M::packet_transmit_delay}, Int{&M::framing_type}};
};

template <>
struct Layout<CallClearRequest> {  // §2.12
  using M = CallClearRequest;
  static constexpr auto fields = std::tuple{Int{&M::call_id}, Reserved{2}};
};

template <>
struct Layout<CallDisconnectNotify> {  // §2.13
  using M = CallDisconnectNotify;
  static constexpr auto fields = std::tuple{
      Int{&M::call_id}, Int{&M::result_code}, Int{&M::error_code}, Int{&M::cause_code}, Reserved{2},
      Text{&M::call_statistics, kCallStatisticsSize}};
};

template <>
struct Layout<WanErrorNotify> {  // §2.14
  using M = WanErrorNotify;
  static constexpr auto fields = std::tuple{
      Int{&M::peer_call_id}, Reserved{2}, Int{&M::crc_errors}, Int{&M::framing_errors},
      Int{&M::hardware_overruns}, Int{&M::buffer_overruns}, Int{&M::timeout_errors},
      Int{&M::alignment_errors}};
};

template <>
struct Layout<SetLinkInfo> {  // §2.15
  using M = SetLinkInfo;
  static constexpr auto fields = std::tuple{
      Int{&M::peer_call_id}, Reserved{2}, Int{&M::send_accm}, Int{&M::receive_accm}};
};

}  // namespace pptpx::pptp::layout
