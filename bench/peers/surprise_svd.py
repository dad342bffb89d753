"""Surprise's SVD (biased matrix factorisation by SGD) as a peer benchmark.

Cross-validation on explicit ratings:

    python bench/peers/surprise_svd.py --ratings R.csv --folds 5 --seed 1 [--rating-scale 1,5]

R.csv has the columns user_id, media_id, rating (a real number, e.g. from make_ratings.py,
1..5).  ``surprise.model_selection.KFold(n_splits=folds, random_state=seed, shuffle=True)``
splits the rows; on each fold ``SVD(n_factors=100, n_epochs=20, lr_all=0.005,
reg_all=0.02, init_std_dev=0.1, random_state=seed)`` (each settable: --n-factors, --n-epochs,
--lr-all, --reg-all, --init-std-dev) is fitted on the training part and predicts the held-out
part (``algo.test``).  Reported: RMSE and MAE per fold and their means, fit seconds per fold.

Cross-validation on folds made beforehand (so that another tool can read the same folds):

    python bench/peers/surprise_svd.py --folds-dir DIR --folds 5 --seed 1 [--rating-scale 1,5]

reads DIR/fold-K-train.csv and DIR/fold-K-test.csv for K = 1..folds (columns user_id,
media_id, rating); on each fold the same SVD is fitted on every row of the training file
(``build_full_trainset``) and predicts every row of the test file (``algo.test``); reported as
above.  Raw ids are mapped to dense ids over the sorted union of the fold's two files.

Train / test on the listening log:

    python bench/peers/surprise_svd.py --train T.csv --test S.csv --rating is_listened \
        [--seed 1] [--rating-scale 0,1]

fits the same SVD on every training row (rating = the --rating column, rating_scale (0, 1)),
predicts every test row (``algo.test``; Surprise clips estimates to the rating scale and gives
unknown users/items the global mean plus whichever bias is known), and reports the fit
seconds, prediction seconds, the exact tie-aware Mann-Whitney AUC of the estimates against
the test labels (numpy, no sklearn), and RMSE / MAE against the labels.

In both modes the rows of a (user, item) pair are kept as separate ratings, and raw ids are
mapped to dense integer ids (first the sorted distinct ids of the files read) before Surprise
sees them.  Surprise's SVD is single-threaded; there is no --threads.  Timings are
time.perf_counter around the library calls only (not CSV reading).  Prints one JSON object.
"""

import argparse
import json
import time

import numpy as np
import pandas as pd


def mann_whitney_auc(scores, labels) -> float:
    """Exact AUC = P(score_pos > score_neg) + 0.5 P(equal), by average ranks over ties.

    Computed in integers with doubled ranks: a tie group occupying sorted positions
    [a, b) (1-based ranks a+1..b) gets doubled average rank a + 1 + b.
    """
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels).astype(bool)
    n_pos = int(y.sum())
    n_neg = int(len(y) - n_pos)
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ss = s[order]
    boundaries = np.flatnonzero(np.concatenate([[True], ss[1:] != ss[:-1], [True]]))
    starts, ends = boundaries[:-1], boundaries[1:]
    doubled = np.repeat(starts + 1 + ends, ends - starts).astype(np.int64)  # 2 * average rank
    ranks2 = np.empty_like(doubled)
    ranks2[order] = doubled
    u2 = int(ranks2[y].sum()) - n_pos * (n_pos + 1)   # 2 * U statistic of the positives
    return u2 / (2 * n_pos * n_neg)


def dense_ids(*columns):
    """Map raw ids to dense ints over the sorted union of the given columns."""
    uniq = np.unique(np.concatenate([np.asarray(c, dtype=np.int64) for c in columns]))
    return [np.searchsorted(uniq, np.asarray(c, dtype=np.int64)) for c in columns]


def make_algo(a):
    from surprise import SVD
    return SVD(n_factors=a.n_factors, n_epochs=a.n_epochs, lr_all=a.lr_all, reg_all=a.reg_all,
               init_std_dev=a.init_std_dev, random_state=a.seed)


def run_cv(a, surprise) -> dict:
    from surprise import Dataset, Reader, accuracy
    from surprise.model_selection import KFold

    df = pd.read_csv(a.ratings, usecols=["user_id", "media_id", "rating"])
    u, i = dense_ids(df["user_id"]), dense_ids(df["media_id"])
    frame = pd.DataFrame({"u": u[0], "i": i[0], "r": df["rating"].to_numpy(np.float64)})
    lo, hi = a.rating_scale or (1.0, 5.0)
    data = Dataset.load_from_df(frame, Reader(rating_scale=(lo, hi)))
    kf = KFold(n_splits=a.folds, random_state=a.seed, shuffle=True)
    folds = []
    for trainset, testset in kf.split(data):
        folds.append(fit_and_test(a, trainset, testset, accuracy))
    return {
        "mode": "cross_validation", "ratings": a.ratings, "rows": int(len(df)),
        "users": int(frame["u"].nunique()), "items": int(frame["i"].nunique()),
        "rating_scale": [lo, hi], "folds": a.folds, **fold_means(folds),
    }


def timed_fit_test(a, trainset, testset):
    """Fits a fresh SVD and predicts the test set: (predictions, fit seconds, test seconds)."""
    algo = make_algo(a)
    t0 = time.perf_counter()
    algo.fit(trainset)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    preds = algo.test(testset)
    return preds, fit_s, time.perf_counter() - t0


def fit_and_test(a, trainset, testset, accuracy) -> dict:
    """One fold: the fit and the prediction of the held-out ratings, timed apart."""
    preds, fit_s, test_s = timed_fit_test(a, trainset, testset)
    return {"rmse": accuracy.rmse(preds, verbose=False), "mae": accuracy.mae(preds, verbose=False),
            "fit_seconds": fit_s, "test_seconds": test_s,
            "train_ratings": trainset.n_ratings, "test_ratings": len(testset)}


def fold_means(folds) -> dict:
    return {"rmse_mean": float(np.mean([f["rmse"] for f in folds])),
            "mae_mean": float(np.mean([f["mae"] for f in folds])),
            "fit_seconds_mean": float(np.mean([f["fit_seconds"] for f in folds])),
            "per_fold": folds}


def run_fold_files(a, surprise) -> dict:
    import os
    from surprise import Dataset, Reader, accuracy

    lo, hi = a.rating_scale or (1.0, 5.0)
    cols = ["user_id", "media_id", "rating"]
    folds = []
    for k in range(1, a.folds + 1):
        tr = pd.read_csv(os.path.join(a.folds_dir, f"fold-{k}-train.csv"), usecols=cols)
        te = pd.read_csv(os.path.join(a.folds_dir, f"fold-{k}-test.csv"), usecols=cols)
        tu, eu = dense_ids(tr["user_id"], te["user_id"])
        ti, ei = dense_ids(tr["media_id"], te["media_id"])
        frame = pd.DataFrame({"u": tu, "i": ti, "r": tr["rating"].to_numpy(np.float64)})
        trainset = Dataset.load_from_df(frame, Reader(rating_scale=(lo, hi))).build_full_trainset()
        testset = list(zip(eu.tolist(), ei.tolist(), te["rating"].to_numpy(np.float64).tolist()))
        folds.append(fit_and_test(a, trainset, testset, accuracy))
    return {"mode": "fold_files", "folds_dir": a.folds_dir, "rating_scale": [lo, hi],
            "folds": a.folds, **fold_means(folds)}


def run_train_test(a, surprise) -> dict:
    from surprise import Dataset, Reader

    cols = ["user_id", "media_id", a.rating]
    tr = pd.read_csv(a.train, usecols=cols)
    te = pd.read_csv(a.test, usecols=cols)
    tu, eu = dense_ids(tr["user_id"], te["user_id"])
    ti, ei = dense_ids(tr["media_id"], te["media_id"])
    lo, hi = a.rating_scale or (0.0, 1.0)
    frame = pd.DataFrame({"u": tu, "i": ti, "r": tr[a.rating].to_numpy(np.float64)})
    trainset = Dataset.load_from_df(frame, Reader(rating_scale=(lo, hi))).build_full_trainset()
    y = te[a.rating].to_numpy(np.float64)
    testset = list(zip(eu.tolist(), ei.tolist(), y.tolist()))
    preds, fit_s, test_s = timed_fit_test(a, trainset, testset)
    est = np.array([p.est for p in preds], dtype=np.float64)
    known_u = np.isin(eu, tu)
    known_i = np.isin(ei, ti)
    return {
        "mode": "train_test", "train": a.train, "test": a.test, "rating": a.rating,
        "rating_scale": [lo, hi], "train_rows": int(len(tr)), "test_rows": int(len(te)),
        "users": int(trainset.n_users), "items": int(trainset.n_items),
        "test_rows_unknown_user": int((~known_u).sum()),
        "test_rows_unknown_item": int((~known_i).sum()),
        "fit_seconds": fit_s, "test_seconds": test_s,
        "auc": mann_whitney_auc(est, y == 1),
        "rmse": float(np.sqrt(np.mean((est - y) ** 2))),
        "mae": float(np.mean(np.abs(est - y))),
        "test_positive_rate": float((y == 1).mean()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ratings")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--folds-dir", help="DIR with fold-K-train.csv and fold-K-test.csv, K = 1..folds")
    ap.add_argument("--train")
    ap.add_argument("--test")
    ap.add_argument("--rating", default="is_listened")
    ap.add_argument("--rating-scale", type=lambda s: tuple(float(x) for x in s.split(",")),
                    default=None, help="lo,hi (default 1,5 with --ratings, 0,1 otherwise)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n-factors", type=int, default=100)
    ap.add_argument("--n-epochs", type=int, default=20)
    ap.add_argument("--lr-all", type=float, default=0.005)
    ap.add_argument("--reg-all", type=float, default=0.02)
    ap.add_argument("--init-std-dev", type=float, default=0.1)
    a = ap.parse_args()

    import surprise

    if a.folds_dir:
        out = run_fold_files(a, surprise)
    elif a.ratings:
        out = run_cv(a, surprise)
    elif a.train and a.test:
        out = run_train_test(a, surprise)
    else:
        ap.error("give --ratings, --folds-dir, or --train and --test")
    out = {"library": f"scikit-surprise {surprise.__version__} (SVD)", "seed": a.seed,
           "n_factors": a.n_factors, "n_epochs": a.n_epochs, "lr_all": a.lr_all,
           "reg_all": a.reg_all, "init_std_dev": a.init_std_dev, **out}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
