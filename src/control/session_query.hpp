// `ctl sessions` filters and sort order, applied to a snapshot's sessions.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "control/snapshot.hpp"

namespace pptpx::control {

struct SessionQuery {
  std::string user;  // exact user name
  std::string ip;    // tunnel address (IPv4 or IPv6), exact
  std::string peer;  // the client's address, with or without ":port"
  std::string sort;  // a column of kSortColumns; empty: by id
};

// Columns `--sort` accepts (the JSON field names; numbers sort descending, text ascending).
extern const std::vector<std::string> kSortColumns;

// Sessions matching every set filter, sorted; or an error sentence (an unknown sort column).
struct QueryResult {
  std::vector<SessionInfo> sessions;
  std::string error;
};
QueryResult run_query(std::vector<SessionInfo> sessions, const SessionQuery& q);

}  // namespace pptpx::control
