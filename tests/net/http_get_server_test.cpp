// The metrics listener's request-line parsing and response framing (net/http_get_server.hpp).
#include "net/http_get_server.hpp"

#include <gtest/gtest.h>

namespace pptpx::net {
namespace {

TEST(HttpGetServer, RequestLineOfAScrape) {
  const auto r = parse_request_line("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9612\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/metrics");
  EXPECT_EQ(r.version, "HTTP/1.1");
}

TEST(HttpGetServer, MalformedRequestLinesHaveNoMethod) {
  for (const char* bad : {"GET /metrics\r\n\r\n", "GET  HTTP/1.1\r\n\r\n", "GET /a b HTTP/1.1\r\n\r\n",
                          "GET /metrics SPDY/3\r\n\r\n", "\r\n\r\n"})
    EXPECT_TRUE(parse_request_line(bad).method.empty()) << bad;
}

TEST(HttpGetServer, ResponseHasLengthAndClosesAndHeadOmitsTheBody) {
  const HttpAnswer a{200, "text/plain; version=0.0.4; charset=utf-8", "pptpx_up 1\n"};
  EXPECT_EQ(http_response(a, false),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 11\r\n"
            "Connection: close\r\n\r\npptpx_up 1\n");
  EXPECT_EQ(http_response(a, true).find("pptpx_up"), std::string::npos);
  EXPECT_NE(http_response(a, true).find("Content-Length: 11\r\n"), std::string::npos);
  EXPECT_NE(http_response({405, "text/plain", ""}, false).find("Allow: GET, HEAD\r\n"), std::string::npos);
}

}  // namespace
}  // namespace pptpx::net
