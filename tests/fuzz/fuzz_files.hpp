// The readers under test take paths, so each input is written to a scratch file first: one per
// process and role, on a RAM-backed file system when there is one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dagrad::fuzz {

// A path in the scratch directory named after the process and `role` ("in.idx").
std::string scratch_path(const std::string& role);

// Writes the bytes to path, replacing it; aborts when that fails (the fuzzer cannot go on).
void write_file(const std::string& path, const std::uint8_t* data, std::size_t size);

std::vector<std::uint8_t> read_file(const std::string& path);

}  // namespace dagrad::fuzz
