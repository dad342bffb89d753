"""The feature matrix of RecScript's ``features=auto`` on the bench split, built in numpy, for
the classifier peers (bench/peers/lightgbm_gbt.py, bench/peers/sklearn_classifiers.py).

    python bench/peers/classifier_features.py --train train.csv --test test.csv --out DIR
           [--train-rows N] [--test-rows M] [--seed 1]

The recipe is what ``fit ... features=auto`` chooses for the DSG17 columns (the label
is_listened and the bench's ``row`` column left out):

* numeric as is: ts_listen, release_date, media_duration, listen_type, user_gender, user_age
  (integers read as quantities, or two values read as 0/1);
* out-of-fold target encodings, (sum of labels + 20 * prior) / (count + 20), 5 random folds on
  the training rows (numpy default_rng(seed)), all training rows for the test rows, unseen
  levels get the prior: user_id, media_id, artist_id, album_id, genre_id, context_type (73
  levels: too many for one-hot) and the pair (user_id, media_id);
* one-hot (one 0/1 column per level seen in training): platform_name, platform_family.

Writes DIR/{train,test}_x.npy (float32), DIR/{train,test}_y.npy, DIR/test_row.npy (the log's row
numbers of the test rows, for the true probabilities) and DIR/meta.json (names, which columns
are numeric, seconds).  Prints the meta as JSON; ``pipeline_seconds`` times the encodings after
the CSVs are read (reading is ``read_seconds``).
"""
import argparse
import json
import os
import time

import numpy as np

NUMERIC = ["ts_listen", "release_date", "media_duration", "listen_type", "user_gender", "user_age"]
TARGET = ["user_id", "media_id", "artist_id", "album_id", "genre_id", "context_type"]
PAIR = ("user_id", "media_id")
ONEHOT = ["platform_name", "platform_family"]
SMOOTHING, FOLDS = 20.0, 5


def target_encode(keys_train, y, keys_test, folds, prior, m=SMOOTHING):
    """Out-of-fold smoothed means of y per key for the training rows; from all training rows for
    the test rows. Keys are numbered by pandas.factorize (hashing), then each fold's sums are the
    totals minus the fold's own bincounts; a level with no rows gets the prior."""
    import pandas as pd
    codes, uniq = pd.factorize(np.concatenate([keys_train, keys_test]))
    k = len(uniq)
    c_tr, c_te = codes[:len(keys_train)], codes[len(keys_train):]
    s_all = np.bincount(c_tr, weights=y, minlength=k)
    n_all = np.bincount(c_tr, minlength=k).astype(np.float64)
    tr = np.empty(len(keys_train))
    for f in range(FOLDS):
        held = folds == f
        ch = c_tr[held]
        s = s_all - np.bincount(ch, weights=y[held], minlength=k)
        n = n_all - np.bincount(ch, minlength=k)
        tr[held] = (s[ch] + m * prior) / (n[ch] + m)
    return tr, (s_all[c_te] + m * prior) / (n_all[c_te] + m)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--train-rows", type=int, default=0)
    ap.add_argument("--test-rows", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    import pandas as pd
    t0 = time.perf_counter()
    tr = pd.read_csv(a.train, nrows=a.train_rows or None)
    te = pd.read_csv(a.test, nrows=a.test_rows or None)
    t1 = time.perf_counter()
    rng = np.random.default_rng(a.seed)
    ytr = tr["is_listened"].to_numpy(np.float64)
    yte = te["is_listened"].to_numpy(np.float64)
    prior = ytr.mean()
    folds = rng.integers(0, FOLDS, size=len(tr))
    names, numeric = [], []
    xtr, xte = [], []
    for col in NUMERIC:
        xtr.append(tr[col].to_numpy(np.float64)); xte.append(te[col].to_numpy(np.float64))
        numeric.append(len(names)); names.append(col)
    keys = {c: (tr[c].to_numpy(np.int64), te[c].to_numpy(np.int64)) for c in TARGET}
    a_tr, a_te = keys[PAIR[0]]
    b_tr, b_te = keys[PAIR[1]]
    span = int(max(b_tr.max(), b_te.max())) + 1
    keys["pair(user_id, media_id)"] = (a_tr * span + b_tr, a_te * span + b_te)
    for name, (k_tr, k_te) in keys.items():
        e_tr, e_te = target_encode(k_tr, ytr, k_te, folds, prior)
        xtr.append(e_tr); xte.append(e_te); names.append(f"target({name})")
    for col in ONEHOT:
        v_tr, v_te = tr[col].to_numpy(), te[col].to_numpy()
        for level in np.unique(v_tr):
            xtr.append((v_tr == level).astype(np.float64)); xte.append((v_te == level).astype(np.float64))
            names.append(f"{col}={level}")
    Xtr = np.column_stack(xtr).astype(np.float32)
    Xte = np.column_stack(xte).astype(np.float32)
    t2 = time.perf_counter()
    os.makedirs(a.out, exist_ok=True)
    np.save(os.path.join(a.out, "train_x.npy"), Xtr)
    np.save(os.path.join(a.out, "train_y.npy"), ytr.astype(np.float32))
    np.save(os.path.join(a.out, "test_x.npy"), Xte)
    np.save(os.path.join(a.out, "test_y.npy"), yte.astype(np.float32))
    if "row" in te.columns:
        np.save(os.path.join(a.out, "test_row.npy"), te["row"].to_numpy(np.int64))
    meta = {"train_rows": int(len(tr)), "test_rows": int(len(te)), "columns": len(names), "names": names,
            "numeric": numeric, "read_seconds": round(t1 - t0, 3), "pipeline_seconds": round(t2 - t1, 3),
            "source": {"train": os.path.realpath(a.train), "test": os.path.realpath(a.test),
                       "train_rows": a.train_rows, "test_rows": a.test_rows, "seed": a.seed}}
    json.dump(meta, open(os.path.join(a.out, "meta.json"), "w"))
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
