// The accel-ppp importer's state and steps, shared by accel_import.cpp (the run, [modules], the
// pool, methods and TOML), accel_sections.cpp (one handler per accel-ppp.conf section) and
// accel_radius_secrets.cpp ([radius] and the chap-secrets file). Internal to the migrate layer.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "migrate/accel_conf.hpp"
#include "migrate/accel_import.hpp"
#include "migrate/import_text.hpp"
#include "server/ip_address.hpp"

namespace pptpx::migrate::accel_detail {

constexpr Outcome kMapped = Outcome::mapped;
constexpr Outcome kNotNeeded = Outcome::not_needed;
constexpr Outcome kNotSupported = Outcome::not_supported;

struct Known {
  const char* key;
  Outcome outcome;
  const char* why;
};

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, sep)) out.push_back(part);
  return out;
}

struct PoolRange {
  std::string pool;  // "" is the default pool
  std::string next;
  server::Ipv4Range range;
  const AccelItem* item = nullptr;
};

class AccelImporter {
 public:
  explicit AccelImporter(const AccelImportInput& in) : in_(in) {}
  AccelImportResult run();

 private:
  void error(const AccelItem& it, const std::string& what) { res_.errors.push_back(it.where() + ": " + what); }
  bool has_module(const std::string& m) const { return modules_.count(m) != 0; }
  void row(const AccelItem& it, Outcome o, std::string key, std::string why, bool weakens = false);
  void set(const std::string& key, std::string value, std::string origin);
  std::optional<long> number(const AccelItem& it, long lo, long hi);
  void read_modules();
  void read_section(const std::string& name);
  bool table_row(const AccelItem& it, std::initializer_list<Known> known);
  void unknown(const AccelItem& it, const char* section);
  void common(const AccelItem& it);
  void ppp(const AccelItem& it);
  void mtu(const AccelItem& it, const char* why);
  // accel-ppp.conf(5) [ppp] mppe: require drops a client that refuses MPPE; prefer and allow (and
  // no setting: "don't ask client for mppe, but allow it") let sessions run unencrypted; deny
  // never encrypts.
  void mppe(const AccelItem& it);
  void auth(const AccelItem& it);
  void pptp(const AccelItem& it);
  void gateway(const AccelItem& it, int rank);
  void ip_pool(const AccelItem& it);
  // x.x.x.x/mask or x.x.x.x-y, then ,name=P or ,P, ,next=P, ,allocator=p2p|net30 (extra/ippool.c).
  void range(const AccelItem& it);
  void finish_pool();
  void dns(const AccelItem& it);
  void log(const AccelItem& it);
  void chap_secrets(const AccelItem& it);
  void radius(const AccelItem& it);
  // server=address,secret[,auth-port=1812][,acct-port=1813][,req-limit=0][,fail-timeout=0]
  // [,max-fail=0][,weight=1][,backup][,bind-device=]; auth-server=address:port,secret (obsolete).
  void radius_server(const AccelItem& it);
  void finish_auth();
  // accel-ppp's chap-secrets (extra/chap-secrets.c): client, server (ignored: any server),
  // secret, then an address or a pool name ("*", "-", "!" or nothing: from the pool), then a
  // shaper rate. Lines whose first character is '#' are comments; lines with fewer than three
  // words are skipped. With encrypted=1 the secret is 32 hex digits of the NT hash.
  void read_secrets();
  void write_toml();

  const AccelImportInput& in_;
  AccelImportResult res_;
  AccelConf conf_;
  std::set<std::string> modules_;
  ImportedValues values_;  // key -> value, origin
  std::map<std::string, std::string> dns_;
  std::vector<PoolRange> ranges_;
  std::set<std::uint32_t> gateways_;
  std::vector<std::string> methods_;
  std::string challenge_name_;
  std::string challenge_where_;
  std::string radius_servers_;
  long mtu_ = 0;
  int gw_rank_ = 99;
  bool pptp_mppe_ = false;
  bool mppe_seen_ = false;
  bool encrypted_ = false;
  bool radius_accounting_ = false;  // some server has an acct-port
};

}  // namespace pptpx::migrate::accel_detail
