// accel-ppp.conf as accel-ppp's own reader sees it (accel-pppd/triton/conf_file.c): `[section]`
// lines open a section (a section named twice continues the first), `#` starts a comment only
// as the first non-blank character, `$include PATH` reads another file in place, and an item is
// `name=value`, `name,value` or a bare `name`; a value `${other}` copies an earlier item of the
// same section. Trailing blanks are dropped; there is no quoting.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "migrate/pptpd_import.hpp"

namespace pptpx::migrate {

struct AccelItem {
  std::string file;
  std::uint32_t line = 0;
  std::string name;
  std::optional<std::string> value;
  std::string raw;  // the whole line, without leading and trailing blanks
  std::string where() const { return file + ":" + std::to_string(line); }
};

struct AccelConf {
  std::vector<std::string> order;                         // sections in first-seen order
  std::map<std::string, std::vector<AccelItem>> sections;  // items in file order
  std::vector<std::string> errors;

  const AccelItem* find(const std::string& section, const std::string& name) const;
  bool has_section(const std::string& section) const { return sections.count(section) != 0; }
};

AccelConf parse_accel_conf(const SourceText& file,
                           const std::function<std::optional<SourceText>(const std::string&)>& read);

}  // namespace pptpx::migrate
