"""Peer benchmark for ``fit logreg``, ``forest``, ``svc``, ``knn`` and ``mlp``: scikit-learn on
the matrix of bench/peers/classifier_features.py.

    python bench/peers/sklearn_classifiers.py MODEL --dir DIR [--rows N] [options]

MODEL and its settings (RecScript's names and defaults; scikit-learn's class in brackets):

* logreg [LogisticRegression(C, penalty="l2", solver="lbfgs", max_iter, tol=1e-4)]
* forest [RandomForestClassifier(n_estimators=trees, max_depth=depth, min_samples_leaf=min_leaf,
  max_features="sqrt", bootstrap=True, n_jobs=-1, random_state=seed)]
* svc [LinearSVC(C, loss="squared_hinge", dual=True, max_iter=1000, tol=1e-4)]: AUC of the
  decision values (RecScript's Platt scaling is monotone, so the AUC is comparable)
* knn [KNeighborsClassifier(n_neighbors=k, weights="uniform", algorithm="auto", n_jobs=-1)]
* mlp [MLPClassifier(hidden_layer_sizes, activation="relu", solver="adam", alpha=1e-4,
  batch_size=200, learning_rate_init=1e-3, max_iter=epochs, random_state=seed)]

logreg, svc, knn and mlp standardise the numeric columns (z-score fitted on the training rows,
as RecScript's scale=standard; the encodings are left as they are), timed as ``scale_seconds``,
apart from the fit. --rows keeps the first N training rows. Prints JSON: fit and predict
seconds (predict: scoring every test row of DIR), test AUC (sklearn roc_auc_score).
"""
import argparse
import json
import os
import time
import warnings

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=["logreg", "forest", "svc", "knn", "mlp"])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--rows", type=int, default=0)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--max_iter", type=int, default=0)
    for name, default in [("trees", 100), ("depth", 0), ("min_leaf", 1), ("k", 5), ("epochs", 200), ("seed", 1)]:
        ap.add_argument(f"--{name}", type=int, default=default)
    ap.add_argument("--hidden", default="100")
    a = ap.parse_args()
    import sklearn
    from sklearn.metrics import roc_auc_score
    warnings.filterwarnings("ignore")
    meta = json.load(open(f"{a.dir}/meta.json"))
    xtr, ytr = np.load(f"{a.dir}/train_x.npy"), np.load(f"{a.dir}/train_y.npy")
    xte, yte = np.load(f"{a.dir}/test_x.npy"), np.load(f"{a.dir}/test_y.npy")
    if a.rows:
        xtr, ytr = xtr[:a.rows], ytr[:a.rows]
    scale = 0.0
    if a.model != "forest":
        t0 = time.perf_counter()
        xtr, xte = xtr.astype(np.float64), xte.astype(np.float64)
        num = meta["numeric"]
        mu, sd = xtr[:, num].mean(axis=0), xtr[:, num].std(axis=0)
        sd[sd == 0] = 1.0
        xtr[:, num] = (xtr[:, num] - mu) / sd
        xte[:, num] = (xte[:, num] - mu) / sd
        scale = time.perf_counter() - t0
    if a.model == "logreg":
        from sklearn.linear_model import LogisticRegression
        model = LogisticRegression(C=a.C, penalty="l2", solver="lbfgs", max_iter=a.max_iter or 100, tol=1e-4)
    elif a.model == "forest":
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(n_estimators=a.trees, max_depth=a.depth or None, min_samples_leaf=a.min_leaf,
                                       max_features="sqrt", bootstrap=True, n_jobs=-1, random_state=a.seed)
    elif a.model == "svc":
        from sklearn.svm import LinearSVC
        model = LinearSVC(C=a.C, loss="squared_hinge", dual=True, max_iter=a.max_iter or 1000, tol=1e-4,
                          random_state=a.seed)
    elif a.model == "knn":
        from sklearn.neighbors import KNeighborsClassifier
        model = KNeighborsClassifier(n_neighbors=a.k, weights="uniform", n_jobs=-1)
    else:
        from sklearn.neural_network import MLPClassifier
        model = MLPClassifier(hidden_layer_sizes=tuple(int(h) for h in a.hidden.split(",")), activation="relu",
                              solver="adam", alpha=1e-4, batch_size=200, learning_rate_init=1e-3,
                              max_iter=a.epochs, random_state=a.seed)
    t0 = time.perf_counter()
    model.fit(xtr, ytr)
    fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    if a.model == "svc":
        p = model.decision_function(xte)
    else:
        p = model.predict_proba(xte)[:, 1]
    pred = time.perf_counter() - t0
    out = {"peer": f"sklearn-{a.model}", "version": sklearn.__version__, "train_rows": int(len(ytr)),
           "test_rows": int(len(yte)), "columns": int(xtr.shape[1]), "scale_seconds": scale,
           "fit_seconds": fit, "predict_seconds": pred, "test_auc": float(roc_auc_score(yte, p))}
    if hasattr(model, "n_iter_"):
        out["iterations"] = int(np.max(model.n_iter_))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
