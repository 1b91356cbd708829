// A map from addresses (of nodes, of tensor impls) to vertex ids, for building a recorded graph.
// Open addressing with linear probing: a 100,000-node graph does several lookups per vertex, and
// std::unordered_map's allocation per entry and modulo per lookup were most of the build's time.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <dagrad/graph/dag.hpp>

namespace dagrad {

class PointerMap {
 public:
  static constexpr graph::Vertex kAbsent = static_cast<graph::Vertex>(-1);

  // The value under key, or kAbsent after inserting value there.
  graph::Vertex find_or_insert(const void* key, graph::Vertex value) {
    if (2 * (size_ + 1) > slots_.size()) grow(slots_.empty() ? 64 : 2 * slots_.size());
    Slot& slot = slots_[find_slot(key)];
    if (slot.key) return slot.value;
    slot = {key, value};
    ++size_;
    return kAbsent;
  }
  // Room for n keys without regrowing.
  void reserve(std::size_t n) {
    if (2 * n > slots_.size()) grow(std::bit_ceil(2 * n));
  }
  // Sets the value of a key already in the map.
  void assign(const void* key, graph::Vertex value) { slots_[find_slot(key)].value = value; }
  // The value under key, or kAbsent.
  graph::Vertex find(const void* key) const {
    return slots_.empty() ? kAbsent : slots_[find_slot(key)].value;
  }

 private:
  struct Slot {
    const void* key = nullptr;
    graph::Vertex value = kAbsent;
  };

  // The slot holding key, or the empty slot where it belongs.
  std::size_t find_slot(const void* key) const {
    // Fibonacci hashing of the address; the low bits are alignment and carry no information.
    const auto h = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(key) >> 4);
    std::size_t i = static_cast<std::size_t>((h * 0x9E3779B97F4A7C15ull) >> shift_);
    const std::size_t mask = slots_.size() - 1;
    while (slots_[i].key && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }
  void grow(std::size_t capacity) {  // a power of two
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    shift_ = 64 - std::countr_zero(capacity);
    for (const Slot& s : old)
      if (s.key) slots_[find_slot(s.key)] = s;
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  int shift_ = 64;
};

}  // namespace dagrad
