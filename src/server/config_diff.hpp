// `pptpx ctl reload`: which settings differ between the running configuration and the file
// now, as "[section] key" names.
#pragma once
#include <string>
#include <vector>

#include "server/config.hpp"

namespace pptpx::server {

std::vector<std::string> config_changes(const Config& running, const Config& file);

}  // namespace pptpx::server
