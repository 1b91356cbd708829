// Training and evaluation loops of the example: the loss is softmax cross-entropy on the
// model's logits, gradients come from the engine's backward, and the optimiser updates in place.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <dagrad/nn/batches.hpp>
#include <dagrad/nn/module.hpp>
#include <dagrad/nn/optimizer.hpp>

namespace fashion_mnist {

// "adam" (β 0.9/0.999) or "sgd" (with `momentum`); ValueError for another name.
std::unique_ptr<dagrad::nn::Optimizer> make_optimizer(const std::string& name,
                                                      dagrad::nn::Module& model, double lr,
                                                      double momentum);

struct EpochResult {
  double train_loss = 0;  // mean over the epoch's batches
  std::int64_t samples = 0;
  double seconds = 0;  // training only
};

// One pass over the loader's data. Before each step, lr_at(step) (if set) gives the learning
// rate for that global step; `first_step` is the global index of the epoch's first step.
// A progress bar titled `title` is drawn on stderr.
EpochResult train_epoch(dagrad::nn::Module& model, dagrad::nn::BatchLoader& loader,
                        dagrad::nn::Optimizer& optimizer, std::int64_t first_step,
                        const std::function<double(std::int64_t)>& lr_at, const std::string& title);

// Fraction of data the model classifies correctly (argmax of the logits), computed without
// recording a graph, in batches of 1000.
double evaluate(dagrad::nn::Module& model, const dagrad::nn::ImageDataset& data,
                const dagrad::nn::PixelScaling& scaling);

}  // namespace fashion_mnist
