"""Implicit-feedback ALS (the ``implicit`` package, CPU, conjugate gradient) as a peer benchmark.

    python bench/peers/implicit_als.py --train T.csv --test S.csv --factors 64 --reg 0.01 \
        --alpha 1.0 --iterations 15 --k 10 --seed 1 [--threads N] [--confidence implicit|hkv]

Input: CSV logs with (at least) user_id, media_id, is_listened.  Users and items are the distinct
ids of the training file (any label), mapped to dense indices in raw id ascending order, so the
matrix has a row for every training user and a column for every training item.  The value of
(u, i) is the number of training rows of the pair with is_listened == 1; pairs with only skips
are left out (not stored), as are their users' and items' positives if they have none (such
rows/columns are empty and the solver gives them zero factors).

Model: ``implicit.cpu.als.AlternatingLeastSquares(factors, regularization=reg, alpha,
use_native=True, use_cg=True, iterations, calculate_training_loss=False, num_threads=threads,
random_state=seed)``, float32.  BLAS is limited to 1 thread (threadpoolctl) around the model's
construction, fit and recommend, as implicit asks; the exact top-k below uses all BLAS threads.

Confidence (read from implicit 0.7.3's installed source, implicit/cpu/als.py):
  ``fit`` multiplies the whole matrix by alpha (lines 133-134: ``if self.alpha != 1.0:
  Cui = self.alpha * Cui``) and the solver uses the stored value itself as the confidence:
  b += c * y_i and A += (c - 1) y_i y_i^T on top of YtY + reg*I (lines 504-512; the CG
  solver, lines 538-557, the same), with c = 1, p = 0 for entries not stored.  So
  c_ui = alpha * r_ui (NOT 1 + alpha * r_ui), p_ui = 1 where r_ui > 0; alpha is applied
  inside fit (and recalculate_user/item, explain).

--confidence chooses what the stored values are:
  * ``implicit`` (the default): the matrix holds r_ui and implicit gets ``alpha=--alpha``, so
    c_ui = alpha * r_ui as above (implicit's own convention).
  * ``hkv``: Hu, Koren and Volinsky's c_ui = 1 + alpha * r_ui (RecScript's ``fit als``): the
    matrix holds 1 + alpha * r_ui (computed in float64, stored float32) and implicit gets
    ``alpha=1.0``, so fit leaves the values as they are and the solver's confidence is exactly
    1 + alpha * r_ui.  p_ui is unchanged (1 for every stored pair, as 1 + alpha * r_ui > 0),
    and so is the set of stored pairs, which ``recommend`` filters.

Reported (one JSON object): the matrix size (users, items, nonzeros), fit seconds and seconds
per iteration (fit / iterations), the seconds of one batch ``model.recommend(userid=all
training users, user_items=csr, N=k, filter_already_liked_items=True)``, and ranking metrics
(bench/peers/ranking.py) on the test file:
  * metrics_recommend: implicit's own top-k lists from that call.  implicit filters only the
    user's stored (listened) items; items the user only skipped in training can still appear,
    and ranking_metrics drops them (``dropped_seen``), leaving those lists short.
  * metrics_exact: the top-k by the definition, from the same factors: scores U V^T in numpy,
    every training item of the user (any label) excluded, ties by raw item id ascending
    (``ranking.exact_top_k``), for the evaluated users only; its time is ``exact_topk_seconds``.
Timings are time.perf_counter around the library calls only (not CSV reading).
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ranking import exact_top_k, ranking_metrics  # noqa: E402

COLS = ["user_id", "media_id", "is_listened"]
CONFIDENCE = ("c_ui = alpha * r_ui for stored entries (r_ui = listened-row count), applied "
              "inside fit (implicit/cpu/als.py:133-134 'Cui = self.alpha * Cui'); solver adds "
              "(c - 1) y y^T to YtY + reg I and c y to b (als.py:504-512, CG 538-557); "
              "unstored entries c = 1, p = 0. Not 1 + alpha * r.")
CONFIDENCE_HKV = ("c_ui = 1 + alpha * r_ui for stored entries (r_ui = listened-row count): the "
                  "matrix holds 1 + alpha * r_ui and implicit's alpha is 1.0, so fit does not "
                  "rescale it; unstored entries c = 1, p = 0 (Hu, Koren and Volinsky 2008).")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--factors", type=int, default=64)
    ap.add_argument("--reg", type=float, default=0.01)
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--iterations", type=int, default=15)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--batch", type=int, default=256, help="users per batch of the exact top-k")
    ap.add_argument("--confidence", choices=["implicit", "hkv"], default="implicit",
                    help="implicit: values r, c = alpha*r (default); hkv: values 1 + alpha*r "
                         "with implicit's alpha=1.0, c = 1 + alpha*r (RecScript's definition)")
    a = ap.parse_args()

    train = pd.read_csv(a.train, usecols=COLS)
    test = pd.read_csv(a.test, usecols=COLS)

    tr_u = train["user_id"].to_numpy(np.int64)
    tr_i = train["media_id"].to_numpy(np.int64)
    liked = train["is_listened"].to_numpy() == 1
    users = np.unique(tr_u)
    items = np.unique(tr_i)
    u_idx = np.searchsorted(users, tr_u)
    i_idx = np.searchsorted(items, tr_i)
    shape = (len(users), len(items))
    csr = sp.csr_matrix((np.ones(int(liked.sum()), np.float32), (u_idx[liked], i_idx[liked])),
                        shape=shape)
    csr.sum_duplicates()
    csr.sort_indices()
    if a.confidence == "hkv":
        csr.data = (1.0 + a.alpha * csr.data.astype(np.float64)).astype(np.float32)
        model_alpha = 1.0
    else:
        model_alpha = a.alpha
    seen = sp.csr_matrix((np.ones(len(u_idx), np.int8), (u_idx, i_idx)), shape=shape)
    seen.sum_duplicates()

    import implicit
    from implicit.cpu.als import AlternatingLeastSquares

    with threadpool_limits(limits=1, user_api="blas"):
        model = AlternatingLeastSquares(
            factors=a.factors, regularization=a.reg, alpha=model_alpha, dtype=np.float32,
            use_native=True, use_cg=True, iterations=a.iterations,
            calculate_training_loss=False, num_threads=a.threads, random_state=a.seed)
        t0 = time.perf_counter()
        model.fit(csr, show_progress=False)
        fit_s = time.perf_counter() - t0

        all_users = np.arange(len(users), dtype=np.int32)
        t0 = time.perf_counter()
        ids, _scores = model.recommend(userid=all_users, user_items=csr, N=a.k,
                                       filter_already_liked_items=True)
        rec_s = time.perf_counter() - t0

    # implicit's lists, raw ids
    ids = np.asarray(ids)
    valid = (ids >= 0) & (ids < len(items))
    rec_lists = {int(users[r]): items[ids[r][valid[r]]] for r in range(len(users))}
    rows = np.repeat(np.arange(len(users)), ids.shape[1])[valid.ravel()]
    skip_only_slots = int(np.asarray(seen[rows, ids.ravel()[valid.ravel()]]).ravel().astype(bool).sum())
    m_rec = ranking_metrics(rec_lists, train, test, a.k, exclude_seen=True)

    # exact top-k by the definition for the evaluated users
    te_rel_users = np.unique(test["user_id"].to_numpy(np.int64)[test["is_listened"].to_numpy() == 1])
    eval_users = te_rel_users[np.isin(te_rel_users, users)]
    eval_rows = np.searchsorted(users, eval_users)
    U = np.asarray(model.user_factors)
    V = np.asarray(model.item_factors)
    exact = {}
    t0 = time.perf_counter()
    buf = np.empty((min(a.batch, max(len(eval_rows), 1)), len(items)), dtype=U.dtype)
    with threadpool_limits(limits=a.threads, user_api="blas"):
        for s in range(0, len(eval_rows), a.batch):
            r = eval_rows[s:s + a.batch]
            scores = np.matmul(U[r], V.T, out=buf[:len(r)])
            top = exact_top_k(scores, a.k, exclude=seen[r], copy=False)
            for row, lst in zip(r, top):
                exact[int(users[row])] = items[lst[lst >= 0]]
    exact_s = time.perf_counter() - t0
    m_exact = ranking_metrics(exact, train, test, a.k, exclude_seen=True)
    differs = sum(1 for u in eval_users
                  if not np.array_equal(exact[int(u)], rec_lists[int(u)]))

    blas = sorted({f"{x['internal_api']} {x.get('version')}" for x in threadpool_info()
                   if x["user_api"] == "blas"})
    print(json.dumps({
        "library": f"implicit {implicit.__version__} (implicit.cpu.als, use_cg=True)",
        "train": a.train, "test": a.test,
        "users": len(users), "items": len(items), "nonzeros": int(csr.nnz),
        "train_rows": int(len(train)), "train_listened_rows": int(liked.sum()),
        "factors": a.factors, "regularization": a.reg, "alpha": a.alpha,
        "iterations": a.iterations, "k": a.k, "seed": a.seed, "threads": a.threads,
        "confidence_mode": a.confidence, "implicit_alpha": model_alpha,
        "confidence": CONFIDENCE if a.confidence == "implicit" else CONFIDENCE_HKV,
        "fit_seconds": fit_s,
        "seconds_per_iteration": fit_s / a.iterations,
        "recommend_seconds": rec_s,
        "recommend_users": len(users),
        "recommend_slots_skip_only_seen": skip_only_slots,
        "metrics_recommend": m_rec,
        "exact_topk_seconds": exact_s,
        "metrics_exact": m_exact,
        "evaluated_users_exact_differs_from_recommend": int(differs),
        "blas": blas,
    }))


if __name__ == "__main__":
    main()
