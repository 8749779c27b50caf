// Time is an argument, never read from a clock inside a protocol core (ARCHITECTURE.md).
// Shells pass std::chrono::steady_clock::now(); tests pass Time{} + offsets.
#pragma once
#include <chrono>

namespace pptpx {
using Clock = std::chrono::steady_clock;
using Time = Clock::time_point;
using Duration = Clock::duration;
using namespace std::chrono_literals;
}  // namespace pptpx
