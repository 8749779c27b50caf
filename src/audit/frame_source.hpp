// The libpcap shell of `pptpx audit`: frames from a pcap/pcapng file or a live interface, with
// their original timestamps and the link type, and the pcap writer for decrypted traffic
// (LINKTYPE_RAW). Everything after this file is sans-I/O (bytes and timestamps in).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "util/bytes.hpp"

struct pcap;
struct pcap_dumper;

namespace pptpx::audit {

// Microseconds since the Unix epoch, as the capture recorded them.
using Timestamp = std::int64_t;

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Frame {
  Timestamp time = 0;
  ByteView data;                 // caplen octets, valid until the next next()
  std::uint32_t wire_length = 0;  // original length (> data.size() when cut by the snaplen)
  bool idle = false;              // live: no frame within the read timeout (data empty)
};

class FrameSource {
 public:
  // Throws InputError with one sentence (what, where, how to fix).
  static FrameSource open_file(const std::string& path);
  static FrameSource open_live(const std::string& interface, const std::string& bpf_filter);
  FrameSource(FrameSource&&) noexcept;
  FrameSource& operator=(FrameSource&&) noexcept;
  ~FrameSource();

  int link_type() const { return link_type_; }
  const std::string& name() const { return name_; }
  // Next frame; nullopt at the end of a file (or after stop() live); live, an `idle` frame
  // every read timeout (200 ms) without traffic. Throws InputError when the
  // file is corrupt or truncated mid-record: frames read so far stay valid for the caller.
  std::optional<Frame> next();
  // Live: makes a blocked next() return nullopt (async-signal-safe: pcap_breakloop).
  void stop();
  std::uint64_t frames() const { return frames_; }

 private:
  FrameSource() = default;
  pcap* p_ = nullptr;
  int link_type_ = 0;
  std::string name_;
  bool live_ = false;
  std::uint64_t frames_ = 0;
};

// Link types the audit decodes (libpcap DLT_ values), and a name for messages.
bool supported_link_type(int dlt);
std::string link_type_name(int dlt);

// Writes IP packets (no link header) to a pcap file, LINKTYPE_RAW, with given timestamps.
class RawIpWriter {
 public:
  explicit RawIpWriter(const std::string& path);  // throws InputError when it cannot be created
  RawIpWriter(const RawIpWriter&) = delete;
  RawIpWriter& operator=(const RawIpWriter&) = delete;
  ~RawIpWriter();
  void write(Timestamp t, ByteView ip_packet);
  std::uint64_t written() const { return written_; }

 private:
  pcap* dead_ = nullptr;
  pcap_dumper* dumper_ = nullptr;
  std::uint64_t written_ = 0;
};

}  // namespace pptpx::audit
