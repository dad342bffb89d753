"""Random row-level train/test split of a listening log, for the recommender benchmarks.

    python bench/peers/split.py --data data/sample.csv --out-dir /tmp/bench-sample \
        [--train-fraction 0.8] [--seed 123]

Writes OUT/train.csv and OUT/test.csv with the input's header and columns.  The train rows are
``DataFrame.sample(frac=train_fraction, random_state=seed)`` (pandas), the test rows are the
rest; both keep the input's row order.  Prints one JSON object (rows of each part).
"""

import argparse
import json
import os
import time

import pandas as pd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--train-fraction", type=float, default=0.8)
    ap.add_argument("--seed", type=int, default=123)
    a = ap.parse_args()
    t0 = time.perf_counter()
    df = pd.read_csv(a.data)
    train_idx = df.sample(frac=a.train_fraction, random_state=a.seed).index.sort_values()
    mask = pd.Series(False, index=df.index)
    mask[train_idx] = True
    os.makedirs(a.out_dir, exist_ok=True)
    train_path = os.path.join(a.out_dir, "train.csv")
    test_path = os.path.join(a.out_dir, "test.csv")
    df[mask.to_numpy()].to_csv(train_path, index=False)
    df[~mask.to_numpy()].to_csv(test_path, index=False)
    print(json.dumps({"data": a.data, "train": train_path, "test": test_path,
                      "train_rows": int(mask.sum()), "test_rows": int((~mask).sum()),
                      "seed": a.seed, "train_fraction": a.train_fraction,
                      "seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
