"""Truncated SVD of the row-centred user x item listen matrix with scipy, as a peer benchmark.

    python bench/peers/svds.py --train T.csv --k 32 [--seed 1] [--threads N]
        [--solvers arpack,propack]

Input: a CSV log with (at least) user_id, media_id, is_listened.  Users and items are the
distinct ids of the file (any label), mapped to dense indices in raw id ascending order.
A (users x items, float64, sparse) holds for each pair the number of its rows with
is_listened == 1 (the sum of the label; pairs with only skips are zero).  Each user's row is
de-meaned by its mean over ALL items, zeros included (as a dense pivot would be):
mu_u = (sum_i A_ui) / n_items.  The centred matrix A - mu 1^T is never densified: it is a
scipy.sparse.linalg.LinearOperator with

    matvec  x -> A x - mu (1^T x)        rmatvec y -> A^T y - 1 (mu^T y)

(and the matching matmat / rmatmat), and ``scipy.sparse.linalg.svds(op, k=k, solver=S,
random_state=seed)`` computes its k largest singular triplets, for each solver S asked for
(default arpack, then propack if this scipy has it; a solver that fails is reported with its
error instead).

Reported (one JSON object), per solver: the seconds of the svds call (time.perf_counter
around it only), the k singular values in descending order (full float precision), and the
RMSE of the rank-k reconstruction mu_u + (U S V^T)_ui over the nonzero entries of A.
--threads limits the BLAS threads (threadpoolctl); scipy's sparse products are single-threaded.
"""

import argparse
import json
import os
import time

import numpy as np
import pandas as pd
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, svds
from threadpoolctl import threadpool_limits

COLS = ["user_id", "media_id", "is_listened"]


def centred_operator(A: sp.csr_matrix) -> tuple[LinearOperator, np.ndarray]:
    """LinearOperator for A - mu 1^T with mu the row means over all columns."""
    m, n = A.shape
    mu = np.asarray(A.sum(axis=1)).ravel() / n
    AT = A.T.tocsr()

    def matvec(x):
        x = np.asarray(x).ravel()
        return A @ x - mu * x.sum()

    def rmatvec(y):
        y = np.asarray(y).ravel()
        return AT @ y - np.full(n, mu @ y)

    def matmat(X):
        return A @ X - np.outer(mu, X.sum(axis=0))

    def rmatmat(Y):
        return AT @ Y - np.broadcast_to(mu @ Y, (n, Y.shape[1]))

    op = LinearOperator((m, n), matvec=matvec, rmatvec=rmatvec, matmat=matmat,
                        rmatmat=rmatmat, dtype=np.float64)
    return op, mu


def reconstruction_rmse(A: sp.csr_matrix, mu, U, s, Vt, chunk=1_000_000) -> float:
    coo = A.tocoo()
    US = U * s
    V = Vt.T
    sq = 0.0
    for a in range(0, coo.nnz, chunk):
        r, c, v = coo.row[a:a + chunk], coo.col[a:a + chunk], coo.data[a:a + chunk]
        pred = mu[r] + np.einsum("nf,nf->n", US[r], V[c])
        sq += float(((pred - v) ** 2).sum())
    return float(np.sqrt(sq / coo.nnz))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--k", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--solvers", default="arpack,propack")
    a = ap.parse_args()

    df = pd.read_csv(a.train, usecols=COLS)
    u_raw = df["user_id"].to_numpy(np.int64)
    i_raw = df["media_id"].to_numpy(np.int64)
    users, u_idx = np.unique(u_raw, return_inverse=True)
    items, i_idx = np.unique(i_raw, return_inverse=True)
    lab = df["is_listened"].to_numpy(np.float64)
    A = sp.csr_matrix((lab, (u_idx, i_idx)), shape=(len(users), len(items)))
    A.sum_duplicates()
    A.eliminate_zeros()  # skip-only pairs sum to 0: not entries of the pivot's nonzeros
    op, mu = centred_operator(A)

    out = {"library": f"scipy {scipy.__version__} (scipy.sparse.linalg.svds on a LinearOperator)",
           "train": a.train, "users": len(users), "items": len(items), "nonzeros": int(A.nnz),
           "k": a.k, "seed": a.seed, "threads": a.threads, "solvers": {}}
    with threadpool_limits(limits=a.threads, user_api="blas"):
        for solver in [s for s in a.solvers.split(",") if s]:
            try:
                t0 = time.perf_counter()
                U, s, Vt = svds(op, k=a.k, solver=solver, random_state=a.seed)
                secs = time.perf_counter() - t0
            except Exception as e:  # e.g. a scipy without PROPACK
                out["solvers"][solver] = {"error": f"{type(e).__name__}: {e}"}
                continue
            order = np.argsort(-s)
            U, s, Vt = U[:, order], s[order], Vt[order]
            out["solvers"][solver] = {
                "seconds": secs,
                "singular_values": [float(x) for x in s],
                "rmse_nonzero": reconstruction_rmse(A, mu, U, s, Vt),
            }
    sv = [v["singular_values"] for v in out["solvers"].values() if "singular_values" in v]
    if len(sv) == 2:
        x, y = np.array(sv[0]), np.array(sv[1])
        out["max_relative_difference_between_solvers"] = float(np.max(np.abs(x - y) / np.abs(x)))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
