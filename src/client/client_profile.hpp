// A client profile: the client's command-line flags as a TOML file, for `pptpx client --profile
// FILE` and the pptpx-client@.service unit (/etc/pptpx/client/NAME.toml). Keys are the long flag
// names with '_' for '-' (`password_file`, `tun_name`, `use_dns` for --dns, `routes` an array
// for --route); a flag given on the command line wins over the profile's key. See
// docs/client.md "Profiles" and dist/client-profile.toml.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "client/client_options.hpp"

namespace pptpx::client {

// Every key a profile may hold.
const std::vector<std::string_view>& profile_keys();

// Fills `out` from TOML text; returns every problem as "source:line:column: sentence" (empty: OK).
std::vector<std::string> parse_client_profile(std::string_view toml_text, std::string_view source, ClientOptions& out);
// Reads the file first; an unreadable file is one problem.
std::vector<std::string> load_client_profile(const std::string& path, ClientOptions& out);

}  // namespace pptpx::client
