// What [radius] exposes (security lines at start and in --check-config) and the checks of the
// files it points at (secret_file). Hooked into security_warnings.cpp and config_check.cpp.
#pragma once
#include <string>
#include <vector>

#include "server/config.hpp"

namespace pptpx::server {

std::vector<std::string> radius_security_warnings(const Config& config);
// Problems with [radius] that only the file system shows (unreadable or empty secret_file).
std::vector<std::string> radius_file_problems(const Config& config);

}  // namespace pptpx::server
