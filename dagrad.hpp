// Everything a user needs: tensors, the engine, every built-in op.
#pragma once

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/random.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/core/tensor.hpp>
#include <dagrad/core/threads.hpp>
#include <dagrad/ops/ops.hpp>
