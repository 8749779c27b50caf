// `pptpx ctl` output for people: the server's JSON answers (protocol.hpp) as aligned text
// tables. Scripts use --json, which prints the answer's "result" unchanged.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace pptpx::control {

std::string render_sessions(const nlohmann::json& result);   // {"sessions": [...]}
std::string render_stats(const nlohmann::json& result);
std::string render_lockouts(const nlohmann::json& result);
std::string render_pool(const nlohmann::json& result);
std::string render_reload(const nlohmann::json& result);
// "1d 02:03:04" / "02:03:04"
std::string format_uptime(std::int64_t seconds);

}  // namespace pptpx::control
