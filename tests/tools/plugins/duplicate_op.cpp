// A test plugin that registers an op under a built-in's name, "sigmoid": register_op refuses it
// with a GraphError, which the tool reports.
#include <dagrad/core/plugin.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/neg.hpp>

extern "C" void dagrad_register_ops() {
  dagrad::OpDef op;
  op.name = "sigmoid";
  op.infer = [](std::span<const dagrad::Tensor> in, const dagrad::Attrs&) {
    return dagrad::TensorMeta{in[0].shape(), in[0].dtype()};
  };
  op.forward = [](std::span<const dagrad::Tensor> in, const dagrad::Attrs&) {
    return dagrad::neg(in[0]);
  };
  dagrad::register_op(std::move(op));
}
