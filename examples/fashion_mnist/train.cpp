#include "train.hpp"

#include <chrono>
#include <numeric>
#include <vector>

#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/nn/adam.hpp>
#include <dagrad/nn/sgd.hpp>
#include <dagrad/ops/cross_entropy.hpp>
#include <dagrad/ops/max.hpp>

#include "progress_bar.hpp"

namespace fashion_mnist {

using namespace dagrad;

std::unique_ptr<nn::Optimizer> make_optimizer(const std::string& name, nn::Module& model, double lr,
                                              double momentum) {
  if (name == "adam") {
    nn::AdamOptions o;
    o.lr = lr;
    return std::make_unique<nn::Adam>(model.parameters(), o);
  }
  if (name == "sgd") {
    nn::SgdOptions o;
    o.lr = lr;
    o.momentum = momentum;
    return std::make_unique<nn::SGD>(model.parameters(), o);
  }
  throw ValueError("optimizer: unknown name '" + name + "' (expected sgd or adam)");
}

EpochResult train_epoch(nn::Module& model, nn::BatchLoader& loader, nn::Optimizer& optimizer,
                        std::int64_t first_step, const std::function<double(std::int64_t)>& lr_at,
                        const std::string& title) {
  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar(title, loader.batches_per_epoch());
  EpochResult r;
  double loss_sum = 0;
  std::int64_t batches = 0;
  nn::Batch batch;
  loader.start_epoch();
  while (loader.next(batch)) {
    if (lr_at) optimizer.set_lr(lr_at(first_step + batches));
    optimizer.zero_grad();
    Tensor loss = cross_entropy(model(batch.x), batch.y);
    loss.backward();
    optimizer.step();
    loss_sum += loss.item();
    ++batches;
    r.samples += batch.x.size(0);
    bar.update(batches, loss_sum / static_cast<double>(batches), r.samples);
  }
  r.train_loss = batches ? loss_sum / static_cast<double>(batches) : 0.0;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

double evaluate(nn::Module& model, const nn::ImageDataset& data, const nn::PixelScaling& scaling) {
  NoGradGuard no_grad;
  nn::BatchLoader loader(data, 1000, scaling, /*shuffle=*/false);
  std::int64_t correct = 0;
  nn::Batch batch;
  while (loader.next(batch)) {
    const Tensor predicted = argmax(model(batch.x), 1);
    const std::int64_t* p = predicted.data<std::int64_t>();
    const std::int64_t* y = batch.y.data<std::int64_t>();
    for (std::int64_t i = 0; i < batch.y.numel(); ++i) correct += p[i] == y[i];
  }
  return data.count ? static_cast<double>(correct) / static_cast<double>(data.count) : 0.0;
}

}  // namespace fashion_mnist
