"""Issue 16's accuracy levers: variants of the reference ELPV pipeline (solutions/cnn.py) under the
protocol (stratified 75/25 test split, random_state=0; 15% of the training part for validation),
one run per call. Prints one JSON line: training seconds, parameters, and test accuracy at 0.5
and at the threshold chosen on validation, without and with 8-view (dihedral) test-time
augmentation. Saves the test scores (--out) for the disagreement analysis between runs.

    python tests/benchmarks/bench_elpv_levers.py --ema --target regression --tag e2
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import keras
import numpy as np
from keras import layers

from dlhelpers.data import load_elpv, stratified_split_indices
from solutions import cnn


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=128, help="side of the downscaled images")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--ema", action="store_true", help="exponential moving average of the weights (AdamW)")
    parser.add_argument("--target", default="binary", choices=["binary", "regression"],
                        help="regression: the experts' defect probability (0, 1/3, 2/3, 1), sigmoid and MSE")
    parser.add_argument("--stem", action="store_true", help="a stride-2 5x5 convolution before the blocks")
    parser.add_argument("--width", type=int, default=16, help="filters of the first block (doubled per block)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--tag", default="run")
    parser.add_argument("--out", default=".", help="folder for the test scores (.npy)")
    return parser.parse_args()


def conv_block(x, filters, strides=1, kernel=3):
    x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization(momentum=0.9)(x)
    return layers.ReLU()(x)


def build(shape, args):
    """The reference CNN's blocks, with the lever's changes."""
    regression = args.target == "regression"
    inputs = keras.Input(shape)
    x = conv_block(inputs, args.width, strides=2, kernel=5) if args.stem else inputs
    for index in range(5):
        x = layers.MaxPooling2D(2)(conv_block(x, args.width * 2 ** index))
    x = layers.Dropout(0.3)(layers.GlobalAveragePooling2D()(x))
    outputs = layers.Dense(1, activation="sigmoid")(x) if regression else layers.Dense(2, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    optimizer = keras.optimizers.AdamW(learning_rate=args.lr, weight_decay=1e-4, use_ema=args.ema, ema_momentum=0.99)
    model.compile(optimizer=optimizer, loss="mse" if regression else "sparse_categorical_crossentropy")
    return model


def defect_scores(model, images, regression, tta):
    """P(defective) of each image, averaged over the 8 dihedral views with ``tta``."""
    views = [images]
    if tta:
        views = []
        for k in range(4):
            rotated = np.rot90(images, k, axes=(1, 2))
            views += [rotated, rotated[:, :, ::-1]]
    mean = np.mean([model.predict(view, batch_size=128, verbose=0) for view in views], axis=0)
    return mean[:, 0] if regression else mean[:, 1]


def main():
    args = arguments()
    regression = args.target == "regression"
    X, y, _ = load_elpv(args.size)
    X = cnn.standardize_images(X)
    target = load_elpv(args.size, label_mode="probability")[1] if regression else y
    parts = stratified_split_indices(y, val_size=0.15)
    train, val, test = parts["train"], parts["val"], parts["test"]

    keras.utils.set_random_seed(args.seed)
    model = build(X.shape[1:], args)
    callbacks = [
        keras.callbacks.LearningRateScheduler(
            lambda epoch: cnn.cosine_learning_rate(epoch, args.epochs, args.lr, warmup_epochs=1)),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=args.epochs, restore_best_weights=True),
    ]
    start = time.perf_counter()
    model.fit(cnn.make_dataset(X[train], target[train], 32, training=True, seed=args.seed),
              validation_data=cnn.make_dataset(X[val], target[val], 128), epochs=args.epochs,
              callbacks=callbacks, verbose=0)
    train_seconds = time.perf_counter() - start
    if args.ema:
        model.optimizer.finalize_variable_values(model.trainable_variables)

    results = {}
    for tta in (False, True):
        val_scores = defect_scores(model, X[val], regression, tta)
        test_scores = defect_scores(model, X[test], regression, tta)
        grid = np.linspace(0.2, 0.8, 61)
        threshold = float(grid[np.argmax([np.mean((val_scores >= g) == y[val]) for g in grid])])
        results[f"tta{int(tta)}"] = {"acc@0.5": float(np.mean((test_scores >= 0.5) == y[test])),
                                     "threshold": threshold,
                                     "acc@threshold": float(np.mean((test_scores >= threshold) == y[test]))}
        np.save(Path(args.out) / f"scores_{args.tag}_tta{int(tta)}.npy", test_scores)
    print(json.dumps({"args": vars(args), "train_seconds": round(train_seconds, 1),
                      "parameters": model.count_params(), **results}), flush=True)


if __name__ == "__main__":
    main()
