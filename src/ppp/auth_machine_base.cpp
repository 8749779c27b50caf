#include "ppp/auth_machine_base.hpp"

#include "auth/user_name.hpp"

namespace pptpx::ppp {

void AuthMachineBase::succeed() {
  status_ = AuthStatus::Succeeded;
  result_.failure_reason.clear();
  deadline_.reset();
}

void AuthMachineBase::fail(std::string reason) {
  status_ = AuthStatus::Failed;
  result_.failure_reason = std::move(reason);
  result_.mppe.reset();
  deadline_.reset();
}

const AuthCounters* auth_counters(const AuthMachine& machine) {
  const auto* base = dynamic_cast<const AuthMachineBase*>(&machine);
  return base ? &base->counters() : nullptr;
}

std::string printable(std::string_view text, std::size_t max) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0x0f]);
    }
  }
  return out;
}

std::string describe_user(std::string_view sent_name) {
  std::string out = "user \"" + printable(sent_name) + "\"";
  const std::string_view account = auth::account_name(sent_name);
  if (account.size() != sent_name.size()) out += " (account \"" + printable(account) + "\")";
  return out;
}

}  // namespace pptpx::ppp
