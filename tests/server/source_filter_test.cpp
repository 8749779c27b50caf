// [metrics] listen and allowed parsing and matching.
#include "server/source_filter.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

namespace pptpx::server {
namespace {

bool allows(const SourceFilter& f, const char* text) {
  std::uint8_t b[16];
  if (inet_pton(AF_INET, text, b) == 1) return f.allows(b, 4);
  EXPECT_EQ(inet_pton(AF_INET6, text, b), 1) << text;
  return f.allows(b, 16);
}

TEST(SourceFilter, ExactAddressesAndPrefixes) {
  SourceFilter f({"127.0.0.1", "192.0.2.0/25", "2001:db8::/32", "::1"});
  EXPECT_TRUE(allows(f, "127.0.0.1"));
  EXPECT_FALSE(allows(f, "127.0.0.2"));
  EXPECT_TRUE(allows(f, "192.0.2.127"));
  EXPECT_FALSE(allows(f, "192.0.2.128"));
  EXPECT_TRUE(allows(f, "2001:db8:1::5"));
  EXPECT_FALSE(allows(f, "2001:db9::5"));
  EXPECT_TRUE(allows(f, "::1"));
  EXPECT_TRUE(allows(f, "::ffff:127.0.0.1"));  // IPv4-mapped: an IPv6 listener's IPv4 client
  EXPECT_FALSE(allows(SourceFilter({}), "127.0.0.1"));
}

TEST(SourceFilter, ValidityOfEntries) {
  for (const char* ok : {"10.0.0.0/8", "0.0.0.0/0", "::/0", "198.51.100.7"}) EXPECT_TRUE(valid_source_prefix(ok)) << ok;
  for (const char* bad : {"10.0.0.0/33", "localhost", "10.0.0.0/", "::1/129", ""})
    EXPECT_FALSE(valid_source_prefix(bad)) << bad;
}

TEST(ListenEndpoint, AddressColonPort) {
  EXPECT_EQ(parse_listen_endpoint("127.0.0.1:9612"), std::make_pair(std::string("127.0.0.1"), std::uint16_t{9612}));
  EXPECT_EQ(parse_listen_endpoint("[::1]:9612"), std::make_pair(std::string("::1"), std::uint16_t{9612}));
  for (const char* bad : {"127.0.0.1", "::1:9612", "127.0.0.1:0", "127.0.0.1:70000", "host:9612", "[::1]9612"})
    EXPECT_FALSE(parse_listen_endpoint(bad)) << bad;
}

}  // namespace
}  // namespace pptpx::server
