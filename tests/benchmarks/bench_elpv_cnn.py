"""Benchmark: the reference CNN of a6_cnn_keras (solutions/cnn.py) on ELPV, from scratch, on this CPU.

Protocol (issue 6): defective = defect probability >= 0.5; a stratified 75/25 train/test split
with random_state=0; any validation set comes out of the training part. Goals: test accuracy at
least 0.884 (Deitsch et al. 2019, a fine-tuned VGG-19 on a GPU) with at most 15 minutes of
training on this 2-core CPU. Prints, per seed, the test accuracy, the training wall time, the
parameter count and whether each goal is met, plus the machine's load (the times are only
comparable on an otherwise idle machine). Nothing is downloaded: ELPV ships in `elpv-dataset`.

    python tests/benchmarks/bench_elpv_cnn.py                  # the reference run, seed 0
    python tests/benchmarks/bench_elpv_cnn.py --seeds 0 1 2    # the spread over seeds
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tensorflow as tf

from dlhelpers.data import load_elpv
from solutions import cnn

GOAL_ACCURACY = 0.884
GOAL_SECONDS = 15 * 60


def load_average():
    try:
        return "load average %.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "load average unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="training seeds (default 0)")
    parser.add_argument("--image-size", type=int, default=cnn.IMAGE_SIZE, help="side of the downscaled images")
    parser.add_argument("--epochs", type=int, default=cnn.EPOCHS)
    parser.add_argument("--batch-size", type=int, default=cnn.BATCH_SIZE)
    parser.add_argument("--subset", type=int, default=None, help="use only this many training images")
    parser.add_argument("--val-size", type=float, default=None,
                        help="fraction of the training part held out for validation (restores the best epoch)")
    parser.add_argument("--threads", type=int, default=0,
                        help="TensorFlow intra- and inter-op threads (default 0: TensorFlow's own choice, as a "
                             "student's notebook runs)")
    args = parser.parse_args()

    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    threads = args.threads or "TensorFlow's default"
    print(f"TensorFlow {tf.__version__}, {os.cpu_count()} CPUs, threads: {threads}; {load_average()}")

    start = time.perf_counter()
    X, y, _ = load_elpv(args.image_size)
    print(f"ELPV: {len(X)} images, {args.image_size}x{args.image_size}, {y.mean():.1%} defective; "
          f"loaded and resized in {time.perf_counter() - start:.1f} s")

    rows = []
    for seed in args.seeds:
        result = cnn.run_pipeline(image_size=args.image_size, epochs=args.epochs, batch_size=args.batch_size,
                                  subset=args.subset, val_size=args.val_size, seed=seed, data=(X, y))
        rows.append(result)
        print(f"\nseed {seed}: test accuracy {result['accuracy']:.4f}, "
              f"training {result['train_seconds']:.0f} s on {result['n_train']} images, "
              f"{result['n_params']:,} parameters; {load_average()}")
        print("confusion matrix (rows: true functional/defective; columns: predicted):")
        print(result["confusion_matrix"])
        print(result["report"])

    accuracies = [r["accuracy"] for r in rows]
    seconds = [r["train_seconds"] for r in rows]
    print("=" * 72)
    if len(rows) > 1:
        print(f"accuracy over seeds {args.seeds}: mean {statistics.mean(accuracies):.4f}, "
              f"min {min(accuracies):.4f}, max {max(accuracies):.4f}, sd {statistics.stdev(accuracies):.4f}")
    accuracy, worst_seconds = statistics.mean(accuracies), max(seconds)
    print(f"test accuracy {accuracy:.4f}  (goal >= {GOAL_ACCURACY}: "
          f"{'met' if accuracy >= GOAL_ACCURACY else f'NOT met, short by {GOAL_ACCURACY - accuracy:.4f}'})")
    print(f"training time {worst_seconds:.0f} s  (goal <= {GOAL_SECONDS} s: "
          f"{'met' if worst_seconds <= GOAL_SECONDS else 'NOT met'})")
    print(f"parameters {rows[0]['n_params']:,}")


if __name__ == "__main__":
    main()
