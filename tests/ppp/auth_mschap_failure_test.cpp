// MS-CHAP Failure message text (RFC 2433 §8, RFC 2759 §6): parsing, readable reasons, formatting.
#include <gtest/gtest.h>

#include "ppp/mschap_failure.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::ppp {
namespace {

using pptpx::test::hex;

struct DescribeCase {
  const char* text;
  const char* reason;
};

TEST(MsChapFailure, DescribeTable) {
  const DescribeCase cases[] = {
      {"E=691 R=0", "E=691 authentication failure (retry not allowed)"},
      {"E=691 R=1", "E=691 authentication failure (retry allowed)"},
      {"E=646 R=0 V=3", "E=646 restricted logon hours (retry not allowed)"},
      {"E=647 R=0", "E=647 account disabled (retry not allowed)"},
      {"E=648 R=0 V=3", "E=648 password expired (retry not allowed)"},
      {"E=649 R=0", "E=649 no dial-in permission (retry not allowed)"},
      {"E=709 R=0", "E=709 error changing password (retry not allowed)"},
      {"E=999 R=0", "E=999 unknown error (retry not allowed)"},
      {"E=691", "E=691 authentication failure"},
      // RFC 2759 §6 full form, M= text with spaces kept whole.
      {"E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Authentication failed",
       "E=691 authentication failure (retry not allowed): Authentication failed"},
      // pppd's form for MS-CHAPv1 (C= 16 digits, V=0).
      {"E=691 R=1 C=102DB5DF085D3041 V=0", "E=691 authentication failure (retry allowed)"},
      // Unknown tokens ignored (RFC 2433 §8: "accept but ignore additional text").
      {"X=1 E=691 foo R=0", "E=691 authentication failure (retry not allowed)"},
      // Field order does not matter.
      {"R=0 E=647", "E=647 account disabled (retry not allowed)"},
      // Bad R value: retry unknown, not guessed.
      {"E=691 R=x", "E=691 authentication failure"},
      // No usable E=.
      {"Access denied", "failure without an error code: \"Access denied\""},
      {"E=abc R=0", "failure without an error code: \"E=abc R=0\""},
      {"E=99999999999 R=0", "failure without an error code: \"E=99999999999 R=0\""},
      {"M=E=691 R=0", "failure without an error code: \"M=E=691 R=0\""},
      // Control characters in M= are escaped, not passed to logs raw.
      {"E=691 R=0 M=bad\x01\nline", "E=691 authentication failure (retry not allowed): bad\\x01\\x0aline"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(describe_mschap_failure(c.text), c.reason) << "text: " << c.text;
  }
}

TEST(MsChapFailure, ParsesEveryField) {
  const MsChapFailure f =
      parse_mschap_failure("E=691 R=1 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=try again please");
  ASSERT_TRUE(f.error.has_value());
  EXPECT_EQ(*f.error, 691u);
  ASSERT_TRUE(f.retry_allowed.has_value());
  EXPECT_TRUE(*f.retry_allowed);
  ASSERT_TRUE(f.challenge.has_value());
  EXPECT_EQ(*f.challenge, hex("5B5D7C7D7B3F2F3E3C2C602132262628"));
  ASSERT_TRUE(f.version.has_value());
  EXPECT_EQ(*f.version, 3u);
  EXPECT_EQ(f.message, "try again please");
}

TEST(MsChapFailure, MalformedFieldsStayUnset) {
  const MsChapFailure f = parse_mschap_failure("E= R=2 C=xyz V=-1");
  EXPECT_FALSE(f.error.has_value());
  EXPECT_FALSE(f.retry_allowed.has_value());
  EXPECT_FALSE(f.challenge.has_value());
  EXPECT_FALSE(f.version.has_value());
  EXPECT_TRUE(f.message.empty());
  const MsChapFailure odd = parse_mschap_failure("C=ABC");  // odd number of hex digits
  EXPECT_FALSE(odd.challenge.has_value());
}

TEST(MsChapFailure, FormatsWhatRfc2759Section6Shows) {
  EXPECT_EQ(format_mschap_failure(691, false, hex("5B5D7C7D7B3F2F3E3C2C602132262628"), 3u, "Authentication failed"),
            "E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Authentication failed");
  EXPECT_EQ(format_mschap_failure(691, false, {}, std::nullopt, {}), "E=691 R=0");
  EXPECT_EQ(format_mschap_failure(648, true, hex("0a0b"), 2u, {}), "E=648 R=1 C=0A0B V=2");
}

TEST(MsChapFailure, FormatThenParseRoundTrips) {
  const std::string text = format_mschap_failure(649, false, hex("00ff00ff00ff00ff00ff00ff00ff00ff"), 3u, "a b c");
  const MsChapFailure f = parse_mschap_failure(text);
  EXPECT_EQ(f.error, std::optional<std::uint32_t>(649));
  EXPECT_EQ(f.retry_allowed, std::optional<bool>(false));
  EXPECT_EQ(f.challenge, std::optional<Bytes>(hex("00ff00ff00ff00ff00ff00ff00ff00ff")));
  EXPECT_EQ(f.version, std::optional<std::uint32_t>(3));
  EXPECT_EQ(f.message, "a b c");
}

// Issue 16 item 4: pppd as the server sends an empty Failure when it has no secret for the pair.
// The client says so in plain words instead of `failure without an error code: ""`.
TEST(MsChapFailure, EmptyFailureIsExplainedInPlainWords) {
  const std::string why = describe_mschap_failure("");
  EXPECT_NE(why.find("the server refused without giving a reason"), std::string::npos) << why;
  EXPECT_NE(why.find("no secret for this user name"), std::string::npos) << why;
  EXPECT_NE(why.find("server name"), std::string::npos) << why;
  EXPECT_EQ(why.find("failure without an error code"), std::string::npos) << why;
}

}  // namespace
}  // namespace pptpx::ppp
