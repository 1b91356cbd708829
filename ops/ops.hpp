// Every built-in op's public function.
#pragma once

#include <dagrad/ops/add.hpp>
#include <dagrad/ops/cross_entropy.hpp>
#include <dagrad/ops/div.hpp>
#include <dagrad/ops/exp.hpp>
#include <dagrad/ops/log.hpp>
#include <dagrad/ops/log_softmax.hpp>
#include <dagrad/ops/matmul.hpp>
#include <dagrad/ops/max.hpp>
#include <dagrad/ops/mean.hpp>
#include <dagrad/ops/mse_loss.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/neg.hpp>
#include <dagrad/ops/nll_loss.hpp>
#include <dagrad/ops/one_hot.hpp>
#include <dagrad/ops/pow.hpp>
#include <dagrad/ops/relu.hpp>
#include <dagrad/ops/reshape.hpp>
#include <dagrad/ops/sigmoid.hpp>
#include <dagrad/ops/softmax.hpp>
#include <dagrad/ops/sqrt.hpp>
#include <dagrad/ops/sub.hpp>
#include <dagrad/ops/sum.hpp>
#include <dagrad/ops/sum_to.hpp>
#include <dagrad/ops/tanh.hpp>
#include <dagrad/ops/transpose.hpp>
