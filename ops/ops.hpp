// Every built-in op's public function.
#pragma once

#include <dagrad/ops/add.hpp>
#include <dagrad/ops/div.hpp>
#include <dagrad/ops/matmul.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/neg.hpp>
#include <dagrad/ops/reshape.hpp>
#include <dagrad/ops/sigmoid.hpp>
#include <dagrad/ops/sub.hpp>
#include <dagrad/ops/sum.hpp>
#include <dagrad/ops/sum_to.hpp>
