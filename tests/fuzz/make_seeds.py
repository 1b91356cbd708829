#!/usr/bin/env python3
"""Writes the hand-made seed corpora under tests/fuzz/corpus/ (valid and near-valid inputs).

Run from anywhere: python3 tests/fuzz/make_seeds.py. The files are committed; this script is
how they were made, so a format change can regenerate them.
"""
import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    path = os.path.join(HERE, "corpus", target, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# --- IDX: zero, zero, type, rank, big-endian uint32 extents, bytes ---------------------------
def idx(dims, data=None, type_code=0x08):
    n = 1
    for d in dims:
        n *= d
    if data is None:
        data = bytes((i * 37) & 0xFF for i in range(n))
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


def gz(data):
    return gzip.compress(data, mtime=0)


put("idx", "labels_5", idx([5]))
put("idx", "images_2x3x3", idx([2, 3, 3]))
put("idx", "images_2x3x3.gz", gz(idx([2, 3, 3])))
put("idx", "rank4_1x2x1x2", idx([1, 2, 1, 2]))
put("idx", "empty_0x28", idx([0, 28]))
put("idx", "truncated_data", idx([2, 3, 3])[:-4])
put("idx", "truncated_header", idx([2, 3, 3])[:9])
put("idx", "extra_byte", idx([5]) + b"\x00")
put("idx", "float_type", idx([2], data=b"\0" * 8, type_code=0x0D))
put("idx", "rank5", idx([1, 1, 1, 1, 1]))
put("idx", "rank0", bytes([0, 0, 8, 0]))
put("idx", "bad_magic", b"\x01" + idx([5])[1:])
put("idx", "truncated.gz", gz(idx([4, 4]))[:-6])


# --- weights: see nn/serialize.hpp ------------------------------------------------------------
DTYPES = {"f32": (0, "<f"), "f64": (1, "<d"), "i64": (2, "<q")}


def record(name, dtype, shape, values, code=None):
    known, fmt = DTYPES[dtype]
    code = known if code is None else code
    body = struct.pack("<I", len(name)) + name + struct.pack("<BB", code, len(shape))
    body += b"".join(struct.pack("<q", e) for e in shape)
    return body + b"".join(struct.pack(fmt, v) for v in values)


def entry(key, value):
    return struct.pack("<I", len(key)) + key + struct.pack("<I", len(value)) + value


def weights(records, version=2, count=None, magic=b"DAGRADW\n", metadata=None, entries=None):
    """Version 2 has a metadata section (`metadata`: sorted (key, value) pairs, or `entries`: raw
    bytes written as they are); version 1 has none."""
    body = b"".join(records)
    if version >= 2:
        if entries is None:
            pairs = metadata or []
            entries = struct.pack("<I", len(pairs)) + b"".join(entry(k, v) for k, v in pairs)
        body = entries + body
    count = len(records) if count is None else count
    total = 24 + len(body) + 4
    head = magic + struct.pack("<IIQ", version, count, total)
    data = head + body
    return data + struct.pack("<I", zlib.crc32(data) & 0xFFFFFFFF)


linear = [record(b"weight", "f32", [3, 2], [0.5, -1, 2, 0.25, 3, -4]),
          record(b"bias", "f32", [1, 2], [0.125, -0.5])]
put("weights", "linear_3x2", weights(linear))
put("weights", "linear_3x2_v1", weights(linear, version=1))  # written before metadata existed
put("weights", "linear_3x2_metadata", weights(linear, metadata=[(b"model.activation", b"relu"),
                                                                (b"model.hidden", b"")]))
put("weights", "mixed_dtypes", weights([
    record(b"s", "f64", [], [3.5]),
    record(b"idx", "i64", [3], [1, -2, 1 << 40]),
    record(b"empty", "f32", [0, 4], []),
    record(b"deep", "f32", [1] * 8, [7.0]),
    record("ü/名".encode(), "f32", [2], [float("nan"), float("inf")]),
]))
put("weights", "no_tensors", weights([]))
good = weights(linear)
put("weights", "truncated", good[:-5])
flipped = bytearray(good)
flipped[40] ^= 0x10
put("weights", "bad_checksum", bytes(flipped))
put("weights", "bad_magic", weights(linear, magic=b"DAGRADX\n"))
put("weights", "version_3", weights(linear, version=3))
put("weights", "metadata_count_too_high", weights(linear, entries=struct.pack("<I", 3) +
                                                  entry(b"a", b"1")))
put("weights", "metadata_empty_key", weights(linear, entries=struct.pack("<I", 1) +
                                             entry(b"", b"1")))
put("weights", "metadata_repeated_key", weights(linear, entries=struct.pack("<I", 2) +
                                                entry(b"a", b"1") + entry(b"a", b"2")))
put("weights", "count_too_high", weights(linear, count=3))
put("weights", "huge_extent", weights([record(b"w", "f32", [1 << 62, 4], [])]))
put("weights", "negative_extent", weights([record(b"w", "f32", [-1], [])]))
put("weights", "rank_9", weights([record(b"w", "f32", [1] * 9, [1.0])]))
put("weights", "dtype_3", weights([record(b"w", "f32", [1], [1.0], code=3)]))
put("weights", "empty_name", weights([record(b"", "f32", [1], [1.0])]))
put("weights", "duplicate_name", weights([record(b"a", "f32", [1], [1.0])] * 2))
put("weights", "wrong_shape_for_linear", weights([record(b"weight", "f32", [2, 3], [0] * 6),
                                                  record(b"bias", "f32", [1, 2], [0, 0])]))
put("weights", "extra_parameter", weights(linear + [record(b"scale", "f32", [1], [2.0])]))
put("weights", "empty_file", b"")


# --- expressions: option byte, program, optionally NUL + JSON of input z ----------------------
programs = [
    (0, "x @ W + b"),
    (1, "h = tanh(x @ W + b)\nsum(h * h)"),
    (2, "cross_entropy(x @ W, y)"),
    (12, "p = softmax(x @ W, axis=-1); mean(log(p))"),
    (4, "reshape(x, shape=[3, 2]) @ x"),
    (8, "one_hot(y, num_classes=4) * (x @ W)"),
    (16, "max(x, axis=1, keepdim=true) - x"),
    (32, "transpose(W, axis0=0, axis1=1) @ v"),
    (0, "relu(-x) + sigmoid(x) / sqrt(exp(x))"),
    (1, "x ** 2 + pow(x, p=0.5) + square(x)"),
    (0, "e @ W"),
    (0, "sum(e)"),
    (0, "softmax(e, axis=0)"),
    (0, "n * 2 + log_softmax(n, axis=1)"),
    (0, "mse_loss(x @ W, x @ W * 0.5)"),
    (0, "nll_loss(log_softmax(x @ W, axis=1), y)"),
    (64, "a = x; a = a + 1; a = a * a; sum(a, axis=0)"),
    (0, "s * v - v / s"),
    (0, "x @ W +"),
    (0, "f(x,"),
    (0, "((((x))))"),
    (0, "unknown_op(x)"),
    (0, "x @ x"),
    (0, "argmax(x @ W, axis=1)"),
    (0, "z * x\0[[1, 2, 3], [4, 5, 6]]"),
    (0, "z\0{\"shape\": [2, 0], \"data\": []}"),
    (0, "sum(z)\0[\"nan\", \"inf\", 1]"),
    (0, "cross_entropy(x @ W, z)\0[1, 2]"),
    (0, "z\0[[1, 2], [3]]"),
    (0, "z\0not json"),
    (129, "g = grad(sum(tanh(x @ W)), x); sum(grad(sum(g * g), W))"),
    (128, "sum(grad(sum(sigmoid(x) * x), x) * x)"),
    (128, "cross_entropy(x @ W + b, y)"),
    (0, "grad(x, x)"),
]
for i, (mode, text) in enumerate(programs):
    put("expression", "p%02d" % i, bytes([mode]) + text.encode())
