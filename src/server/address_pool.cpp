#include "server/address_pool.hpp"

namespace pptpx::server {

Ipv4Pool::Ipv4Pool(Ipv4Range range, Ipv4Address server_address)
    : range_(range), server_(server_address), cursor_(range.first.value) {}

void Ipv4Pool::set_reservations(const std::vector<std::pair<std::string, Ipv4Address>>& reservations) {
  reserved_.clear();
  for (const auto& [user, a] : reservations) reserved_.emplace(a.value, user);
}

std::uint64_t Ipv4Pool::dynamic_capacity() const {
  std::uint64_t n = range_.size();
  if (range_.contains(server_)) --n;
  for (const auto& [a, user] : reserved_) {
    if (range_.contains(Ipv4Address{a}) && a != server_.value) --n;
  }
  return n;
}

std::string Ipv4Pool::describe() const { return to_string(range_.first) + "-" + to_string(range_.last); }

Ipv4Pool::Allocation Ipv4Pool::allocate(std::string_view user, std::optional<Ipv4Address> static_address) {
  if (static_address) {
    const std::uint32_t a = static_address->value;
    if (a == server_.value) {
      return {std::nullopt, "the static address " + to_string(*static_address) + " of \"" + std::string(user) +
                                "\" is the server's own tunnel address; give the user another one in the secrets file"};
    }
    if (auto r = reserved_.find(a); r != reserved_.end() && r->second != user) {
      return {std::nullopt, "the static address " + to_string(*static_address) + " of \"" + std::string(user) +
                                "\" is reserved for \"" + r->second + "\"; give each user a different address"};
    }
    if (used_.count(a) != 0) {
      return {std::nullopt, "the static address " + to_string(*static_address) + " of \"" + std::string(user) +
                                "\" is already in use (is the user connected twice?)"};
    }
    used_.insert(a);
    return {static_address, {}};
  }

  const std::uint64_t capacity = dynamic_capacity();
  if (dynamic_.size() >= capacity) {
    return {std::nullopt, "the address pool " + describe() + " is exhausted (" + std::to_string(dynamic_.size()) +
                              " of " + std::to_string(capacity) +
                              " addresses in use); widen [ipv4] pool or lower [limits] max_sessions"};
  }
  // A free address exists, so this loop ends within (in use + reserved + 1) steps.
  for (std::uint64_t step = 0; step < range_.size(); ++step) {
    const std::uint32_t a = cursor_;
    cursor_ = (cursor_ == range_.last.value) ? range_.first.value : cursor_ + 1;
    if (a == server_.value || reserved(a) || used_.count(a) != 0) continue;
    used_.insert(a);
    dynamic_.insert(a);
    return {Ipv4Address{a}, {}};
  }
  return {std::nullopt, "the address pool " + describe() + " has no free address; widen [ipv4] pool"};
}

bool Ipv4Pool::release(Ipv4Address a) {
  if (used_.erase(a.value) == 0) return false;
  dynamic_.erase(a.value);
  return true;
}

std::uint64_t Ipv6InterfaceIds::allocate(std::optional<std::uint64_t> proposed, std::uint64_t random_bits) {
  std::uint64_t id = 0;
  if (proposed && usable(*proposed)) {
    id = *proposed;
  } else {
    id = random_bits & ~kUniversalBit;
    while (!usable(id)) id = (id + 1) & ~kUniversalBit;  // ends: at most |used| + 2 ids are unusable
  }
  used_.insert(id);
  return id;
}

Ipv6Address Ipv6InterfaceIds::address(const Ipv6Prefix& prefix, std::uint64_t id) {
  Ipv6Address a = prefix.address;
  for (int i = 0; i < 8; ++i) a.bytes[static_cast<std::size_t>(15 - i)] = static_cast<std::uint8_t>(id >> (8 * i));
  return a;
}

}  // namespace pptpx::server
