#!/usr/bin/python3
"""Reference values for dagrad's op tests, computed independently with PyTorch in float64.

For every case: the inputs (written out below), the op's output, and the gradients of
Σ output ⊙ weights with respect to each floating input (weights are fixed, non-constant and
of alternating sign, so that a backward pass is checked against more than a plain sum).

Writes tests/ops/reference_values.inc, which the C++ tests compile in; torch is not needed
at test time. Run from anywhere:  /usr/bin/python3 tools/reference/make_op_references.py
"""

import os
import sys

import torch

torch.set_default_dtype(torch.float64)

# ---- fixed inputs -------------------------------------------------------------------------
A34 = [[-1.05, 0.18, -0.52, 0.42], [0.5, -1.74, -1.95, 1.35], [-0.96, -1.06, 1.98, -0.12]]
B34 = [[1.35, -0.09, 0.56, -1.4], [0.54, 1.47, 0.09, 0.97], [0.69, -1.74, 1.03, 0.36]]
C31 = [[-0.79], [-1.88], [1.46]]
D14 = [[-0.11, 0.88, 1.52, 0.86]]
E23 = [[1.68, -0.42, 1.2], [-0.22, 1.74, 1.52]]
F24 = [[-0.86, -1.75, 1.42, 1.96], [-1.65, 1.2, -0.36, -1.4]]
G32 = [[-0.41, 0.54], [0.75, -0.91], [0.23, -0.91]]
H43 = [[0.44, -0.34, 0.76], [0.96, 0.01, 1.0], [-0.38, -0.85, 0.2], [-0.94, -0.61, -0.18]]
P34 = [[0.56, 0.67, 0.89, 2.91], [1.48, 1.99, 1.11, 1.67], [1.34, 1.25, 1.88, 1.88]]  # > 0
Q31 = [[1.86], [1.52], [1.89]]  # > 0
W34 = [[0.71, 0.98, 0.34, -0.67], [0.72, 0.93, 0.81, 0.14], [0.43, -0.58, 0.66, 0.15]]
T234 = [[[0.44, -1.38, -1.83, 1.47], [-0.74, 1.83, 1.59, -0.49], [-0.16, 0.08, 0.58, 0.38]],
        [[0.24, 0.48, 1.76, 0.03], [-0.28, 0.88, -1.05, -0.8], [1.91, 0.07, 0.19, -1.95]]]
U234 = [[[-0.34, 0.32, -1.92, 0.46], [0.53, -1.76, 0.51, -0.13], [0.72, -0.59, 0.83, 0.95]],
        [[-1.91, -1.76, 0.7, 1.85], [-1.0, -0.17, 0.37, -0.72], [-0.54, -0.75, -0.52, 0.38]]]
V2123 = [[[[0.3, -0.7, 1.1], [-1.2, 0.4, 0.9]]], [[[0.8, 1.3, -0.6], [0.2, -0.5, -1.4]]]]
V3 = [0.62, -1.37, 0.95]
S0 = 0.73  # a rank-0 input
S1 = -1.21
LABELS4 = [2, 0, 4, 1]  # int64 class labels for 5 classes

CASES = []  # (op, variant, [inputs], fn, differentiable)


def t(values, dtype=torch.float64):
    return torch.tensor(values, dtype=dtype)


def case(op, variant, inputs, fn, differentiable=True):
    CASES.append((op, variant, inputs, fn, differentiable))


# ---- element-wise binary ops with broadcasting -----------------------------------------------
BINARY_SHAPES = [
    ("3x4_3x4", lambda: [t(A34), t(B34)]),
    ("3x1_1x4", lambda: [t(C31), t(D14)]),
    ("scalar_2x3", lambda: [t(S0), t(E23)]),
    ("2x3_scalar", lambda: [t(E23), t(S1)]),
    ("2x1x4_3x1", lambda: [t(F24).reshape(2, 1, 4), t(C31)]),
    ("scalar_scalar", lambda: [t(S0), t(S1)]),
]
for name, fn in [("add", torch.add), ("sub", torch.sub), ("mul", torch.mul)]:
    for variant, make in BINARY_SHAPES:
        case(name, variant, make(), fn)
# div: denominators kept away from zero
case("div", "3x4_3x4", [t(A34), t(P34)], torch.div)
case("div", "3x1_1x4", [t(D14), t(Q31)], torch.div)
case("div", "scalar_2x3", [t(S0), t(E23)], torch.div)
case("div", "2x3_scalar", [t(E23), t(S1)], torch.div)
case("div", "2x1x4_3x1", [t(F24).reshape(2, 1, 4), t(Q31)], torch.div)

case("neg", "3x4", [t(A34)], torch.neg)
case("neg", "scalar", [t(S0)], torch.neg)

# ---- matmul -----------------------------------------------------------------------------
case("matmul", "2x3_3x4", [t(E23), t(A34)], torch.matmul)
case("matmul", "vec3_3x4", [t(V3), t(B34)], torch.matmul)
case("matmul", "2x3_vec3", [t(E23), t(V3)], torch.matmul)
case("matmul", "vec3_vec3", [t(V3), t(C31).reshape(3)], torch.matmul)
case("matmul", "2x2x3_3x4", [t(V2123).reshape(2, 2, 3), t(A34)], torch.matmul)
case("matmul", "2x1x2x3_2x3x4", [t(V2123), t(U234)], torch.matmul)
case("matmul", "Ta_3x2_3x4", [t(G32), t(A34)], lambda a, b: a.transpose(-1, -2) @ b)
case("matmul", "Tb_2x3_4x3", [t(E23), t(H43)], lambda a, b: a @ b.transpose(-1, -2))
case("matmul", "TaTb_3x2_4x3", [t(G32), t(H43)],
     lambda a, b: a.transpose(-1, -2) @ b.transpose(-1, -2))

# ---- element-wise unary ops ---------------------------------------------------------------
for name, fn in [("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("exp", torch.exp)]:
    case(name, "3x4", [t(A34)], fn)
    case(name, "scalar", [t(S1)], fn)
    case(name, "3x1", [t(C31)], fn)
case("relu", "3x4", [t(A34)], torch.relu)  # no element within 0.1 of the kink
case("relu", "scalar", [t(S0)], torch.relu)
case("step", "3x4", [t(A34)], lambda x: (x > 0).to(torch.float64))  # derivative: zero
case("log", "3x4", [t(P34)], torch.log)
case("log", "scalar", [t(S0)], torch.log)
case("sqrt", "3x4", [t(P34)], torch.sqrt)
case("sqrt", "3x1", [t(Q31)], torch.sqrt)
case("pow", "p2.5", [t(P34)], lambda x: torch.pow(x, 2.5))
case("pow", "p-1.5", [t(P34)], lambda x: torch.pow(x, -1.5))
case("pow", "p0.5", [t(Q31)], lambda x: torch.pow(x, 0.5))
case("pow", "p3_negative_base", [t(A34)], lambda x: torch.pow(x, 3.0))
case("pow", "p2_negative_base", [t(E23)], lambda x: torch.pow(x, 2.0))
case("square", "3x4", [t(A34)], torch.square)
case("square", "scalar", [t(S1)], torch.square)

# ---- softmax family -----------------------------------------------------------------------
for name, fn in [("softmax", torch.softmax), ("log_softmax", torch.log_softmax)]:
    case(name, "3x4_axis-1", [t(A34)], lambda x, fn=fn: fn(x, -1))
    case(name, "3x4_axis0", [t(A34)], lambda x, fn=fn: fn(x, 0))
    case(name, "2x3x4_axis1", [t(T234)], lambda x, fn=fn: fn(x, 1))
    case(name, "vec3", [t(V3)], lambda x, fn=fn: fn(x, -1))


def softmax_jacobian(x):
    rows = x.reshape(-1, x.shape[-1])
    jac = torch.stack([torch.autograd.functional.jacobian(lambda r: torch.softmax(r, -1), r)
                       for r in rows])
    return jac.reshape(*x.shape, x.shape[-1])


case("softmax_jacobian", "2x3", [t(E23)], softmax_jacobian, differentiable=False)
case("softmax_jacobian", "2x3x4", [t(T234)], softmax_jacobian, differentiable=False)

# ---- reductions ---------------------------------------------------------------------------
for name, fn in [("sum", torch.sum), ("mean", torch.mean)]:
    case(name, "all_3x4", [t(A34)], lambda x, fn=fn: fn(x))
    case(name, "axis0", [t(A34)], lambda x, fn=fn: fn(x, dim=0))
    case(name, "axis1_keepdim", [t(A34)], lambda x, fn=fn: fn(x, dim=1, keepdim=True))
    case(name, "axis-1", [t(T234)], lambda x, fn=fn: fn(x, dim=-1))
    case(name, "axes02_2x3x4", [t(T234)], lambda x, fn=fn: fn(x, dim=(0, 2)))
    case(name, "all_keepdim_2x3x4", [t(T234)],
         lambda x, fn=fn: fn(x, dim=(0, 1, 2), keepdim=True))
    case(name, "scalar", [t(S0)], lambda x, fn=fn: fn(x))
case("max", "axis0", [t(A34)], lambda x: torch.max(x, 0).values)
case("max", "axis1_keepdim", [t(A34)], lambda x: torch.max(x, 1, keepdim=True).values)
case("max", "axis-1_2x3x4", [t(T234)], lambda x: torch.max(x, -1).values)
case("argmax", "axis0", [t(A34)], lambda x: torch.argmax(x, 0), differentiable=False)
case("argmax", "axis1_keepdim", [t(A34)], lambda x: torch.argmax(x, 1, keepdim=True),
     differentiable=False)

# ---- shape ops ----------------------------------------------------------------------------
case("reshape", "3x4_to_4x3", [t(A34)], lambda x: x.reshape(4, 3))
case("reshape", "3x4_to_2x-1", [t(A34)], lambda x: x.reshape(2, -1))
case("reshape", "2x3x4_to_24", [t(T234)], lambda x: x.reshape(24))
case("reshape", "scalar_to_1x1", [t(S0)], lambda x: x.reshape(1, 1))
case("transpose", "2x3", [t(E23)], lambda x: x.transpose(-2, -1))
case("transpose", "2x3x4", [t(T234)], lambda x: x.transpose(-2, -1))
case("transpose", "2x3x4_axes0_2", [t(T234)], lambda x: x.transpose(0, 2))
case("transpose", "2x3x4_axes0_-2", [t(T234)], lambda x: x.transpose(0, -2))
case("sum_to", "3x4_to_3x1", [t(A34)], lambda x: x.sum(1, keepdim=True))
case("sum_to", "3x4_to_1x4", [t(A34)], lambda x: x.sum(0, keepdim=True))
case("sum_to", "2x3x4_to_4", [t(T234)], lambda x: x.sum((0, 1)))
case("sum_to", "2x3x4_to_3x1", [t(T234)], lambda x: x.sum((0, 2)).reshape(3, 1))
case("sum_to", "3x4_to_scalar", [t(A34)], lambda x: x.sum())
case("broadcast_to", "3x1_to_2x3x4", [t(C31)], lambda x: x.broadcast_to(2, 3, 4))
case("broadcast_to", "scalar_to_2x3", [t(S0)], lambda x: x.broadcast_to(2, 3))
case("broadcast_to", "1x4_to_3x4", [t(D14)], lambda x: x.broadcast_to(3, 4))

# ---- losses -------------------------------------------------------------------------------
case("one_hot", "4_classes5", [t(LABELS4, torch.int64)],
     lambda y: torch.nn.functional.one_hot(y, 5).to(torch.float64), differentiable=False)
case("mse_loss", "3x4", [t(A34), t(B34)], torch.nn.functional.mse_loss)
case("mse_loss", "scalar", [t(S0), t(S1)], torch.nn.functional.mse_loss)
LOGITS45 = [[0.2, -1.3, 0.8, 1.9, -0.4], [1.1, 0.3, -0.9, 0.0, 2.2],
            [-1.5, 0.6, 0.1, -0.2, 1.4], [0.9, -0.8, 1.7, -1.1, 0.5]]
case("cross_entropy", "4x5", [t(LOGITS45), t(LABELS4, torch.int64)],
     torch.nn.functional.cross_entropy)
case("cross_entropy", "1x3", [t([[0.3, -2.1, 1.6]]), t([1], torch.int64)],
     torch.nn.functional.cross_entropy)
case("nll_loss", "4x5", [t(LOGITS45).log_softmax(-1), t(LABELS4, torch.int64)],
     torch.nn.functional.nll_loss)
case("nll_loss", "raw_values_4x5", [t(LOGITS45), t(LABELS4, torch.int64)],
     torch.nn.functional.nll_loss)

# ---- the seed's layers --------------------------------------------------------------------
# O = σ(X·W + b): X [2,3], W [3,4], b [4].
case("dense_sigmoid", "2x3_3x4_4", [t(E23), t(W34), t(D14).reshape(4)],
     lambda x, w, b: torch.sigmoid(x @ w + b))
# softmax(x @ W + b): x [3,4], W [4,3] (H43), b [1,3].
case("dense_softmax", "3x4_4x3_1x3", [t(B34), t(H43), t([[0.1, -0.2, 0.3]])],
     lambda x, w, b: torch.softmax(x @ w + b, -1))


# ---- output -------------------------------------------------------------------------------
def weights_for(shape):
    n = 1
    for d in shape:
        n *= d
    w = [(-1.0 if k % 2 else 1.0) * (0.5 + ((k * 7) % 11) / 10.0) for k in range(n)]
    return torch.tensor(w).reshape(shape)


def fmt_tensor(x):
    kind = "RefKind::i64" if x.dtype == torch.int64 else "RefKind::f64"
    shape = ", ".join(str(d) for d in x.shape)
    vals = ", ".join(repr(float(v)) for v in x.reshape(-1).tolist())
    return "{%s, {%s}, {%s}}" % (kind, shape, vals)


NONE = "{RefKind::none, {}, {}}"


def main():
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                            "ops", "reference_values.inc")
    lines = [
        "// Generated by tools/reference/make_op_references.py with torch %s in float64."
        % torch.__version__,
        "// Do not edit; change the script and run it again.",
        "// {op, variant, inputs, output, weights, gradients of sum(output * weights)}",
        "// clang-format off",
    ]
    seen = set()
    for op, variant, inputs, fn, differentiable in CASES:
        assert (op, variant) not in seen, (op, variant)
        seen.add((op, variant))
        leaves = [x.clone().requires_grad_(differentiable and x.is_floating_point())
                  for x in inputs]
        out = fn(*leaves)
        if differentiable:
            w = weights_for(tuple(out.shape))
            wanted = [x for x in leaves if x.requires_grad]
            if out.requires_grad:
                grads = list(torch.autograd.grad((out * w).sum(), wanted, allow_unused=True))
            else:  # the graph stops here (step): every gradient is zero
                grads = [None for _ in wanted]
            grad_strs = []
            for x in leaves:
                if not x.requires_grad:
                    grad_strs.append(NONE)
                    continue
                g = grads.pop(0)
                grad_strs.append(fmt_tensor(g if g is not None else torch.zeros_like(x)))
            w_str = fmt_tensor(w)
        else:
            grad_strs = [NONE for _ in leaves]
            w_str = NONE
        lines.append('{"%s", "%s",\n  {%s},\n  %s,\n  %s,\n  {%s}},' % (
            op, variant, ", ".join(fmt_tensor(x.detach()) for x in leaves),
            fmt_tensor(out.detach()), w_str, ", ".join(grad_strs)))
    lines.append("// clang-format on")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d cases to %s" % (len(CASES), os.path.normpath(out_path)), file=sys.stderr)


if __name__ == "__main__":
    main()
