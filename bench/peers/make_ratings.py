"""Make an explicit-rating data set from a generated listening log and its true probabilities.

    python bench/peers/make_ratings.py --data data/full.csv --probabilities data/full-p.csv \
        --out R.csv [--rows N] [--seed 1]

--data is the generated log (CSV with header; user_id and media_id are used).
--probabilities is the generator's companion file: a CSV with the single header ``p`` and one
value per row of the data file, in the same order (the true probability that the row is a
listen, e.g. ``0.853043``); its row count must equal the data file's.

Output (CSV, header ``user_id,media_id,rating``): one row per distinct (user_id, media_id) pair
with rating = 1 + 4 * mean(p over the pair's rows), a real number in [1, 5], sorted by
(user_id, media_id).  With --rows N, N pairs are kept, chosen uniformly at random without
replacement by numpy.random.default_rng(seed).choice (then sorted the same way).
Prints one JSON object (rows read, pairs, rows written, rating summary, seconds).
"""

import argparse
import json
import time

import numpy as np
import pandas as pd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--probabilities", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=None, help="keep N random pairs")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    t0 = time.perf_counter()
    df = pd.read_csv(a.data, usecols=["user_id", "media_id"])
    p = pd.read_csv(a.probabilities)
    if list(p.columns) != ["p"]:
        raise SystemExit(f"{a.probabilities}: expected a single column 'p', got {list(p.columns)}")
    if len(p) != len(df):
        raise SystemExit(f"{a.probabilities} has {len(p)} rows, {a.data} has {len(df)}")
    df["p"] = p["p"].to_numpy(np.float64)
    pairs = (df.groupby(["user_id", "media_id"], sort=True)["p"].mean()
             .reset_index())
    pairs["rating"] = 1.0 + 4.0 * pairs["p"]
    n_pairs = len(pairs)
    if a.rows is not None and a.rows < n_pairs:
        rng = np.random.default_rng(a.seed)
        keep = np.sort(rng.choice(n_pairs, size=a.rows, replace=False))
        pairs = pairs.iloc[keep]
    pairs[["user_id", "media_id", "rating"]].to_csv(a.out, index=False)
    r = pairs["rating"].to_numpy()
    print(json.dumps({
        "data": a.data, "probabilities": a.probabilities, "out": a.out,
        "rows_read": int(len(df)), "pairs": int(n_pairs), "rows_written": int(len(pairs)),
        "seed": a.seed, "users": int(pairs["user_id"].nunique()),
        "items": int(pairs["media_id"].nunique()),
        "rating_min": float(r.min()), "rating_max": float(r.max()),
        "rating_mean": float(r.mean()), "rating_std": float(r.std()),
        "seconds": time.perf_counter() - t0,
    }))


if __name__ == "__main__":
    main()
