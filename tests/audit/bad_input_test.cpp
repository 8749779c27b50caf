// Files that are not usable captures: one clear InputError, never a crash.
#include <gtest/gtest.h>

#include <pcap/pcap.h>

#include <fstream>

#include "audit/frame_source.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace pptpx::audit {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(FrameSource, NotACaptureIsAClearError) {
  pptpx::test::ScopedTempDir dir;
  const std::string path = dir.file("text.pcap");
  std::ofstream(path) << "hello, not a capture\n";
  try {
    FrameSource::open_file(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot read " + path), std::string::npos) << e.what();
  }
  EXPECT_THROW(FrameSource::open_file(dir.file("missing.pcap")), InputError);
}

TEST(FrameSource, ATruncatedCaptureGivesItsFramesThenAnError) {
  pptpx::test::ScopedTempDir dir;
  const std::string whole = read_all(pptpx::test::capture_path("pap-plain.pcap"));
  const std::string path = dir.file("cut.pcap");
  std::ofstream(path, std::ios::binary) << whole.substr(0, whole.size() / 2 + 7);
  auto src = FrameSource::open_file(path);
  std::uint64_t frames = 0;
  try {
    while (src.next()) ++frames;
    FAIL() << "no error after " << frames << " frames";
  } catch (const InputError& e) {
    EXPECT_GT(frames, 0u);
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
}

TEST(FrameSource, AnUnknownLinkTypeIsRefusedByName) {
  pptpx::test::ScopedTempDir dir;
  const std::string path = dir.file("usb.pcap");
  pcap_t* dead = pcap_open_dead(DLT_USB_LINUX, 65535);
  pcap_dumper_t* dump = pcap_dump_open(dead, path.c_str());
  ASSERT_NE(dump, nullptr);
  pcap_dump_close(dump);
  pcap_close(dead);
  try {
    FrameSource::open_file(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("link type"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pptpx::audit
