// Resident memory of this process, from /proc/self/statm (Linux).
#pragma once

#include <cstdint>

namespace soak {

// Resident set size in bytes; 0 when /proc is unavailable.
std::uint64_t resident_bytes();

inline double mib(std::uint64_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

}  // namespace soak
