"""Reference implementation of the top-k ranking metrics used by the recommender benchmarks.

Importable (``from ranking import ranking_metrics, exact_top_k``) and runnable as a CLI:

    python bench/peers/ranking.py --self-test
        runs a hand-computed case and asserts exact numbers; prints one JSON object.
    python bench/peers/ranking.py --train T.csv --test S.csv --top TOP.csv --k 10
        scores a ranked list file (columns user_id, media_id, rank; rank 1 = best) and prints
        the metrics as one JSON object.

Definitions (exactly these):

For each user u who appears in the test data with at least one relevant test row
(``is_listened == 1``) AND is known to the model (appears in the training data, any label):

* R_u = the top k items by score among the items known to the model (those in training, any
  label), excluding the items u has in training (any row, label 0 or 1) unless
  ``exclude_seen=False``; ties in score break by raw item id ascending.
  ``ranking_metrics`` receives a ranked candidate list per user (best first); it drops the
  entries that are unknown to the model, repeated, or (with ``exclude_seen``) seen by u in
  training, and keeps the first k that remain.  A list that runs short (fewer than k left) is
  scored as it is: precision still divides by k.  ``exact_top_k`` builds such lists from a
  score matrix with the exact tie rule.
* T_u = the set of distinct items of u's relevant test rows (items unknown to the model count).
* precision@k = |R_u ∩ T_u| / k;  recall@k = |R_u ∩ T_u| / |T_u|;
  hit rate@k = 1 if the intersection is non-empty else 0.
* NDCG@k = DCG / IDCG with binary gains, DCG = Σ_{i=1..k} rel_i / log2(i + 1),
  IDCG = Σ_{i=1..min(k, |T_u|)} 1 / log2(i + 1).
* MAP@k = (1 / min(k, |T_u|)) Σ_{i=1..k} precision@i · rel_i.
* MRR = 1 / rank of the first hit within the top k (0 if none).

Each metric is the mean over the evaluated users.  Also returned: the number of evaluated
users, of test users with no relevant row, and of relevant test users unknown to the model;
catalogue coverage = distinct items recommended over all evaluated users / number of items in
training; mean popularity = mean, over all recommended (user, item) slots of the evaluated
users, of the item's number of training rows (any label).
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np
import pandas as pd

USER = "user_id"
ITEM = "media_id"
LABEL = "is_listened"


def _pair_keys(users: np.ndarray, items: np.ndarray, user_codes: np.ndarray,
               item_codes: np.ndarray) -> np.ndarray:
    """int64 key of (user, item) over the dense codes of sorted unique raw ids (-1 if absent)."""
    u = np.searchsorted(user_codes, users)
    i = np.searchsorted(item_codes, items)
    u_ok = (u < len(user_codes)) & (user_codes[np.minimum(u, len(user_codes) - 1)] == users)
    i_ok = (i < len(item_codes)) & (item_codes[np.minimum(i, len(item_codes) - 1)] == items)
    keys = u.astype(np.int64) * np.int64(len(item_codes) + 1) + i.astype(np.int64)
    keys[~(u_ok & i_ok)] = -1
    return keys


def ranking_metrics(top_items: dict, train_df: pd.DataFrame, test_df: pd.DataFrame, k: int,
                    exclude_seen: bool = True) -> dict:
    """Top-k ranking metrics of ``top_items`` (raw user id -> raw item ids, best first).

    ``train_df`` and ``test_df`` need the columns user_id, media_id, is_listened.  Every
    evaluated user must have an entry in ``top_items`` (KeyError otherwise); other entries are
    ignored.  See the module docstring for the definitions.
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    tr_u = train_df[USER].to_numpy(np.int64)
    tr_i = train_df[ITEM].to_numpy(np.int64)
    te_u = test_df[USER].to_numpy(np.int64)
    te_i = test_df[ITEM].to_numpy(np.int64)
    te_rel = test_df[LABEL].to_numpy() == 1

    train_users = np.unique(tr_u)
    train_items, item_rows = np.unique(tr_i, return_counts=True)  # popularity = training rows

    test_users = np.unique(te_u)
    relevant_users = np.unique(te_u[te_rel])
    no_relevant = int(len(test_users) - len(relevant_users))
    known = np.isin(relevant_users, train_users)
    unknown_relevant = int((~known).sum())
    eval_users = relevant_users[known]  # sorted ascending
    n_eval = len(eval_users)

    # T_u: distinct relevant test items of the evaluated users.
    rel_mask = te_rel & np.isin(te_u, eval_users)
    t_pairs = pd.DataFrame({"u": te_u[rel_mask], "i": te_i[rel_mask]}).drop_duplicates()
    t_size = t_pairs.groupby("u").size().reindex(eval_users).to_numpy(np.int64)
    all_items = np.unique(np.concatenate([train_items, t_pairs["i"].to_numpy(np.int64)]))
    t_keys = np.sort(_pair_keys(t_pairs["u"].to_numpy(np.int64), t_pairs["i"].to_numpy(np.int64),
                                eval_users, all_items))
    seen_keys = np.unique(_pair_keys(tr_u, tr_i, eval_users, all_items))
    seen_keys = seen_keys[seen_keys >= 0]

    # Flatten the candidate lists of the evaluated users, in order.
    lists = [np.asarray(top_items[int(u)] if int(u) in top_items else top_items[u],
                        dtype=np.int64).ravel() for u in eval_users]
    lengths = np.array([len(x) for x in lists], dtype=np.int64)
    c_user_idx = np.repeat(np.arange(n_eval, dtype=np.int64), lengths)
    c_item = np.concatenate(lists) if n_eval else np.zeros(0, np.int64)
    c_pos = np.arange(len(c_item), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)

    keep = np.isin(c_item, train_items)
    dropped_unknown = int((~keep).sum())
    c_keys = _pair_keys(eval_users[c_user_idx], c_item, eval_users, all_items)
    dup = pd.Series(c_keys).duplicated().to_numpy() & keep
    dropped_duplicate = int(dup.sum())
    keep &= ~dup
    if exclude_seen:
        seen = np.isin(c_keys, seen_keys) & keep
        dropped_seen = int(seen.sum())
        keep &= ~seen
    else:
        dropped_seen = 0
    c_user_idx, c_item, c_keys, c_pos = c_user_idx[keep], c_item[keep], c_keys[keep], c_pos[keep]
    # rank within the user's filtered list (lists are already in order, grouped by user)
    starts = np.searchsorted(c_user_idx, np.arange(n_eval))
    rank = np.arange(len(c_item), dtype=np.int64) - starts[c_user_idx]
    in_k = rank < k
    c_user_idx, c_item, c_keys, rank = c_user_idx[in_k], c_item[in_k], c_keys[in_k], rank[in_k]

    rel = np.zeros((n_eval, k), dtype=np.float64)
    hit = np.isin(c_keys, t_keys)
    rel[c_user_idx[hit], rank[hit]] = 1.0
    short_lists = int((np.bincount(c_user_idx, minlength=n_eval) < k).sum())

    discounts = 1.0 / np.log2(np.arange(2, k + 2, dtype=np.float64))
    hits = rel.sum(axis=1)
    precision = hits / k
    recall = hits / t_size
    hit_rate = (hits > 0).astype(np.float64)
    dcg = rel @ discounts
    ideal_len = np.minimum(k, t_size)
    idcg_table = np.concatenate([[0.0], np.cumsum(discounts)])
    ndcg = dcg / idcg_table[ideal_len]
    prec_at_i = np.cumsum(rel, axis=1) / np.arange(1, k + 1, dtype=np.float64)
    ap = (prec_at_i * rel).sum(axis=1) / ideal_len
    first = np.where(hits > 0, rel.argmax(axis=1) + 1, 0)
    rr = np.where(first > 0, 1.0 / np.maximum(first, 1), 0.0)

    pos = np.searchsorted(train_items, c_item)
    pop = item_rows[pos].astype(np.float64)

    def mean(x):
        return float(x.mean()) if n_eval else 0.0

    return {
        "k": k,
        "exclude_seen": exclude_seen,
        "precision": mean(precision),
        "recall": mean(recall),
        "hit_rate": mean(hit_rate),
        "ndcg": mean(ndcg),
        "map": mean(ap),
        "mrr": mean(rr),
        "users_evaluated": int(n_eval),
        "test_users_without_relevant": no_relevant,
        "relevant_users_unknown": unknown_relevant,
        "catalogue_coverage": float(len(np.unique(c_item)) / len(train_items)) if len(train_items) else 0.0,
        "mean_popularity": float(pop.mean()) if len(pop) else 0.0,
        "recommended_slots": int(len(c_item)),
        "short_lists": short_lists,
        "dropped_seen": dropped_seen,
        "dropped_unknown": dropped_unknown,
        "dropped_duplicate": dropped_duplicate,
    }


def exact_top_k(scores: np.ndarray, k: int, exclude=None, copy: bool = True,
                block: int = 256) -> np.ndarray:
    """Row-wise top k column indices of ``scores`` (2-D), best first, ties by column ascending.

    With the columns in raw item id ascending order (as ``np.unique`` gives), the column tie
    rule is the raw-id tie rule of the definition.  ``exclude`` is an optional boolean array of
    the same shape (True = never recommend) or a scipy sparse matrix whose stored entries are
    excluded, e.g. the items each user has in training.  Rows with fewer than k admissible
    columns are padded with -1.  ``copy=False`` lets it overwrite ``scores``.

    Exact and fast for wide rows: the k-th largest of the row's block maxima (blocks of
    ``block`` columns) is a lower bound t of its k-th largest score, so every item of the top k,
    and every item tied with the k-th, has a score >= t and lies in a block whose maximum is
    >= t; only those blocks are read again and only their scores >= t are sorted.
    """
    s = np.array(scores, copy=copy)
    if not np.issubdtype(s.dtype, np.floating):
        s = s.astype(np.float64)
    n_rows, n_cols = s.shape
    if exclude is not None:
        if hasattr(exclude, "tocoo"):  # scipy sparse: its stored entries are excluded
            coo = exclude.tocoo()
            s[coo.row, coo.col] = -np.inf
        else:
            s[np.asarray(exclude, dtype=bool)] = -np.inf
    kk = min(k, n_cols)
    out = np.full((n_rows, k), -1, dtype=np.int64)
    if kk == 0 or n_rows == 0:
        return out
    n_blocks = -(-n_cols // block)
    full = n_cols // block * block
    bm = np.empty((n_rows, n_blocks), dtype=s.dtype)
    if full:
        np.max(s[:, :full].reshape(n_rows, -1, block), axis=2, out=bm[:, : full // block])
    if full < n_cols:
        bm[:, -1] = s[:, full:].max(axis=1)
    if n_blocks >= kk:
        thr = np.partition(bm, n_blocks - kk, axis=1)[:, n_blocks - kk]
    else:
        thr = np.full(n_rows, -np.inf, dtype=s.dtype)
    # candidate blocks hold every score >= thr; gather them and keep those scores
    b_rows, b_ids = np.nonzero(bm >= thr[:, None])
    cols = b_ids[:, None] * block + np.arange(block)
    inside = cols < n_cols
    vals = s[b_rows[:, None], np.minimum(cols, n_cols - 1)]
    keep = inside & (vals >= thr[b_rows][:, None])
    rows = np.broadcast_to(b_rows[:, None], cols.shape)[keep]
    cols, vals = cols[keep], vals[keep]
    order = np.lexsort((cols, -vals, rows))  # by row, then score descending, then column
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.searchsorted(rows, np.arange(n_rows))
    rank = np.arange(len(rows)) - starts[rows]
    take = (rank < kk) & ~np.isneginf(vals)  # excluded columns never fill a slot
    out[rows[take], rank[take]] = cols[take]
    return out


def _naive_metrics(top_items, train, test, k, exclude_seen=True):
    """Per-user loop over the definitions, for cross-checking ``ranking_metrics``."""
    known_items = set(train[ITEM])
    pop = train[ITEM].value_counts().to_dict()
    seen = train.groupby(USER)[ITEM].apply(set).to_dict()
    rel_test = test[test[LABEL] == 1]
    T = rel_test.groupby(USER)[ITEM].apply(set).to_dict()
    users = sorted(u for u in T if u in seen)
    sums = dict(precision=0.0, recall=0.0, hit_rate=0.0, ndcg=0.0, map=0.0, mrr=0.0)
    recommended, slots = set(), []
    for u in users:
        R = []
        for i in top_items[u]:
            if i in known_items and i not in R and not (exclude_seen and i in seen[u]):
                R.append(i)
            if len(R) == k:
                break
        rel = [1.0 if i in T[u] else 0.0 for i in R] + [0.0] * (k - len(R))
        h = sum(rel)
        sums["precision"] += h / k
        sums["recall"] += h / len(T[u])
        sums["hit_rate"] += 1.0 if h else 0.0
        idcg = sum(1 / math.log2(i + 1) for i in range(1, min(k, len(T[u])) + 1))
        sums["ndcg"] += sum(r / math.log2(i + 1) for i, r in enumerate(rel, 1)) / idcg
        sums["map"] += sum(sum(rel[:i]) / i * rel[i - 1] for i in range(1, k + 1)) / min(k, len(T[u]))
        sums["mrr"] += next((1 / i for i, r in enumerate(rel, 1) if r), 0.0)
        recommended |= set(R)
        slots += [pop[i] for i in R]
    out = {key: v / len(users) for key, v in sums.items()}
    out["users_evaluated"] = len(users)
    out["catalogue_coverage"] = len(recommended) / len(known_items)
    out["mean_popularity"] = sum(slots) / len(slots)
    return out


def _self_test() -> dict:
    train = pd.DataFrame(
        [(1, 10, 1), (1, 20, 0), (2, 10, 1), (2, 30, 1), (2, 30, 0),
         (3, 40, 1), (3, 50, 1), (3, 60, 0)], columns=[USER, ITEM, LABEL])
    test = pd.DataFrame(
        [(1, 30, 1), (1, 40, 1), (1, 50, 0),      # T_1 = {30, 40}
         (2, 20, 1), (2, 20, 1), (2, 70, 1),      # T_2 = {20, 70}; 70 unknown to the model
         (3, 10, 0),                              # no relevant row
         (4, 10, 1)],                             # relevant but unknown user
        columns=[USER, ITEM, LABEL])
    top = {1: [20, 30, 60, 40], 2: [40, 20, 99, 50, 60]}
    m = ranking_metrics(top, train, test, k=3)
    l2, l3 = 1.0, math.log2(3.0)
    # user 1: R = [30, 60, 40] (20 seen with a skip), rel = 1,0,1
    # user 2: R = [40, 20, 50] (99 unknown), rel = 0,1,0
    idcg2 = 1.0 / l2 + 1.0 / l3
    expect = {
        "precision": (2 / 3 + 1 / 3) / 2,
        "recall": (1.0 + 0.5) / 2,
        "hit_rate": 1.0,
        "ndcg": ((1.0 + 1.0 / 2.0) / idcg2 + (1.0 / l3) / idcg2) / 2,
        "map": ((1.0 + 2 / 3) / 2 + (1 / 2) / 2) / 2,
        "mrr": (1.0 + 0.5) / 2,
        "users_evaluated": 2,
        "test_users_without_relevant": 1,
        "relevant_users_unknown": 1,
        "catalogue_coverage": 5 / 6,
        "mean_popularity": (2 + 1 + 1 + 1 + 1 + 1) / 6,
        "dropped_seen": 1,
        "dropped_unknown": 1,
        "short_lists": 0,
    }
    for key, v in expect.items():
        assert math.isclose(m[key], v, rel_tol=0, abs_tol=1e-15), (key, m[key], v)
    assert math.isclose(m["map"], 13 / 24, abs_tol=1e-15)
    assert math.isclose(m["ndcg"], 0.65328679819136460, abs_tol=1e-15), m["ndcg"]

    # exclude_seen=False: user 1 keeps 20 -> R = [20, 30, 60], rel = 0,1,0
    m2 = ranking_metrics(top, train, test, k=3, exclude_seen=False)
    assert math.isclose(m2["precision"], (1 / 3 + 1 / 3) / 2, abs_tol=1e-15)
    assert math.isclose(m2["mrr"], (1 / 2 + 1 / 2) / 2, abs_tol=1e-15)
    assert math.isclose(m2["map"], ((1 / 2) / 2 + (1 / 2) / 2) / 2, abs_tol=1e-15)
    assert m2["dropped_seen"] == 0

    # short list: k = 5 but user 1 has only 3 admissible candidates
    m3 = ranking_metrics({1: [30], 2: [20]}, train, test, k=5)
    assert m3["short_lists"] == 2
    assert math.isclose(m3["precision"], (1 / 5 + 1 / 5) / 2, abs_tol=1e-15)
    assert math.isclose(m3["map"], (1 / 2 + 1 / 2) / 2, abs_tol=1e-15)

    # exact_top_k: ties break by column ascending, excluded columns never chosen
    s = np.array([[0.0, 0.0, 0.0, 0.0, 0.0],
                  [0.5, 0.9, 0.5, 0.9, 0.1],
                  [1.0, 2.0, 3.0, 4.0, 5.0]])
    ex = np.zeros_like(s, dtype=bool)
    ex[0, 1] = True
    ex[2, :4] = True
    got = exact_top_k(s, 3, ex)
    assert got.tolist() == [[0, 2, 3], [1, 3, 0], [4, -1, -1]], got.tolist()

    # random cross-checks against the per-user loop and a full sort
    rng = np.random.default_rng(7)
    for trial in range(20):
        n = 400
        tr = pd.DataFrame({USER: rng.integers(0, 30, n) * 1000 + 7, ITEM: rng.integers(0, 60, n) * 10**6,
                           LABEL: rng.integers(0, 2, n)})
        te = pd.DataFrame({USER: rng.integers(0, 35, 150) * 1000 + 7, ITEM: rng.integers(0, 70, 150) * 10**6,
                           LABEL: rng.integers(0, 2, 150)})
        lists = {int(u): list(rng.integers(0, 75, int(rng.integers(0, 40))) * 10**6)
                 for u in np.unique(np.concatenate([tr[USER], te[USER]]))}
        kk = int(rng.integers(1, 12))
        for ex_seen in (True, False):
            fast = ranking_metrics(lists, tr, te, kk, exclude_seen=ex_seen)
            slow = _naive_metrics(lists, tr, te, kk, exclude_seen=ex_seen)
            for key, v in slow.items():
                assert math.isclose(fast[key], v, rel_tol=1e-12, abs_tol=1e-12), (trial, key, fast[key], v)
        width = int(rng.integers(1, 300))
        sc = rng.integers(0, 4, (6, width)).astype(np.float32)
        exm = rng.random((6, width)) < 0.3
        for blk in (1, 4, 7, 256):
            got = exact_top_k(sc, kk, exm, block=blk)
            for r in range(6):
                ref = sorted((c for c in range(width) if not exm[r, c]),
                             key=lambda c: (-sc[r, c], c))[:kk]
                assert got[r].tolist() == ref + [-1] * (kk - len(ref)), (r, blk, got[r], ref)
    return {"self_test": "passed", "metrics": m}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--train")
    ap.add_argument("--test")
    ap.add_argument("--top", help="CSV with user_id, media_id, rank (1 = best)")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--keep-seen", action="store_true", help="exclude_seen=False")
    a = ap.parse_args(argv)
    if a.self_test:
        print(json.dumps(_self_test()))
        return 0
    if not (a.train and a.test and a.top):
        ap.error("--train, --test and --top are needed (or --self-test)")
    cols = [USER, ITEM, LABEL]
    train = pd.read_csv(a.train, usecols=cols)
    test = pd.read_csv(a.test, usecols=cols)
    top = pd.read_csv(a.top).sort_values([USER, "rank"])
    lists = {int(u): g[ITEM].to_numpy() for u, g in top.groupby(USER)}
    m = ranking_metrics(lists, train, test, a.k, exclude_seen=not a.keep_seen)
    print(json.dumps(m))
    return 0


if __name__ == "__main__":
    sys.exit(main())
