"""Peer benchmark for ``fit gbt``: LightGBM on the matrix of bench/peers/classifier_features.py,
or on the raw columns.

    python bench/peers/lightgbm_gbt.py --dir DIR [--trees 200 --lr 0.1 --leaves 31 --min_leaf 20 --bins 255]
    python bench/peers/lightgbm_gbt.py --raw-train train.csv --raw-test test.csv [...]

Binary log loss, RecScript's names mapped to LightGBM's (trees -> num_iterations, lr ->
learning_rate, leaves -> num_leaves, min_leaf -> min_data_in_leaf, bins -> max_bin), no
bagging, feature_fraction 1, lambda_l2 0, all cores. ``--raw-*``: every column but is_listened
and row as a number (ids included), read with pandas. Prints JSON: fit seconds (Dataset
construction, i.e. binning, included), predict seconds, test AUC (sklearn roc_auc_score).
"""
import argparse
import json
import os
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir")
    ap.add_argument("--raw-train")
    ap.add_argument("--raw-test")
    for name, default in [("trees", 200), ("leaves", 31), ("min_leaf", 20), ("bins", 255), ("seed", 1)]:
        ap.add_argument(f"--{name}", type=int, default=default)
    ap.add_argument("--lr", type=float, default=0.1)
    a = ap.parse_args()
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score
    t0 = time.perf_counter()
    if a.dir:
        xtr, ytr = np.load(f"{a.dir}/train_x.npy"), np.load(f"{a.dir}/train_y.npy")
        xte, yte = np.load(f"{a.dir}/test_x.npy"), np.load(f"{a.dir}/test_y.npy")
    else:
        import pandas as pd
        tr, te = pd.read_csv(a.raw_train), pd.read_csv(a.raw_test)
        cols = [c for c in tr.columns if c not in ("is_listened", "row")]
        xtr, ytr = tr[cols].to_numpy(np.float64), tr["is_listened"].to_numpy(np.float64)
        xte, yte = te[cols].to_numpy(np.float64), te["is_listened"].to_numpy(np.float64)
    load = time.perf_counter() - t0
    params = dict(objective="binary", learning_rate=a.lr, num_leaves=a.leaves, max_depth=-1,
                  min_data_in_leaf=a.min_leaf, lambda_l2=0.0, max_bin=a.bins, bagging_fraction=1.0,
                  feature_fraction=1.0, num_threads=os.cpu_count(), verbose=-1, seed=a.seed)
    t0 = time.perf_counter()
    ds = lgb.Dataset(xtr, label=ytr, params={"max_bin": a.bins})
    booster = lgb.train(params, ds, num_boost_round=a.trees)
    fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    p = booster.predict(xte)
    pred = time.perf_counter() - t0
    print(json.dumps({"peer": "lightgbm", "version": lgb.__version__, "train_rows": int(len(ytr)),
                      "test_rows": int(len(yte)), "columns": int(xtr.shape[1]), "load_seconds": load,
                      "fit_seconds": fit, "predict_seconds": pred,
                      "test_auc": float(roc_auc_score(yte, p))}))


if __name__ == "__main__":
    main()
