#include "radius/dae.hpp"

#include <algorithm>

#include "radius/security.hpp"

namespace pptpx::radius {

namespace {

constexpr std::size_t kMaxRemembered = 256;

std::string value_text(const Attribute& a) { return std::string(a.value.begin(), a.value.end()); }

enum class AttrClass : std::uint8_t { Identification, Nas, Change, Ignored, Unsupported };

// RFC 5176 §3.6's table, narrowed to what pptpx acts on.
AttrClass classify(std::uint8_t type, bool coa) {
  switch (type) {
    case attr::UserName:
    case attr::FramedIpAddress:
    case attr::CallingStationId:
    case attr::AcctSessionId: return AttrClass::Identification;
    case attr::NasIpAddress:
    case attr::NasIdentifier:
    case kAttrNasIpv6Address: return AttrClass::Nas;
    case attr::SessionTimeout:
    case attr::IdleTimeout: return coa ? AttrClass::Change : AttrClass::Unsupported;
    case attr::EventTimestamp:
    case attr::MessageAuthenticator:
    case attr::ProxyState:
    case attr::ServiceType: return AttrClass::Ignored;  // checked on their own
    default: return AttrClass::Unsupported;
  }
}

}  // namespace

std::string_view to_string(DaeDrop d) {
  switch (d) {
    case DaeDrop::UnknownClient: return "not from a configured DAE client";
    case DaeDrop::Malformed: return "malformed";
    case DaeDrop::NotARequest: return "not a Disconnect-Request or CoA-Request";
    case DaeDrop::BadAuthenticator: return "bad Request Authenticator (wrong secret?)";
    case DaeDrop::BadMessageAuthenticator: return "bad or missing Message-Authenticator";
    case DaeDrop::EventTimestamp: return "Event-Timestamp missing or outside the window";
  }
  return "unknown";
}

bool SessionMatch::matches(const DaeSession& s) const {
  if (acct_session_id && *acct_session_id != s.acct_session_id) return false;
  if (user_name && *user_name != s.user_name) return false;
  if (framed_ip && (s.framed_ip == 0 || *framed_ip != s.framed_ip)) return false;
  if (calling_station_id && *calling_station_id != s.calling_station_id) return false;
  return true;
}

DaeOutcome DaeServer::drop(DaeDrop why, std::string detail) {
  switch (why) {
    case DaeDrop::UnknownClient: ++counters_.dropped_unknown_client; break;
    case DaeDrop::Malformed: ++counters_.dropped_malformed; break;
    case DaeDrop::NotARequest: ++counters_.dropped_not_request; break;
    case DaeDrop::BadAuthenticator: ++counters_.dropped_bad_authenticator; break;
    case DaeDrop::BadMessageAuthenticator: ++counters_.dropped_bad_message_authenticator; break;
    case DaeDrop::EventTimestamp: ++counters_.dropped_event_timestamp; break;
  }
  DaeOutcome o;
  o.dropped = why;
  o.detail = std::move(detail);
  return o;
}

DaeOutcome DaeServer::receive(std::uint32_t source, std::uint16_t port, ByteView datagram, std::int64_t unix_now,
                              Time now, DaeTarget& target) {
  ++counters_.received;
  const auto client = std::find_if(config_.clients.begin(), config_.clients.end(),
                                   [&](const DaeClient& c) { return c.address == source; });
  if (client == config_.clients.end()) return drop(DaeDrop::UnknownClient, {});
  ParseResult parsed = parse(datagram);
  if (parsed.error != ParseError::None) return drop(DaeDrop::Malformed, std::string(to_string(parsed.error)));
  const Packet& req = parsed.packet;
  if (req.code != Code::DisconnectRequest && req.code != Code::CoaRequest)
    return drop(DaeDrop::NotARequest, std::string(to_string(req.code)));
  switch (verify_accounting_style_request(datagram, client->secret, client->require_message_authenticator)) {
    case VerifyError::None: break;
    case VerifyError::BadRequestAuthenticator: return drop(DaeDrop::BadAuthenticator, {});
    default: return drop(DaeDrop::BadMessageAuthenticator, {});
  }
  // RFC 5176 §3.5: "If the Event-Timestamp Attribute is not current, then the message MUST be
  // silently discarded."
  if (req.find(attr::EventTimestamp) != nullptr) {
    const auto t = req.find_u32(attr::EventTimestamp);
    if (!t) return drop(DaeDrop::EventTimestamp, "Event-Timestamp is not 4 octets");
    const std::int64_t skew = unix_now - static_cast<std::int64_t>(*t);
    if (skew > config_.event_timestamp_window.count() || -skew > config_.event_timestamp_window.count())
      return drop(DaeDrop::EventTimestamp, "Event-Timestamp " + std::to_string(skew) + " s off");
  } else if (config_.require_event_timestamp) {
    return drop(DaeDrop::EventTimestamp, "no Event-Timestamp");
  }

  // A retransmission of a request already answered: the same answer, no second action.
  std::erase_if(recent_, [&](const Remembered& r) { return r.until <= now; });
  for (const Remembered& r : recent_) {
    if (r.address == source && r.port == port && r.identifier == req.identifier &&
        r.authenticator == req.authenticator) {
      ++counters_.duplicates;
      DaeOutcome o = r.outcome;
      o.duplicate = true;
      return o;
    }
  }

  const bool coa = req.code == Code::CoaRequest;
  DaeOutcome out;
  out.request = req.code;
  SessionMatch match;
  CoaChange change;
  std::optional<ErrorCause> error;
  for (const Attribute& a : req.attributes) {
    if (error) break;
    switch (classify(a.type, coa)) {
      case AttrClass::Identification:
        if (a.type == attr::FramedIpAddress) {
          if (a.value.size() != 4) {
            error = ErrorCause::InvalidAttributeValue;
            out.detail = "Framed-IP-Address is not 4 octets";
            break;
          }
          match.framed_ip = load_be32(a.value.data());
        } else if (a.type == attr::UserName) {
          match.user_name = value_text(a);
        } else if (a.type == attr::AcctSessionId) {
          match.acct_session_id = value_text(a);
        } else {
          match.calling_station_id = value_text(a);
        }
        break;
      case AttrClass::Nas:
        // RFC 5176 §3: NAS identification attributes that are not ours: 403.
        if (a.type == attr::NasIdentifier && value_text(a) != config_.nas_identifier) {
          error = ErrorCause::NasIdentificationMismatch;
          out.detail = "NAS-Identifier \"" + value_text(a) + "\" is not ours (\"" + config_.nas_identifier + "\")";
        } else if (a.type == attr::NasIpAddress && config_.nas_ip_address &&
                   (a.value.size() != 4 || load_be32(a.value.data()) != *config_.nas_ip_address)) {
          error = ErrorCause::NasIdentificationMismatch;
          out.detail = "NAS-IP-Address is not our nas_ip_address";
        } else if (a.type == kAttrNasIpv6Address) {
          error = ErrorCause::NasIdentificationMismatch;
          out.detail = "NAS-IPv6-Address: this NAS has none";
        }
        break;
      case AttrClass::Change: {
        if (a.value.size() != 4) {
          error = ErrorCause::InvalidAttributeValue;
          out.detail = "attribute " + std::to_string(a.type) + " is not 4 octets";
          break;
        }
        const std::uint32_t v = load_be32(a.value.data());
        (a.type == attr::SessionTimeout ? change.session_timeout : change.idle_timeout) = v;
        break;
      }
      case AttrClass::Ignored:
        if (a.type == attr::ServiceType) {
          // RFC 5176 §3.2: Authorize Only MUST get a NAK; any other value we do not support.
          if (a.value.size() != 4 || load_be32(a.value.data()) != kServiceTypeFramed) {
            error = ErrorCause::UnsupportedService;
            out.detail = "Service-Type is not Framed";
          }
        }
        break;
      case AttrClass::Unsupported:
        // RFC 5176 §3: "all Attributes are treated as mandatory" -> NAK.
        error = ErrorCause::UnsupportedAttribute;
        out.detail = "attribute " + std::to_string(a.type) + " is not supported in a " +
                     std::string(to_string(req.code));
        break;
    }
  }
  if (!error && match.empty()) {
    error = ErrorCause::MissingAttribute;
    out.detail = "no session identification attribute (Acct-Session-Id, User-Name, Framed-IP-Address, "
                 "Calling-Station-Id)";
  }
  std::vector<DaeSession> hits;
  if (!error) {
    for (const DaeSession& s : target.dae_sessions())
      if (match.matches(s)) hits.push_back(s);
    if (hits.empty()) {
      error = ErrorCause::SessionContextNotFound;
      out.detail = "no session matches";
    }
  }
  if (!error) {
    // All checks passed before any change: the CoA is atomic (RFC 5176 §3).
    for (const DaeSession& s : hits) {
      if (coa) {
        target.dae_change(s, change);
        ++counters_.sessions_changed;
      } else {
        target.dae_disconnect(s);
        ++counters_.sessions_disconnected;
      }
    }
  }
  out.matched = hits.size();
  out.error = error;
  Packet reply;
  reply.identifier = req.identifier;
  if (coa) {
    reply.code = error ? Code::CoaNak : Code::CoaAck;
    ++(error ? counters_.coa_nak : counters_.coa_ack);
  } else {
    reply.code = error ? Code::DisconnectNak : Code::DisconnectAck;
    ++(error ? counters_.disconnect_nak : counters_.disconnect_ack);
  }
  out.reply_code = reply.code;
  if (error) reply.add_u32(attr::ErrorCause, static_cast<std::uint32_t>(*error));
  // RFC 2865 §5.33: Proxy-State attributes are copied unmodified, in order, into the reply.
  for (const Attribute& a : req.attributes)
    if (a.type == attr::ProxyState) reply.attributes.push_back(a);
  const bool with_ma = req.find(attr::MessageAuthenticator) != nullptr;
  out.reply = encode_response(reply, req.authenticator, client->secret, with_ma);

  if (recent_.size() >= kMaxRemembered) recent_.pop_front();
  recent_.push_back(Remembered{source, port, req.identifier, req.authenticator, now + config_.duplicate_memory, out});
  return out;
}

}  // namespace pptpx::radius
