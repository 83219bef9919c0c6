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
    parser.add_argument("--pool", default="avg", choices=["avg", "max", "avgmax"],
                        help="global pooling before the head: average (the reference), max, or both concatenated "
                             "(a small defect is not averaged away over the whole cell)")
    parser.add_argument("--downscale", default="bilinear", choices=["bilinear", "min", "both"],
                        help="from the 300 px originals: bilinear (the loader's), a 2x2 minimum first (thin dark "
                             "lines survive), or both as two channels")
    parser.add_argument("--clahe", action="store_true",
                        help="contrast-limited adaptive histogram equalisation (scikit-image) before standardising")
    parser.add_argument("--cell-type", default="none", choices=["none", "input", "heads"],
                        help="the module type (mono/poly): concatenated to the pooled features, or one output "
                             "head per type")
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
    """The reference CNN's blocks, with the lever's changes. With a cell-type lever the model takes
    [images (m, H, W, 1), is_mono (m, 1)]."""
    regression = args.target == "regression"
    inputs = keras.Input(shape)
    x = conv_block(inputs, args.width, strides=2, kernel=5) if args.stem else inputs
    for index in range(5):
        x = layers.MaxPooling2D(2)(conv_block(x, args.width * 2 ** index))
    pooled = {"avg": [layers.GlobalAveragePooling2D()(x)], "max": [layers.GlobalMaxPooling2D()(x)]}
    pooled["avgmax"] = pooled["avg"] + pooled["max"]
    features = pooled[args.pool]
    x = layers.Dropout(0.3)(features[0] if len(features) == 1 else layers.Concatenate()(features))
    units, activation = (1, "sigmoid") if regression else (2, "softmax")
    if args.cell_type == "none":
        outputs = layers.Dense(units, activation=activation)(x)
        model = keras.Model(inputs, outputs)
    else:
        is_mono = keras.Input((1,))
        if args.cell_type == "input":
            outputs = layers.Dense(units, activation=activation)(layers.Concatenate()([x, is_mono]))
        else:  # one head per type, chosen by the type
            mono, poly = layers.Dense(units)(x), layers.Dense(units)(x)
            logits = is_mono * mono + (1.0 - is_mono) * poly
            outputs = layers.Activation(activation)(logits)
        model = keras.Model([inputs, is_mono], outputs)
    optimizer = keras.optimizers.AdamW(learning_rate=args.lr, weight_decay=1e-4, use_ema=args.ema, ema_momentum=0.99)
    model.compile(optimizer=optimizer, loss="mse" if regression else "sparse_categorical_crossentropy")
    return model


def clahe(images):
    """Contrast-limited adaptive histogram equalisation of each image (m, H, W, 1) in [0, 1]: tiles
    of an eighth of the side, scikit-image's default clip limit."""
    from skimage.exposure import equalize_adapthist

    side = images.shape[1]
    return np.stack([equalize_adapthist(image[..., 0], kernel_size=side // 8)[..., None]
                     for image in images]).astype(np.float32)


def min_downscaled(size):
    """The 300 px originals reduced by the minimum of each 2x2 window (150 px; a dark line one pixel
    wide survives), then bilinear to ``size``: (m, size, size, 1) in [0, 1]."""
    from PIL import Image

    originals = load_elpv(None)[0][..., 0]
    m, side = originals.shape[0], originals.shape[1] // 2
    reduced = originals[:, :2 * side, :2 * side].reshape(m, side, 2, side, 2).min(axis=(2, 4))
    if side != size:
        reduced = np.stack([np.asarray(Image.fromarray(image).resize((size, size), Image.BILINEAR))
                            for image in reduced])
    return reduced[..., None].astype(np.float32)


def dataset(images, is_mono, target, batch_size, training=False, seed=0):
    """cnn.make_dataset, with the cell type as a second input when ``is_mono`` is given."""
    import tensorflow as tf

    if is_mono is None:
        return cnn.make_dataset(images, target, batch_size, training=training, seed=seed)
    data = tf.data.Dataset.from_tensor_slices((images, is_mono, target)).cache()
    if training:
        data = data.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)

        def augment(image, mono, label):
            image, label = cnn.augment(image, label)
            return (image, mono), label

        data = data.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    else:
        data = data.map(lambda image, mono, label: ((image, mono), label))
    return data.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def defect_scores(model, images, is_mono, regression, tta):
    """P(defective) of each image, averaged over the 8 dihedral views with ``tta``."""
    views = [images]
    if tta:
        views = []
        for k in range(4):
            rotated = np.rot90(images, k, axes=(1, 2))
            views += [rotated, rotated[:, :, ::-1]]
    inputs = (lambda view: view) if is_mono is None else (lambda view: [view, is_mono])
    mean = np.mean([model.predict(inputs(view), batch_size=128, verbose=0) for view in views], axis=0)
    return mean[:, 0] if regression else mean[:, 1]


def main():
    args = arguments()
    regression = args.target == "regression"
    X, y, types = load_elpv(args.size)
    if args.downscale != "bilinear":
        minimum = min_downscaled(args.size)
        X = minimum if args.downscale == "min" else np.concatenate([X, minimum], axis=-1)
    X = cnn.standardize_images(clahe(X) if args.clahe else X)
    is_mono = None if args.cell_type == "none" else (types == "mono").astype(np.float32)[:, None]
    part = (lambda index: None) if is_mono is None else (lambda index: is_mono[index])
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
    model.fit(dataset(X[train], part(train), target[train], 32, training=True, seed=args.seed),
              validation_data=dataset(X[val], part(val), target[val], 128), epochs=args.epochs,
              callbacks=callbacks, shuffle=False, verbose=0)
    train_seconds = time.perf_counter() - start
    if args.ema:
        model.optimizer.finalize_variable_values(model.trainable_variables)

    results = {}
    for tta in (False, True):
        val_scores = defect_scores(model, X[val], part(val), regression, tta)
        test_scores = defect_scores(model, X[test], part(test), regression, tta)
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
