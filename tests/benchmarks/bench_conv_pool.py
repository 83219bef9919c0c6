"""Benchmark: reference conv_forward and pool_forward against TensorFlow on this CPU.

Shapes from issue 2: input (8, 32, 32, 16), filters (3, 3, 16, 32), stride 1, pad 1; pooling is
2x2 max pooling with stride 2 on the same input. Prints the median of repeated runs of each and
the ratio reference / TensorFlow (goal: at most 3). Run with `make bench`.
"""
import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np
import tensorflow as tf

from solutions.convolution import conv_forward
from solutions.pooling import pool_forward
from tests.support.timing import median_seconds

GOAL = 3.0


def run(dtype, repeats):
    rng = np.random.default_rng(0)
    A = rng.standard_normal((8, 32, 32, 16)).astype(dtype)
    W = rng.standard_normal((3, 3, 16, 32)).astype(dtype)
    b = rng.standard_normal(32).astype(dtype)
    A_tf, W_tf, b_tf = tf.constant(A), tf.constant(W), tf.constant(b)
    padding = [[0, 0], [1, 1], [1, 1], [0, 0]]

    Z_ref, _ = conv_forward(A, W, b, stride=1, pad=1)
    Z_tf = (tf.nn.conv2d(A_tf, W_tf, strides=1, padding=padding) + b_tf).numpy()
    assert np.allclose(Z_ref, Z_tf, rtol=1e-4, atol=1e-3), "conv_forward disagrees with TensorFlow"

    rows = []
    rows.append((
        "conv_forward",
        median_seconds(lambda: conv_forward(A, W, b, stride=1, pad=1), repeats),
        median_seconds(lambda: (tf.nn.conv2d(A_tf, W_tf, strides=1, padding=padding) + b_tf).numpy(), repeats),
    ))
    rows.append((
        "pool_forward",
        median_seconds(lambda: pool_forward(A, 2, 2, "max"), repeats),
        median_seconds(lambda: tf.nn.max_pool2d(A_tf, 2, 2, "VALID").numpy(), repeats),
    ))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    print(f"{'function':<14}{'dtype':<9}{'reference ms':>14}{'TensorFlow ms':>15}{'ratio':>8}  goal <= {GOAL}")
    worst = 0.0
    for dtype in (np.float64, np.float32):
        for name, ours, theirs in run(dtype, args.repeats):
            ratio = ours / theirs
            worst = max(worst, ratio)
            print(f"{name:<14}{np.dtype(dtype).name:<9}{ours * 1e3:>14.3f}{theirs * 1e3:>15.3f}{ratio:>8.2f}")
    print(f"worst ratio: {worst:.2f} ({'meets' if worst <= GOAL else 'misses'} the goal of {GOAL}x)")


if __name__ == "__main__":
    main()
