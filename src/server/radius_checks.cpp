#include "server/radius_checks.hpp"

#include <algorithm>
#include <fstream>

namespace pptpx::server {

std::vector<std::string> radius_security_warnings(const Config& config) {
  std::vector<std::string> out;
  const DaeServerConfig& dae = config.radius.dae;
  if (!dae.listen.empty()) {
    for (const DaeClientEntry& c : dae.clients) {
      if (!c.secret.empty() && c.secret.size() < 16)
        out.emplace_back("radius.dae client " + c.address + ": the shared secret has " + std::to_string(c.secret.size()) +
                         " characters; use 16 or more random ones, it is all that authenticates a Disconnect-Request");
    }
    if (!dae.require_event_timestamp)
      out.emplace_back("radius.dae: requests without Event-Timestamp are accepted, so a captured Disconnect-Request "
                       "or CoA-Request can be replayed later (RFC 5176 §5.4); set require_event_timestamp = true when "
                       "the RADIUS server sends it");
  }
  if (!config.radius.servers.empty() && config.radius.accounting) {
    out.emplace_back(
        "radius accounting: user names, client and tunnel addresses and traffic figures go to the RADIUS servers "
        "unencrypted (RFC 2866), authenticated only by the shared secret; set [radius] accounting = false to keep "
        "them here");
    const auto interim = std::chrono::duration_cast<std::chrono::seconds>(config.radius.interim_interval).count();
    if (interim > 0 && interim < 60)
      out.emplace_back("radius interim_interval_seconds = " + std::to_string(interim) +
                       ": an Interim-Update per session this often loads the RADIUS server; RFC 2869 §5.16 advises "
                       "600 or more");
  }
  if (config.auth.source == AuthSource::secrets) {
    for (const RadiusServerEntry& s : config.radius.servers) {
      if (config.radius.accounting && !s.secret.empty() && s.secret.size() < 16)
        out.emplace_back("radius server " + s.address + ": the shared secret has " + std::to_string(s.secret.size()) +
                         " characters; use 16 or more random ones, it is all that authenticates accounting");
    }
    return out;
  }
  const auto& methods = config.auth.methods;
  if (std::find(methods.begin(), methods.end(), AuthMethod::pap) != methods.end()) {
    out.emplace_back(
        "radius + pap: the user's password goes to the RADIUS server hidden only by MD5 over the shared secret "
        "(RFC 2865 §5.2); anyone who captures the Access-Request and guesses the secret has the password");
  }
  if (std::find(methods.begin(), methods.end(), AuthMethod::mschapv2) != methods.end()) {
    out.emplace_back(
        "radius + mschapv2: the MPPE keys come back in MS-MPPE-Send/Recv-Key, protected only by MD5 over the "
        "shared secret (RFC 2548 §2.4.2); keep the RADIUS path on a trusted network");
  }
  for (const RadiusServerEntry& s : config.radius.servers) {
    if (!s.require_message_authenticator) {
      out.emplace_back("radius server " + s.address +
                       ": Access replies without Message-Authenticator are accepted (Debian 12's FreeRADIUS 3.2.1 "
                       "omits it), which leaves the BlastRADIUS forgery (CVE-2024-3596) open; set "
                       "require_message_authenticator = true once the server sends it");
    }
    if (!s.secret.empty() && s.secret.size() < 16) {
      out.emplace_back("radius server " + s.address + ": the shared secret has " + std::to_string(s.secret.size()) +
                       " characters; use 16 or more random ones, it is all that hides passwords and keys");
    }
  }
  if (config.radius.reply_message_to_client) {
    out.emplace_back("radius reply_message_to_client: a Reject's Reply-Message reaches the client; if the RADIUS "
                     "server words an unknown user and a wrong password differently, clients learn which user names "
                     "exist");
  }
  if (config.auth.source == AuthSource::radius_then_secrets) {
    out.emplace_back(
        "auth source radius-then-secrets: when no RADIUS server answers, the secrets file decides; a user "
        "removed from RADIUS but still in the file can log in during an outage");
  }
  return out;
}

std::vector<std::string> radius_file_problems(const Config& config) {
  std::vector<std::string> out;
  for (const DaeClientEntry& c : config.radius.dae.clients) {
    if (c.secret_file.empty()) continue;
    std::ifstream in(c.secret_file);
    std::string line;
    if (!in || !std::getline(in, line) || line.find_first_not_of(" \t\r") == std::string::npos)
      out.push_back(c.secret_file + ": cannot read a shared secret from the first line of the secret_file of DAE client " +
                    c.address + " ([[radius.dae.clients]]); check the path, its permissions and its first line");
  }
  for (const RadiusServerEntry& s : config.radius.servers) {
    if (s.secret_file.empty()) continue;
    std::ifstream in(s.secret_file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      out.push_back(s.secret_file + ": cannot read the RADIUS secret_file of server " + s.address +
                    "; check the path and its permissions");
    } else if (line.find_first_not_of(" \t\r") == std::string::npos) {
      out.push_back(s.secret_file + ": the first line is empty; put the RADIUS shared secret of server " + s.address +
                    " on it");
    }
  }
  return out;
}

}  // namespace pptpx::server
