#include "audit/frame_source.hpp"

#include <pcap/pcap.h>

#include <utility>

namespace pptpx::audit {

bool supported_link_type(int dlt) {
  switch (dlt) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_RAW:
#ifdef DLT_IPV4
    case DLT_IPV4:
#endif
    case DLT_NULL:
    case DLT_LOOP:
      return true;
    default:
      return false;
  }
}

std::string link_type_name(int dlt) {
  const char* n = pcap_datalink_val_to_name(dlt);
  return std::to_string(dlt) + " (" + (n ? n : "unknown") + ")";
}

FrameSource FrameSource::open_file(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE] = {};
  FrameSource s;
  s.name_ = path;
  s.p_ = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, err);
  if (!s.p_) {
    throw InputError("cannot read " + path + " as a pcap or pcapng capture: " + err +
                     " (is it a capture file, complete and readable?)");
  }
  s.link_type_ = pcap_datalink(s.p_);
  if (!supported_link_type(s.link_type_)) {
    throw InputError(path + " has link type " + link_type_name(s.link_type_) +
                     ", which the audit cannot decode; supported: Ethernet (with VLAN tags), Linux cooked "
                     "(SLL, SLL2), raw IP, BSD loopback. Capture on an Ethernet or 'any' interface.");
  }
  return s;
}

FrameSource FrameSource::open_live(const std::string& interface, const std::string& bpf_filter) {
  char err[PCAP_ERRBUF_SIZE] = {};
  FrameSource s;
  s.name_ = interface;
  s.live_ = true;
  s.p_ = pcap_create(interface.c_str(), err);
  if (!s.p_) throw InputError("cannot capture on " + interface + ": " + err);
  pcap_set_snaplen(s.p_, 65535);
  pcap_set_timeout(s.p_, 200);
  pcap_set_immediate_mode(s.p_, 1);
  pcap_set_tstamp_precision(s.p_, PCAP_TSTAMP_PRECISION_MICRO);
  if (int rc = pcap_activate(s.p_); rc < 0) {
    std::string why = pcap_geterr(s.p_);
    throw InputError("cannot capture on " + interface + ": " + why +
                     (rc == PCAP_ERROR_PERM_DENIED ? " (needs root or CAP_NET_RAW)" : ""));
  }
  s.link_type_ = pcap_datalink(s.p_);
  if (!supported_link_type(s.link_type_)) {
    throw InputError(interface + " has link type " + link_type_name(s.link_type_) + ", which the audit cannot decode");
  }
  bpf_program prog{};
  if (!bpf_filter.empty()) {
    if (pcap_compile(s.p_, &prog, bpf_filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0 ||
        pcap_setfilter(s.p_, &prog) != 0) {
      std::string why = pcap_geterr(s.p_);
      pcap_freecode(&prog);
      throw InputError("cannot set capture filter '" + bpf_filter + "' on " + interface + ": " + why);
    }
    pcap_freecode(&prog);
  }
  return s;
}

FrameSource::FrameSource(FrameSource&& o) noexcept
    : p_(std::exchange(o.p_, nullptr)),
      link_type_(o.link_type_),
      name_(std::move(o.name_)),
      live_(o.live_),
      frames_(o.frames_) {}

FrameSource& FrameSource::operator=(FrameSource&& o) noexcept {
  if (this != &o) {
    if (p_) pcap_close(p_);
    p_ = std::exchange(o.p_, nullptr);
    link_type_ = o.link_type_;
    name_ = std::move(o.name_);
    live_ = o.live_;
    frames_ = o.frames_;
  }
  return *this;
}

FrameSource::~FrameSource() {
  if (p_) pcap_close(p_);
}

std::optional<Frame> FrameSource::next() {
  {
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(p_, &h, &data);
    if (rc == 1) {
      ++frames_;
      Frame f;
      f.time = static_cast<Timestamp>(h->ts.tv_sec) * 1000000 + static_cast<Timestamp>(h->ts.tv_usec);
      f.data = ByteView(data, h->caplen);
      f.wire_length = h->len;
      return f;
    }
    if (rc == 0) {  // live: read timeout, nothing arrived
      Frame idle;
      idle.idle = true;
      return idle;
    }
    if (rc == PCAP_ERROR_BREAK) return std::nullopt;
    if (rc == PCAP_ERROR) {
      throw InputError(name_ + ": the capture is corrupt or truncated after frame " + std::to_string(frames_) +
                       ": " + pcap_geterr(p_));
    }
    return std::nullopt;  // end of file
  }
}

void FrameSource::stop() {
  if (p_) pcap_breakloop(p_);
}

RawIpWriter::RawIpWriter(const std::string& path) {
  dead_ = pcap_open_dead_with_tstamp_precision(DLT_RAW, 65535, PCAP_TSTAMP_PRECISION_MICRO);
  if (!dead_) throw InputError("cannot set up a pcap writer");
  dumper_ = pcap_dump_open(dead_, path.c_str());
  if (!dumper_) {
    std::string why = pcap_geterr(dead_);
    pcap_close(dead_);
    throw InputError("cannot create " + path + ": " + why);
  }
}

RawIpWriter::~RawIpWriter() {
  if (dumper_) pcap_dump_close(dumper_);
  if (dead_) pcap_close(dead_);
}

void RawIpWriter::write(Timestamp t, ByteView ip_packet) {
  pcap_pkthdr h{};
  h.ts.tv_sec = static_cast<time_t>(t / 1000000);
  h.ts.tv_usec = static_cast<suseconds_t>(t % 1000000);
  h.caplen = static_cast<bpf_u_int32>(ip_packet.size());
  h.len = h.caplen;
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &h, ip_packet.data());
  ++written_;
}

}  // namespace pptpx::audit
