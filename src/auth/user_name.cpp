#include "auth/user_name.hpp"

namespace pptpx::auth {

std::string_view account_name(std::string_view sent_name) {
  const auto slash = sent_name.rfind('\\');
  return slash == std::string_view::npos ? sent_name : sent_name.substr(slash + 1);
}

}  // namespace pptpx::auth
