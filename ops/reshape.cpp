#include <dagrad/ops/reshape.hpp>

#include <algorithm>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>

namespace dagrad {

namespace {

Shape resolve(const Shape& from, Shape to) {
  // The product of the given extents, bounded before each multiplication so huge targets are an
  // error rather than a signed overflow (a zero extent makes it 0 whatever the others are).
  constexpr std::int64_t kMaxElements = std::int64_t{1} << 40;
  const bool has_zero = std::find(to.begin(), to.end(), 0) != to.end();
  std::int64_t known = has_zero ? 0 : 1;
  int unknown = -1;
  for (std::size_t i = 0; i < to.size(); ++i) {
    if (to[i] == -1 && unknown < 0) {
      unknown = static_cast<int>(i);
    } else if (to[i] < 0) {
      throw ShapeError("reshape: bad target shape " + to_string(to) + " for " + to_string(from));
    } else if (!has_zero) {
      if (known > kMaxElements / to[i])
        throw ShapeError("reshape: cannot reshape " + to_string(from) + " into " + to_string(to) +
                         " (far more elements than it has)");
      known *= to[i];
    }
  }
  const std::int64_t n = numel(from);
  if (unknown >= 0) {
    if (known == 0 || n % known != 0)
      throw ShapeError("reshape: cannot reshape " + to_string(from) + " into " + to_string(to));
    to[unknown] = n / known;
  }
  if (numel(to) != n)
    throw ShapeError("reshape: cannot reshape " + to_string(from) + " (" + std::to_string(n) +
                     " elements) into " + to_string(to));
  return to;
}

}  // namespace

namespace ops_table {
void register_reshape(OpRegistry& reg) {
  OpDef op;
  op.name = "reshape";
  op.doc = "the same elements in shape=[...] (one extent may be -1)";
  op.keywords = {"shape"};
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    return TensorMeta{resolve(in[0].shape(), attrs.get<std::vector<std::int64_t>>("shape")),
                      in[0].dtype()};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    return detail::view_as(in[0],
                           resolve(in[0].shape(), attrs.get<std::vector<std::int64_t>>("shape")));
  };
  // The same elements in the same (row-major) order: the identity.
  op.jacobian = [](std::span<const Tensor>, const Tensor& out, const Attrs&, std::size_t) {
    return detail::fill_jacobian(out.numel(), out.numel(), out.dtype(),
                                 [](auto& j) { j.diagonal().setOnes(); });
  };
  op.vjp = [](const VjpArgs& a) {
    return std::vector<Tensor>{reshape(a.grad_output, a.inputs[0].shape())};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor reshape(const Tensor& x, const Shape& shape) {
  static const OpDef& op = registry().get("reshape");
  return apply(op, {x}, {{"shape", shape}});
}

}  // namespace dagrad
