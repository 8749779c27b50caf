// Issue 16: the server's work for one refused authentication must not depend on why it refused,
// or a remote peer could time its replies to tell an unknown user from a wrong password (or a
// locked-out user). One iteration is what the server does for one Response: a fresh
// authenticator sends its Challenge, takes the Response, looks the name up in a secrets table of
// 1,000 users (as the daemon does: chap-secrets table behind the lockout wrapper) and answers.
// Arguments: method (2 = MS-CHAPv2, 1 = MS-CHAPv1, 0 = CHAP-MD5), case (0 = wrong password,
// 1 = unknown user, 2 = locked-out user). The Response is garbage in every case: checking it
// costs the same whatever it holds.
#include <benchmark/benchmark.h>

#include <string>

#include "ppp/auth_chap_packet.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "server/auth_lockout.hpp"
#include "server/secrets_store.hpp"

namespace pptpx::bench {
namespace {

constexpr int kUsers = 1000;

// The daemon's SecretsStore::find, over an in-memory table (no file).
class TableStore final : public auth::CredentialStore {
 public:
  explicit TableStore(std::shared_ptr<const server::SecretsTable> t) : table_(std::move(t)) {}
  std::optional<auth::Credential> find(std::string_view user) const override {
    auto u = table_->lookup(user);
    if (!u) return std::nullopt;
    return u->credential;
  }

 private:
  std::shared_ptr<const server::SecretsTable> table_;
};

std::shared_ptr<const server::SecretsTable> make_table() {
  std::string text;
  for (int i = 0; i < kUsers; ++i) text += "user" + std::to_string(i) + " * Secret-" + std::to_string(i) + " *\n";
  std::vector<std::string> errors;
  return server::SecretsTable::build(server::parse_secrets(text, "bench"), "bench", "*", errors);
}

struct LastFrame final : ppp::FrameSink {
  Bytes frame;
  void send_frame(ppp::Protocol, ByteView information) override { frame.assign(information.begin(), information.end()); }
};

void BM_AuthRefusal(benchmark::State& state) {
  const auto method = state.range(0) == 2   ? ppp::AuthMethod::MsChapV2
                      : state.range(0) == 1 ? ppp::AuthMethod::MsChapV1
                                            : ppp::AuthMethod::ChapMd5;
  const auto which = state.range(1);
  TableStore table(make_table());
  server::FailureLockout users(server::LockoutRule{});
  const Time now = Clock::now();
  // user500 is locked out (the default rule: 5 failures).
  for (int i = 0; i < 5; ++i) users.record_failure("user500", now);
  server::LockedOutCredentials store(table, users, [now] { return now; });
  ppp::AuthConfig cfg;
  cfg.authenticator.credentials = &store;
  const std::string name = which == 1 ? "nobody" : which == 2 ? "user500" : "user499";
  const std::size_t value_size = method == ppp::AuthMethod::ChapMd5 ? 16 : 49;
  Bytes value(value_size, 0x5a);
  if (method == ppp::AuthMethod::MsChapV1) value[48] = 1;  // "use the NT response" (RFC 2433 §6)
  LastFrame sink;
  std::int64_t refused = 0;
  for (auto _ : state) {
    auto m = ppp::make_auth_machine(method, ppp::AuthRole::Authenticator, cfg, sink);
    m->start(now);
    const std::uint8_t id = sink.frame.at(1);
    m->receive(ppp::build_chap_challenge_or_response(ppp::ChapCode::Response, id, value, name), now);
    refused += m->status() == ppp::AuthStatus::Failed;
    benchmark::DoNotOptimize(sink.frame.data());
  }
  if (refused != static_cast<std::int64_t>(state.iterations())) state.SkipWithError("a Response was not refused");
  static const char* const kMethods[] = {"CHAP-MD5", "MS-CHAPv1", "MS-CHAPv2"};
  static const char* const kCases[] = {"wrong password", "unknown user", "locked-out user"};
  state.SetLabel(std::string(kMethods[state.range(0)]) + ", " + kCases[which]);
}
BENCHMARK(BM_AuthRefusal)->ArgsProduct({{0, 1, 2}, {0, 1, 2}});

}  // namespace
}  // namespace pptpx::bench
