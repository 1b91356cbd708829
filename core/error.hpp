// The dagrad error family. Every user-facing check throws one of these with a message of the
// form "<op>: <what> (got ...)". Depends on nothing, so every layer may throw them.
#pragma once

#include <stdexcept>
#include <string>

namespace dagrad {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Shapes that do not fit an op (matmul of [2,3] by [4,5], a bad axis, ragged lists...).
class ShapeError : public Error {
 public:
  using Error::Error;
};

// A dtype an op does not accept, or two inputs of different dtypes.
class DTypeError : public Error {
 public:
  using Error::Error;
};

// Misuse of the graph: backward twice through a released graph, a cycle, a wrong gradient.
class GraphError : public Error {
 public:
  using Error::Error;
};

// Values at fault: labels out of range, an out-of-bounds index, a non-finite value.
class ValueError : public Error {
 public:
  using Error::Error;
};

// A tensor the machine cannot hold: its allocation failed (the message names the shape and the
// bytes; apply() adds the op).
class MemoryError : public Error {
 public:
  using Error::Error;
};

// Files: unreadable, truncated, corrupted, foreign.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace dagrad
