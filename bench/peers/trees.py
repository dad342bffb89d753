"""Peer benchmark for the tree learners (``fit gbt``, ``fit forest``): LightGBM and scikit-learn
on the same feature matrix that RecScript's tree benchmark test reads.

    python bench/peers/trees.py features --csv data/full.csv --out DIR [--seed 1]
    python bench/peers/trees.py lightgbm --dir DIR [--trees 200 --lr 0.1 --leaves 31 ...]
    python bench/peers/trees.py forest --dir DIR [--trees 100 --rows 1000000 ...]

``features`` writes DIR/{train,test}_x.f32 (row-major float32), DIR/{train,test}_y.f32 (0/1)
and DIR/meta.json (rows, columns, names).  Split: a random 80/20 of the rows (numpy
default_rng(seed)).  Columns: user_age, media_duration, release year (release_date // 10000),
context_type, platform_name, platform_family, listen_type, user_gender, hour of ts_listen
((ts // 3600) % 24), and smoothed target encodings of user_id, media_id, artist_id, album_id:
(sum of labels + 20 * prior) / (count + 20), out-of-fold (5 random folds) on the training
rows, from all training rows on the test rows.

``lightgbm`` fits binary log loss boosting with the RecScript names mapped to LightGBM's
(trees -> num_iterations, lr -> learning_rate, leaves -> num_leaves, depth -> max_depth
(0 -> -1), min_leaf -> min_data_in_leaf, l2 -> lambda_l2, bins -> max_bin), LightGBM's default
min_sum_hessian_in_leaf (1e-3, RecScript's fixed minimum too), no bagging, feature_fraction 1,
all cores; prints fit seconds (Dataset construction, i.e. binning, included) and test AUC as JSON.

``forest`` fits sklearn.ensemble.RandomForestClassifier(n_estimators=trees, max_depth,
min_samples_leaf, max_features, bootstrap, n_jobs=-1, random_state=seed) on the first
``--rows`` training rows; prints fit seconds and test AUC (on all test rows) as JSON.
"""
import argparse, json, os, time
import numpy as np


def target_encode(keys_train, y, keys_test, folds, prior, m=20.0):
    """Out-of-fold mean encoding of keys_train; keys_test from all training rows."""
    def encode(fit_keys, fit_y, apply_keys):
        uniq, inv = np.unique(fit_keys, return_inverse=True)
        s = np.bincount(inv, weights=fit_y, minlength=len(uniq))
        c = np.bincount(inv, minlength=len(uniq)).astype(np.float64)
        pos = np.searchsorted(uniq, apply_keys)
        pos = np.clip(pos, 0, len(uniq) - 1)
        found = uniq[pos] == apply_keys
        out = np.full(len(apply_keys), prior)
        out[found] = (s[pos[found]] + m * prior) / (c[pos[found]] + m)
        return out
    tr = np.empty(len(keys_train))
    for f in range(folds.max() + 1):
        held = folds == f
        tr[held] = encode(keys_train[~held], y[~held], keys_train[held])
    return tr, encode(keys_train, y, keys_test)


def features(args):
    import pandas as pd
    df = pd.read_csv(args.csv)
    rng = np.random.default_rng(args.seed)
    n = len(df)
    is_train = rng.random(n) < 0.8
    y = df["is_listened"].to_numpy(np.float64)
    cols = {
        "user_age": df["user_age"], "media_duration": df["media_duration"],
        "release_year": df["release_date"] // 10000, "context_type": df["context_type"],
        "platform_name": df["platform_name"], "platform_family": df["platform_family"],
        "listen_type": df["listen_type"], "user_gender": df["user_gender"],
        "hour": (df["ts_listen"] // 3600) % 24,
    }
    base = np.column_stack([c.to_numpy(np.float64) for c in cols.values()])
    names = list(cols)
    ytr = y[is_train]
    prior = ytr.mean()
    folds = rng.integers(0, 5, size=int(is_train.sum()))
    te_tr, te_te = [], []
    for key in ["user_id", "media_id", "artist_id", "album_id"]:
        k = df[key].to_numpy(np.int64)
        a, b = target_encode(k[is_train], ytr, k[~is_train], folds, prior)
        te_tr.append(a); te_te.append(b); names.append(f"te({key})")
    xtr = np.column_stack([base[is_train]] + te_tr).astype(np.float32)
    xte = np.column_stack([base[~is_train]] + te_te).astype(np.float32)
    os.makedirs(args.out, exist_ok=True)
    xtr.tofile(f"{args.out}/train_x.f32"); ytr.astype(np.float32).tofile(f"{args.out}/train_y.f32")
    xte.tofile(f"{args.out}/test_x.f32"); y[~is_train].astype(np.float32).tofile(f"{args.out}/test_y.f32")
    meta = {"train_rows": int(xtr.shape[0]), "test_rows": int(xte.shape[0]), "columns": len(names), "names": names}
    json.dump(meta, open(f"{args.out}/meta.json", "w"))
    print(json.dumps(meta))


def load(d, rows=None):
    meta = json.load(open(f"{d}/meta.json"))
    c = meta["columns"]
    xtr = np.fromfile(f"{d}/train_x.f32", dtype=np.float32).reshape(-1, c)
    ytr = np.fromfile(f"{d}/train_y.f32", dtype=np.float32)
    if rows:
        xtr, ytr = xtr[:rows], ytr[:rows]
    xte = np.fromfile(f"{d}/test_x.f32", dtype=np.float32).reshape(-1, c)
    yte = np.fromfile(f"{d}/test_y.f32", dtype=np.float32)
    return xtr, ytr, xte, yte


def run_lightgbm(args):
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score
    xtr, ytr, xte, yte = load(args.dir, args.rows)
    params = dict(objective="binary", learning_rate=args.lr, num_leaves=args.leaves,
                  max_depth=args.depth if args.depth > 0 else -1, min_data_in_leaf=args.min_leaf,
                  lambda_l2=args.l2, max_bin=args.bins,
                  bagging_fraction=1.0, feature_fraction=1.0, num_threads=os.cpu_count(),
                  verbose=-1, seed=args.seed)
    t0 = time.time()
    ds = lgb.Dataset(xtr, label=ytr, params={"max_bin": args.bins})
    booster = lgb.train(params, ds, num_boost_round=args.trees)
    fit = time.time() - t0
    t1 = time.time()
    p = booster.predict(xte)
    pred = time.time() - t1
    print(json.dumps({"peer": "lightgbm", "version": lgb.__version__, "train_rows": len(ytr),
                      "fit_seconds": round(fit, 2), "predict_seconds": round(pred, 2),
                      "test_auc": round(float(roc_auc_score(yte, p)), 5)}))


def run_forest(args):
    import sklearn
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import roc_auc_score
    xtr, ytr, xte, yte = load(args.dir, args.rows)
    mf = {"sqrt": "sqrt", "log2": "log2", "all": None}[args.max_features]
    model = RandomForestClassifier(n_estimators=args.trees, max_depth=args.depth or None,
                                   min_samples_leaf=args.min_leaf, max_features=mf,
                                   bootstrap=args.bootstrap == "true", n_jobs=-1, random_state=args.seed)
    t0 = time.time()
    model.fit(xtr, ytr)
    fit = time.time() - t0
    t1 = time.time()
    p = model.predict_proba(xte)[:, 1]
    pred = time.time() - t1
    print(json.dumps({"peer": "sklearn-forest", "version": sklearn.__version__, "train_rows": len(ytr),
                      "fit_seconds": round(fit, 2), "predict_seconds": round(pred, 2),
                      "test_auc": round(float(roc_auc_score(yte, p)), 5)}))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("features"); f.add_argument("--csv", required=True); f.add_argument("--out", required=True)
    f.add_argument("--seed", type=int, default=1)
    g = sub.add_parser("lightgbm"); g.add_argument("--dir", required=True)
    for name, default in [("trees", 200), ("leaves", 31), ("depth", 0), ("min_leaf", 20), ("bins", 255),
                          ("seed", 1), ("rows", 0)]:
        g.add_argument(f"--{name}", type=int, default=default)
    g.add_argument("--lr", type=float, default=0.1); g.add_argument("--l2", type=float, default=0.0)
    r = sub.add_parser("forest"); r.add_argument("--dir", required=True)
    for name, default in [("trees", 100), ("depth", 0), ("min_leaf", 1), ("seed", 1), ("rows", 0)]:
        r.add_argument(f"--{name}", type=int, default=default)
    r.add_argument("--max_features", default="sqrt"); r.add_argument("--bootstrap", default="true")
    a = ap.parse_args()
    {"features": features, "lightgbm": run_lightgbm, "forest": run_forest}[a.cmd](a)
