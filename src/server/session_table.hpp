// The server's two lookups on the data path: a GRE packet's Call ID -> the control connection
// that owns the call (Call IDs are unique server-wide: one allocator for every connection), and
// a packet's destination tunnel address (read from the TUN device) -> the connection and call
// that address was handed to; for IPv6, the interface identifier IPV6CP gave the client (its
// fe80::<id> and <prefix>::<id> addresses, see ipv6_addressing.hpp) -> the same. Plain hash maps; the daemon keeps them in step with
// CallHooks::prepare_call / call_finished.
#pragma once
#include <cstdint>
#include <unordered_map>

namespace pptpx::server {

template <typename Connection>
class SessionTable {
 public:
  struct Route {
    Connection* connection = nullptr;
    std::uint16_t call_id = 0;
  };

  void add_call(std::uint16_t call_id, Connection* c) { by_call_[call_id] = c; }
  void remove_call(std::uint16_t call_id) { by_call_.erase(call_id); }
  Connection* find_call(std::uint16_t call_id) const {
    auto it = by_call_.find(call_id);
    return it == by_call_.end() ? nullptr : it->second;
  }

  // `address`: host-order IPv4 tunnel address of the client.
  void add_address(std::uint32_t address, Connection* c, std::uint16_t call_id) { by_address_[address] = {c, call_id}; }
  void remove_address(std::uint32_t address) { by_address_.erase(address); }
  const Route* find_address(std::uint32_t address) const {
    auto it = by_address_.find(address);
    return it == by_address_.end() ? nullptr : &it->second;
  }

  // `id`: the client's IPv6 interface identifier (RFC 5072 §4.1), unique among the server's calls.
  void add_ipv6(std::uint64_t id, Connection* c, std::uint16_t call_id) { by_ipv6_id_[id] = {c, call_id}; }
  void remove_ipv6(std::uint64_t id) { by_ipv6_id_.erase(id); }
  const Route* find_ipv6(std::uint64_t id) const {
    auto it = by_ipv6_id_.find(id);
    return it == by_ipv6_id_.end() ? nullptr : &it->second;
  }

  std::size_t calls() const { return by_call_.size(); }

 private:
  std::unordered_map<std::uint16_t, Connection*> by_call_;
  std::unordered_map<std::uint32_t, Route> by_address_;
  std::unordered_map<std::uint64_t, Route> by_ipv6_id_;
};

}  // namespace pptpx::server
