// Where shared/ (captures, RFC texts) lives: $PPTPX_SHARED_DIR, else the path CMake configured.
#pragma once
#include <cstdlib>
#include <string>

namespace pptpx::test {
inline std::string shared_dir() {
  if (const char* e = std::getenv("PPTPX_SHARED_DIR"); e && *e) return e;
  return PPTPX_SHARED_DIR_DEFAULT;
}
inline std::string capture_path(const std::string& name) { return shared_dir() + "/captures/" + name; }
}  // namespace pptpx::test
