#!/usr/bin/env python3
"""RecScript's recommenders beside the Python libraries a user would otherwise pick, on the
same rows, in one run; writes the "## Recommenders" section of docs/benchmarks.md.

bench/bench.py calls ``section()`` after its frame table (``make bench``); run alone, this
script measures the recommenders only and replaces that section of --out in place.

The comparisons (each tool its own process, the tools interleaved, medians of --repeats runs
when every process of the first round took under --single-run-above seconds of wall time (30),
else that single run; the tables say which):

1. The split, made once by RecScript and saved for every tool (CSV for the Python scripts,
   .rsf for RecScript): row numbers from ``derive ... row = row()`` travel with the rows so that
   the generator's true probabilities (DATA-p.csv) can be joined to the test rows.  Files
   already present for the same data file and split are reused.
2. Implicit ALS: ``fit als`` against implicit 0.7.3 (bench/peers/implicit_als.py
   --confidence hkv, so both use c = 1 + alpha * r), fit time and time per iteration, and the
   ranking metrics at k = 10 by one definition (RecScript's evaluate; implicit's exact top-k
   scored by bench/peers/ranking.py).  Once, RecScript's own lists (recommend users=all) are
   scored by ranking.py too: an oracle check of RecScript's metric code.
3. Top-10 for every user: ``recommend als users=all top=10`` against implicit's batch recommend.
4. Truncated SVD, k = 32: ``fit svd`` against scipy's svds (arpack and propack,
   bench/peers/svds.py), times and the largest relative difference of the singular values.
5. Explicit-rating MF: a rating set from bench/peers/make_ratings.py, five folds made here
   once, ``fit mf`` against Surprise's SVD (bench/peers/surprise_svd.py --folds-dir); the RMSE
   also for seeds 1-5 on both sides, as one seed's SGD is a draw a few 1e-4 wide.
6. AUC on the listen label: RecScript's baseline and mf (squared and logistic loss, lr 0.01
   and 0.02) against Surprise's SVD with the hyperparameters of ``mf loss=squared lr=0.01``,
   and the AUC of the generator's true probabilities of the test rows.
7. ``fit baseline`` on the full training split.

Usage: bench/recommenders.py [--data data/full.csv] [--probabilities DATA-p.csv]
       [--work DIR] [--repeats 3] [--out docs/benchmarks.md]
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "peers"))
from bench import (ROOT, REPL, PYTHON, RECSCRIPT_TIMING, run_measured, cpu_model,  # noqa: E402
                   median, fmt_seconds)
from surprise_svd import mann_whitney_auc  # noqa: E402

PEERS = os.path.join(HERE, "peers")
HEADING = "## Recommenders"
THREADS = os.cpu_count()

SPLIT_RATIO, SPLIT_SEED = 0.8, 123
ALS = dict(factors=64, reg=0.01, alpha=1, iterations=15, seed=1)
K = 10
SVD_K = 32
RATING_PAIRS, RATING_SEED, FOLDS = 200_000, 1, 5
# SGD from different starting points lands a few 1e-4 of RMSE apart: the ratings comparison is
# also made over these seeds (both tools, same folds), one process per tool and seed.
MF_SEEDS = [1, 2, 3, 4, 5]
# The ALS comparison runs its rounds even when a process takes this long (see bench_als).
ALS_SINGLE_ABOVE = 600.0
MF_RATINGS = dict(factors=100, epochs=20, lr=0.005, reg=0.02, init_std=0.1, seed=1)
AUC_MF = [("squared", 0.01), ("squared", 0.02), ("logistic", 0.01), ("logistic", 0.02)]
AUC_SURPRISE = dict(n_factors=32, n_epochs=20, lr_all=0.01, reg_all=0.02, init_std_dev=0.1, seed=1)
RANKING = ["precision_at_k", "recall_at_k", "ndcg", "map", "hit_rate"]
# RecScript's metric row names -> ranking.py's keys
RANKING_KEYS = {"precision@10": "precision", "recall@10": "recall", "ndcg@10": "ndcg",
                "map@10": "map", "hit_rate@10": "hit_rate"}
SCHEMA = "user=user_id item=media_id label=is_listened time=ts_listen"


def log(msg):
    print(f"[recommenders] {msg}", flush=True)


# ---------------------------------------------------------------------------------------------
# Running the tools

class Run:
    """One finished process: its wall seconds, peak RSS (MB) and parsed output."""

    def __init__(self, wall, peak, stdout, stderr):
        self.wall, self.peak, self.stdout, self.stderr = wall, peak, stdout, stderr


def run_process(command, what):
    t0 = time.perf_counter()
    code, out, err, peak = run_measured(command)
    wall = time.perf_counter() - t0
    if code != 0:
        sys.exit(f"{what} failed (exit {code}): {' '.join(command)}\n{err[-4000:]}\n{out[-2000:]}")
    return Run(wall, peak, out, err)


def wait_for_repl(settle=5.0, limit=600.0):
    """Waits until the repl binary exists and has not changed for `settle` seconds (it may be
    being rebuilt by someone else on the machine)."""
    waited = 0.0
    while True:
        try:
            age = time.time() - os.stat(REPL).st_mtime
            if age >= settle and os.access(REPL, os.X_OK):
                return
        except FileNotFoundError:
            pass
        if waited >= limit:
            sys.exit(f"{REPL} is missing or keeps changing")
        if waited == 0:
            log(f"waiting for {REPL} (missing or being relinked)")
        time.sleep(settle)
        waited += settle


def repl_digest():
    wait_for_repl()
    with open(REPL, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


def run_recscript(work, name, statements, attempts=3):
    """Runs the statements as the script WORK/NAME.rec with --timer --format json. Returns the
    Run with .times (seconds of each statement, in order) and .results (statement -> JSON).
    A run that could not start (binary missing) or died by a signal is retried after a minute."""
    path = os.path.join(work, name + ".rec")
    with open(path, "w") as f:
        f.write("\n".join(statements) + "\n")
    for attempt in range(attempts):
        wait_for_repl()
        t0 = time.perf_counter()
        try:
            code, out, err, peak = run_measured([REPL, "--timer", "--format", "json", path])
        except (FileNotFoundError, PermissionError, OSError) as e:
            code, out, err, peak = -1, "", str(e), 0
        if code >= 0 or attempt == attempts - 1:
            break
        log(f"{name}.rec could not run ({err.strip()[:200] or code}); retrying in a minute")
        time.sleep(60)
    if code != 0:
        sys.exit(f"RecScript {name}.rec failed (exit {code})\n{err[-4000:]}\n{out[-2000:]}")
    run = Run(time.perf_counter() - t0, peak, out, err)
    times = []
    for line in run.stderr.splitlines():
        m = RECSCRIPT_TIMING.match(line.strip())
        if m:
            times.append(float(m.group(1)) / (1000 if m.group(2) == "ms" else 1))
    if len(times) != len(statements):
        sys.exit(f"{name}.rec: {len(times)} statement times for {len(statements)} statements\n{run.stderr}")
    run.times = dict(zip(statements, times))
    run.results = {}
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            obj = json.loads(line)
            run.results[obj.get("statement")] = obj
    return run


def run_python(script, args, what):
    run = run_process([PYTHON, os.path.join(PEERS, script)] + args, what)
    run.json = json.loads(run.stdout.strip().splitlines()[-1])
    return run


def metric_rows(run, statement):
    """{metric: value} of an evaluate statement's JSON table."""
    obj = run.results[statement]
    return {row[0]: row[1] for row in obj["rows"]}


def interleaved(steps, repeats, single_above):
    """Runs each step (a function returning a Run) once per round, in order (A B A B ...), for
    `repeats` rounds, or for one round when a process of the first round took more than
    `single_above` seconds of wall time. Returns the list of rounds (lists of Runs)."""
    first = [step() for step in steps]
    rounds = [first]
    if max(r.wall for r in first) <= single_above:
        for _ in range(repeats - 1):
            rounds.append([step() for step in steps])
    return rounds


def med(rounds, index, fn):
    return median([fn(r[index]) for r in rounds])


# ---------------------------------------------------------------------------------------------
# Shared inputs, made once

def cpu_seconds():
    """(CPU-seconds the whole machine has been busy, CPU-seconds this process and its reaped
    children have used): the difference over a run is what other processes took."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    t = os.times()
    return busy, t.user + t.system + t.children_user + t.children_system


def file_stamp(path):
    st = os.stat(path)
    return {"path": os.path.realpath(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def ensure_probabilities(data, probabilities, rows):
    """The generator's true probabilities of DATA. When the file is missing (a data/full.csv
    made before the Makefile's rule wrote them beside it, or another log), the log is generated again with seed 1 and the same
    number of rows into a temporary directory; its probabilities are kept only if that log is
    byte-identical to DATA."""
    if os.path.exists(probabilities):
        return True
    log(f"{probabilities} is missing: regenerating the log with seed 1 to recover it")
    tmp = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(probabilities)))
    try:
        csv, p = os.path.join(tmp, "log.csv"), os.path.join(tmp, "p.csv")
        subprocess.run([REPL, "--generate", csv, "--rows", str(rows), "--seed", "1", "--probabilities", p],
                       check=True, stdout=subprocess.DEVNULL)

        def digest(path):
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 22), b""):
                    h.update(block)
            return h.hexdigest()
        if digest(csv) != digest(data):
            log(f"the regenerated log differs from {data}: no probabilities, sections 5 and 6 skip them")
            return False
        os.replace(p, probabilities)
        return True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ensure_split(data, work):
    """WORK/train.{csv,rsf} and WORK/test.{csv,rsf}, made by RecScript unless the files already
    present were made from the same data file with the same split. Returns facts to report."""
    stamp_path = os.path.join(work, "split.json")
    want = {"data": file_stamp(data), "ratio": SPLIT_RATIO, "seed": SPLIT_SEED}
    outputs = [os.path.join(work, f) for f in ("train.csv", "test.csv", "train.rsf", "test.rsf")]
    if os.path.exists(stamp_path) and all(os.path.exists(p) for p in outputs):
        stamp = json.load(open(stamp_path))
        if stamp.get("made_from") == want:
            log("reusing the split in " + os.path.relpath(work, ROOT))
            return {"made": False, **stamp}
    log("making the split")
    statements = [
        f'listens = load "{data}"',
        "listens = derive listens row = row()",
        f"schema listens {SCHEMA}",
        f"train, test = split listens ratio={SPLIT_RATIO} seed={SPLIT_SEED}",
        f'save train "{outputs[0]}"',
        f'save test "{outputs[1]}"',
        f'save train "{outputs[2]}"',
        f'save test "{outputs[3]}"',
    ]
    run = run_recscript(work, "split", statements)
    split_text = run.results[statements[3]]
    stamp = {"made_from": want, "split_statement": statements[3],
             "split_report": split_text.get("text") or split_text,
             "seconds": {s: run.times[s] for s in statements}, "peak_mb": run.peak}
    with open(stamp_path, "w") as f:
        json.dump(stamp, f, indent=1)
    return {"made": True, **stamp}


def ensure_rating_folds(data, probabilities, work):
    """WORK/ratings.csv (bench/peers/make_ratings.py) and WORK/folds/fold-K-{train,test}.csv:
    the pairs shuffled by numpy.random.default_rng(seed).permutation and cut into FOLDS nearly
    equal parts (numpy.array_split); fold K tests on part K and trains on the others, each file
    in the rating file's row order."""
    folds_dir = os.path.join(work, "folds")
    ratings = os.path.join(work, "ratings.csv")
    stamp_path = os.path.join(folds_dir, "folds.json")
    want = {"data": file_stamp(data), "probabilities": file_stamp(probabilities),
            "pairs": RATING_PAIRS, "seed": RATING_SEED, "folds": FOLDS}
    files = [os.path.join(folds_dir, f"fold-{k}-{part}.csv") for k in range(1, FOLDS + 1)
             for part in ("train", "test")]
    if os.path.exists(stamp_path) and all(os.path.exists(f) for f in files + [ratings]):
        stamp = json.load(open(stamp_path))
        if stamp.get("made_from") == want:
            log("reusing the rating folds")
            return folds_dir, stamp
    log("making the rating set and its folds")
    os.makedirs(folds_dir, exist_ok=True)
    made = run_python("make_ratings.py", ["--data", data, "--probabilities", probabilities,
                                          "--out", ratings, "--rows", str(RATING_PAIRS),
                                          "--seed", str(RATING_SEED)], "make_ratings.py").json
    df = pd.read_csv(ratings)
    perm = np.random.default_rng(RATING_SEED).permutation(len(df))
    parts = np.array_split(perm, FOLDS)
    for k, part in enumerate(parts, 1):
        test_mask = np.zeros(len(df), dtype=bool)
        test_mask[part] = True
        df[~test_mask].to_csv(os.path.join(folds_dir, f"fold-{k}-train.csv"), index=False)
        df[test_mask].to_csv(os.path.join(folds_dir, f"fold-{k}-test.csv"), index=False)
    stamp = {"made_from": want, "ratings": made, "test_rows": [int(len(p)) for p in parts]}
    with open(stamp_path, "w") as f:
        json.dump(stamp, f, indent=1)
    return folds_dir, stamp


# ---------------------------------------------------------------------------------------------
# The comparisons

def load_split(work):
    return [f'train = load "{os.path.join(work, "train.rsf")}"',
            f'test = load "{os.path.join(work, "test.rsf")}"',
            f"schema train {SCHEMA}",
            f"schema test {SCHEMA}"]


def bench_als(work, repeats, single_above):
    fit = ("als = fit als on train factors={factors} reg={reg} alpha={alpha} "
           "iterations={iterations} seed={seed}").format(**ALS)
    evaluate = f"evaluate als on test metrics=[{', '.join(RANKING)}] k={K}"
    recommend = f"r = recommend als users=all top={K}"
    recs = os.path.join(work, "recs.csv")
    statements = load_split(work) + [fit, evaluate, recommend, f'save r "{recs}"']
    peer_args = ["--train", os.path.join(work, "train.csv"), "--test", os.path.join(work, "test.csv"),
                 "--factors", str(ALS["factors"]), "--reg", str(ALS["reg"]), "--alpha", str(float(ALS["alpha"])),
                 "--iterations", str(ALS["iterations"]), "--k", str(K), "--seed", str(ALS["seed"]),
                 "--threads", str(THREADS), "--confidence", "hkv"]
    steps = [lambda: run_recscript(work, "als", statements),
             lambda: run_python("implicit_als.py", peer_args, "implicit_als.py")]
    # Always repeated, however long: implicit's fit took 26.1 s in one run and 34.5 s in the
    # next on this machine (RecScript's 15.8 s and 15.6 s), so one run cannot settle a ratio.
    rounds = interleaved(steps, repeats, max(single_above, ALS_SINGLE_ABOVE))
    rec0, imp0 = rounds[0]
    # Oracle check: RecScript's own lists (the file of the last round) scored by ranking.py,
    # against that round's evaluate.
    oracle_rec = {RANKING_KEYS[m]: v for m, v in metric_rows(rounds[-1][0], evaluate).items()}
    oracle = run_python("ranking.py", ["--train", os.path.join(work, "train.csv"),
                                       "--test", os.path.join(work, "test.csv"),
                                       "--top", recs, "--k", str(K)], "ranking.py").json
    rec_metrics = metric_rows(rec0, evaluate)
    users = rec0.results[recommend]
    return {
        "statements": statements, "fit": fit, "evaluate": evaluate, "recommend": recommend,
        "runs": len(rounds),
        "rec_fit": med(rounds, 0, lambda r: r.times[fit]),
        "imp_fit": med(rounds, 1, lambda r: r.json["fit_seconds"]),
        "rec_fits": [r[0].times[fit] for r in rounds], "imp_fits": [r[1].json["fit_seconds"] for r in rounds],
        "rec_recommend": med(rounds, 0, lambda r: r.times[recommend]),
        "imp_recommend": med(rounds, 1, lambda r: r.json["recommend_seconds"]),
        "imp_exact": med(rounds, 1, lambda r: r.json["exact_topk_seconds"]),
        "rec_evaluate": med(rounds, 0, lambda r: r.times[evaluate]),
        "rec_peak": med(rounds, 0, lambda r: r.peak), "imp_peak": med(rounds, 1, lambda r: r.peak),
        "rec_metrics": {RANKING_KEYS[m]: v for m, v in rec_metrics.items()},
        "rec_notes": rec0.results[evaluate].get("notes", []),
        "rec_fit_facts": rec0.results[fit].get("values", {}),
        "rec_recommend_text": users.get("text", ""),
        "imp": imp0.json,
        "oracle": oracle, "oracle_rec": oracle_rec,
        "metrics_stable": all(metric_rows(r[0], evaluate) == rec_metrics for r in rounds)
                          and all(r[1].json["metrics_exact"] == imp0.json["metrics_exact"] for r in rounds),
    }


def bench_svd(work, repeats, single_above):
    fit = f"s = fit svd on train k={SVD_K}"
    sv_path = os.path.join(work, "sv.csv")
    statements = load_split(work)[::2] + [fit, "sv = s.singular_values", f'save sv "{sv_path}"']
    peer_args = ["--train", os.path.join(work, "train.csv"), "--k", str(SVD_K), "--seed", "1",
                 "--threads", str(THREADS), "--solvers", "arpack,propack"]
    steps = [lambda: run_recscript(work, "svd", statements),
             lambda: run_python("svds.py", peer_args, "svds.py")]

    rounds = interleaved(steps, repeats, single_above)
    rec_sv = pd.read_csv(sv_path).iloc[:, 0].to_numpy(np.float64)
    peer = rounds[0][1].json
    solvers = {}
    for name, v in peer["solvers"].items():
        if "singular_values" not in v:
            solvers[name] = {"error": v.get("error")}
            continue
        ref = np.array(v["singular_values"])
        solvers[name] = {
            "seconds": med(rounds, 1, lambda r: r.json["solvers"][name]["seconds"]),
            "max_rel": float(np.max(np.abs(rec_sv - ref) / np.abs(ref))) if len(ref) == len(rec_sv) else None,
            "rmse_nonzero": v["rmse_nonzero"],
        }
    return {
        "statements": statements, "fit": fit, "runs": len(rounds),
        "rec_fit": med(rounds, 0, lambda r: r.times[fit]),
        "rec_peak": med(rounds, 0, lambda r: r.peak), "peer_peak": med(rounds, 1, lambda r: r.peak),
        "rec_facts": rounds[0][0].results[fit].get("values", {}),
        "solvers": solvers, "peer": peer, "values": len(rec_sv),
    }


def bench_mf_ratings(folds_dir, work, repeats, single_above):
    statements, fits, evals = [], [], []
    for k in range(1, FOLDS + 1):
        fit = ("m{k} = fit mf on tr{k} factors={factors} epochs={epochs} lr={lr} reg={reg} "
               "init_std={init_std} seed={seed}").format(k=k, **MF_RATINGS)
        ev = f"evaluate m{k} on te{k} metrics=[rmse, mae]"
        statements += [f'tr{k} = load "{os.path.join(folds_dir, f"fold-{k}-train.csv")}"',
                       f'te{k} = load "{os.path.join(folds_dir, f"fold-{k}-test.csv")}"',
                       f"schema tr{k} user=user_id item=media_id rating=rating",
                       f"schema te{k} user=user_id item=media_id rating=rating",
                       fit, ev]
        fits.append(fit)
        evals.append(ev)
    peer_args = ["--folds-dir", folds_dir, "--folds", str(FOLDS), "--seed", str(MF_RATINGS["seed"]),
                 "--rating-scale", "1,5", "--n-factors", str(MF_RATINGS["factors"]),
                 "--n-epochs", str(MF_RATINGS["epochs"]), "--lr-all", str(MF_RATINGS["lr"]),
                 "--reg-all", str(MF_RATINGS["reg"]), "--init-std-dev", str(MF_RATINGS["init_std"])]
    steps = [lambda: run_recscript(work, "mf-ratings", statements),
             lambda: run_python("surprise_svd.py", peer_args, "surprise_svd.py --folds-dir")]
    rounds = interleaved(steps, repeats, single_above)
    rec0, sur0 = rounds[0]
    rec_folds = [metric_rows(rec0, ev) for ev in evals]
    return {
        "statements": statements[:6], "runs": len(rounds),
        "rec_fit": med(rounds, 0, lambda r: float(np.mean([r.times[f] for f in fits]))),
        "sur_fit": med(rounds, 1, lambda r: r.json["fit_seconds_mean"]),
        "rec_peak": med(rounds, 0, lambda r: r.peak), "sur_peak": med(rounds, 1, lambda r: r.peak),
        "rec_rmse": float(np.mean([f["rmse"] for f in rec_folds])),
        "rec_mae": float(np.mean([f["mae"] for f in rec_folds])),
        "rec_rmse_folds": [f["rmse"] for f in rec_folds],
        "sur_rmse": sur0.json["rmse_mean"], "sur_mae": sur0.json["mae_mean"],
        "sur_rmse_folds": [f["rmse"] for f in sur0.json["per_fold"]],
        "train_rows": [f["train_ratings"] for f in sur0.json["per_fold"]],
        "test_rows": [f["test_ratings"] for f in sur0.json["per_fold"]],
        "rec_notes": rec0.results[evals[0]].get("notes", []),
        "seeds": bench_mf_seeds(statements, peer_args, evals, work, rec_folds, sur0),
    }


def bench_mf_seeds(statements, peer_args, evals, work, rec_folds, sur0):
    """The 5-fold mean RMSE of both tools for each of MF_SEEDS (seed 1's from the timed run)."""
    first = MF_RATINGS["seed"]
    rec = {first: float(np.mean([f["rmse"] for f in rec_folds]))}
    sur = {first: sur0.json["rmse_mean"]}
    for seed in MF_SEEDS:
        if seed == first:
            continue
        seeded = [st.replace(f"seed={first}", f"seed={seed}") if " = fit mf " in st else st for st in statements]
        run = run_recscript(work, f"mf-ratings-seed-{seed}", seeded)
        rec[seed] = float(np.mean([metric_rows(run, ev)["rmse"] for ev in evals]))
        args = list(peer_args)
        args[args.index("--seed") + 1] = str(seed)
        sur[seed] = run_python("surprise_svd.py", args, f"surprise_svd.py --seed {seed}").json["rmse_mean"]
        log(f"  seed {seed}: RecScript RMSE {rec[seed]:.6f}, Surprise {sur[seed]:.6f}")
    return {"rec": rec, "sur": sur, "rec_mean": float(np.mean(list(rec.values()))),
            "sur_mean": float(np.mean(list(sur.values())))}


def bench_auc(work, probabilities, repeats, single_above):
    statements = load_split(work)
    fits = {"baseline": "b = fit baseline on train"}
    statements += [fits["baseline"], "evaluate b on test metrics=[auc, rmse]"]
    evals = {"baseline": "evaluate b on test metrics=[auc, rmse]"}
    for n, (loss, lr) in enumerate(AUC_MF, 1):
        name = f"mf loss={loss} lr={lr}"
        fits[name] = f"m{n} = fit mf on train factors=32 epochs=20 seed=1 loss={loss} lr={lr}"
        evals[name] = f"evaluate m{n} on test metrics=[auc, rmse]"
        statements += [fits[name], evals[name]]
    s = AUC_SURPRISE
    peer_args = ["--train", os.path.join(work, "train.csv"), "--test", os.path.join(work, "test.csv"),
                 "--rating", "is_listened", "--rating-scale", "0,1", "--seed", str(s["seed"]),
                 "--n-factors", str(s["n_factors"]), "--n-epochs", str(s["n_epochs"]),
                 "--lr-all", str(s["lr_all"]), "--reg-all", str(s["reg_all"]),
                 "--init-std-dev", str(s["init_std_dev"])]
    steps = [lambda: run_recscript(work, "auc", statements),
             lambda: run_python("surprise_svd.py", peer_args, "surprise_svd.py --train")]
    rounds = interleaved(steps, repeats, single_above)
    rec0, sur0 = rounds[0]
    models = {}
    for name in fits:
        m = metric_rows(rec0, evals[name])
        models[name] = {"auc": m["auc"], "rmse": m["rmse"],
                        "fit": med(rounds, 0, lambda r: r.times[fits[name]])}
    true_auc = None
    if probabilities:
        test = pd.read_csv(os.path.join(work, "test.csv"), usecols=["row", "is_listened"])
        p = pd.read_csv(probabilities)["p"].to_numpy(np.float64)
        true_auc = mann_whitney_auc(p[test["row"].to_numpy()], test["is_listened"].to_numpy() == 1)
    return {
        "statements": statements, "runs": len(rounds), "models": models,
        "rec_peak": med(rounds, 0, lambda r: r.peak), "sur_peak": med(rounds, 1, lambda r: r.peak),
        "sur": sur0.json,
        "sur_fit": med(rounds, 1, lambda r: r.json["fit_seconds"]),
        "sur_test": med(rounds, 1, lambda r: r.json["test_seconds"]),
        "rec_eval": {name: med(rounds, 0, lambda r: r.times[evals[name]]) for name in evals},
        "true_auc": true_auc,
    }


def bench_baseline(work, repeats):
    fit = "b = fit baseline on train"
    statements = [load_split(work)[0], load_split(work)[2], fit]
    runs = [run_recscript(work, "baseline", statements) for _ in range(repeats)]
    return {"statements": statements, "runs": len(runs),
            "fit": median([r.times[fit] for r in runs]),
            "fits": [r.times[fit] for r in runs],
            "peak": median([r.peak for r in runs])}


def bench_diagnostics(work):
    """One RecScript process, once: how much of `fit als` is not iterations. `fit popular`
    builds the same user x item matrix (listens per pair) and only sums it; `fit als` with one
    iteration is the set-up plus one iteration."""
    popular = "p = fit popular on train"
    one = ("a1 = fit als on train factors={factors} reg={reg} alpha={alpha} iterations=1 "
           "seed={seed}").format(**ALS)
    base1 = "b1 = fit baseline on train epochs=1"
    statements = [load_split(work)[0], load_split(work)[2], base1, popular, one]
    run = run_recscript(work, "diagnostics", statements)
    return {"popular_statement": popular, "one_statement": one, "baseline1_statement": base1,
            "popular": run.times[popular], "one": run.times[one], "baseline1": run.times[base1],
            "peak": run.peak}


# ---------------------------------------------------------------------------------------------
# The section

def fmt_s(x):
    if x is None:
        return "—"
    return f"{x:.2f} s" if x >= 0.1 else f"{x * 1000:.0f} ms" if x >= 0.01 else f"{x * 1000:.1f} ms"


def ratio(rec, peer):
    return "—" if rec is None or peer is None or rec == 0 else f"{peer / rec:.1f}×"


def mb(*xs):
    return " / ".join("—" if x is None else f"{x:,.0f}" for x in xs)


def num(x, d=4):
    return "—" if x is None else f"{x:.{d}f}"


def diff(d):
    """A signed difference, in fixed point unless that would hide it."""
    return f"{d:+.5f}" if d == 0 or abs(d) >= 5e-5 else f"{d:+.1e}"


def runs_note(n, repeats):
    return f"median of {n} runs" if n > 1 else "single run"


def versions():
    code = ("import implicit, scipy, surprise, numpy, pandas, threadpoolctl, json;"
            "print(json.dumps({'implicit': implicit.__version__, 'scipy': scipy.__version__,"
            "'scikit-surprise': surprise.__version__, 'numpy': numpy.__version__,"
            "'pandas': pandas.__version__, 'threadpoolctl': threadpoolctl.__version__}))")
    v = json.loads(subprocess.run([PYTHON, "-c", code], check=True, capture_output=True, text=True).stdout)
    v["RecScript"] = subprocess.run([REPL, "--version"], check=True, capture_output=True,
                                    text=True).stdout.strip().replace("RecScript ", "")
    return v


def section(data, probabilities=None, work=None, repeats=3, single_above=30.0):
    """Runs every comparison and returns the lines of the "## Recommenders" section."""
    started = time.perf_counter()
    load_before = os.getloadavg()
    cpu_before = cpu_seconds()
    binary_before = repl_digest()
    data = os.path.abspath(data)
    stem = os.path.splitext(os.path.basename(data))[0]
    probabilities = probabilities or os.path.join(os.path.dirname(data), stem + "-p.csv")
    if work is None:
        work = os.path.join(os.path.dirname(data), "bench" if stem == "full" else f"bench-{stem}")
    os.makedirs(work, exist_ok=True)
    rows = sum(1 for _ in open(data, "rb")) - 1
    have_p = ensure_probabilities(data, probabilities, rows)
    if have_p:
        p_rows = sum(1 for _ in open(probabilities, "rb")) - 1
        if p_rows != rows:
            sys.exit(f"{probabilities} has {p_rows} rows, {data} has {rows}")

    split = ensure_split(data, work)
    log("ALS: RecScript and implicit")
    als = bench_als(work, repeats, single_above)
    log(f"  RecScript fit {fmt_s(als['rec_fit'])}, implicit fit {fmt_s(als['imp_fit'])}")
    log("SVD: RecScript and scipy")
    svd = bench_svd(work, repeats, single_above)
    log(f"  RecScript {fmt_s(svd['rec_fit'])}, scipy {({k: fmt_s(v.get('seconds')) for k, v in svd['solvers'].items()})}")
    mf = None
    if have_p:
        folds_dir, folds = ensure_rating_folds(data, probabilities, work)
        log("MF on ratings, 5 folds: RecScript and Surprise")
        mf = bench_mf_ratings(folds_dir, work, repeats, single_above)
        log(f"  RecScript RMSE {mf['rec_rmse']:.4f} fit {fmt_s(mf['rec_fit'])}/fold, "
            f"Surprise RMSE {mf['sur_rmse']:.4f} fit {fmt_s(mf['sur_fit'])}/fold")
    log("AUC: RecScript baseline and mf, Surprise SVD, true probabilities")
    auc = bench_auc(work, probabilities if have_p else None, repeats, single_above)
    log("  " + ", ".join(f"{k} {v['auc']:.4f}" for k, v in auc["models"].items())
        + f", Surprise {auc['sur']['auc']:.4f}, true {auc['true_auc']}")
    log("baseline fit")
    base = bench_baseline(work, repeats)
    log(f"  {fmt_s(base['fit'])}")
    log("diagnostics: fit popular, fit als iterations=1")
    als["diagnostics"] = bench_diagnostics(work)
    elapsed = time.perf_counter() - started
    cpu_after = cpu_seconds()
    others = (cpu_after[0] - cpu_before[0]) - (cpu_after[1] - cpu_before[1])
    load = (load_before, os.getloadavg(), binary_before, repl_digest(), max(others, 0.0), elapsed)
    log(f"took {elapsed / 60:.1f} min; load average {load[0][0]:.2f} before, {load[1][0]:.2f} after; "
        f"other processes used {load[4]:.0f} CPU-seconds")
    v = versions()
    raw = {"data": data, "probabilities": probabilities if have_p else None, "rows": rows, "split": split,
           "als": als, "svd": svd, "mf": mf, "auc": auc, "baseline": base, "versions": v,
           "repeats": repeats, "single_above": single_above, "elapsed": elapsed,
           "folds": folds if have_p else None, "machine": load}
    with open(os.path.join(work, "recommenders.json"), "w") as f:
        json.dump(raw, f, indent=1, default=str)
    log("raw results in " + os.path.join(work, "recommenders.json"))
    return render(data, probabilities if have_p else None, work, rows, split, als, svd, mf, auc,
                  base, v, repeats, elapsed, folds if have_p else None, load, single_above)


def render(data, probabilities, work, rows, split, als, svd, mf, auc, base, v, repeats, elapsed, folds,
           load, single_above):
    def rel(p):
        r = os.path.relpath(p, ROOT)
        return os.path.abspath(p) if r.startswith("..") else r
    imp = als["imp"]
    it = ALS["iterations"]
    L = [HEADING, ""]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L += [
        f"Measured {now} by `make bench` on {platform.machine()} Linux with {THREADS} cores ({cpu_model()}), "
        f"on `{rel(data)}` ({rows:,} rows). RecScript {v['RecScript']}; {imp['library']}, "
        f"scipy {v['scipy']}, scikit-surprise {v['scikit-surprise']}, numpy {v['numpy']}, pandas {v['pandas']}, "
        f"threadpoolctl {v['threadpoolctl']}, BLAS as implicit reports it: {', '.join(imp.get('blas', []))}; "
        f"Python {platform.python_version()}.",
        "",
        "Every tool runs as its own process on the same files, the tools interleaved. Times are of the "
        "operation alone: RecScript's statement timer (`repl --timer`), and `time.perf_counter` around "
        "the library call in the Python scripts of `bench/peers/` (reading CSV files and building the "
        "libraries' input matrices are not counted on the Python side; RecScript's `fit` statements "
        "include turning the rows into the user × item matrix). Each table says whether a time is the "
        f"median of {repeats} runs or a single run (one run when a process of the first round, "
        f"the data's loading included, took over {single_above:.0f} s of wall time). Peak "
        "memory is the maximum resident set of the whole process (getrusage of that child), which "
        "loads the data and runs every step listed under the table. A ratio above 1× means "
        "RecScript is that many times faster; below 1×, slower.",
        "",
    ]
    # 1. split
    tr_rows = te_rows = None
    rep = split.get("split_report")
    L += ["### The shared split", ""]
    if split["made"]:
        secs = split["seconds"]
        stmts = list(secs)
        L += [f"Made in this run by RecScript (`{stmts[3]}`, {fmt_s(secs[stmts[3]])}; loading the CSV "
              f"{fmt_s(secs[stmts[0]])}, saving the four files "
              f"{fmt_s(sum(secs[s] for s in stmts[4:]))}; peak {split['peak_mb']:,.0f} MB) and saved as CSV "
              f"for the Python scripts and as `.rsf` for RecScript, in `{rel(work)}/`."]
    else:
        L += [f"Reused from `{rel(work)}/` (made by an earlier run from the same `{rel(data)}` with "
              f"`{split['split_statement']}`; its split time is not measured again)."]
    if isinstance(rep, str):
        L += ["RecScript's report: " + rep.replace("\n", "; ") + "."]
    L += ["A `row` column (`derive listens row = row()`) numbers the log's rows, so the generator's true "
          "probabilities can be joined to the test rows.", ""]

    # 2-3. ALS
    facts = als["rec_fit_facts"]
    L += [f"### Implicit ALS: RecScript `fit als` and implicit ({runs_note(als['runs'], repeats)})", "",
          f"{facts.get('users', imp['users']):,} users × {facts.get('items', imp['items']):,} items, "
          f"{imp['nonzeros']:,} stored pairs (RecScript: {facts.get('stored pairs', 0):,}); "
          f"{ALS['factors']} factors, reg {ALS['reg']}, {it} iterations, conjugate gradient (RecScript "
          f"cg_steps {facts.get('cg_steps', '—')}, implicit's default), {THREADS} threads each; confidence "
          f"c = 1 + α·r with α = {ALS['alpha']} on both sides (implicit is given the values 1 + r with its "
          "alpha = 1.0: `implicit_als.py --confidence hkv`).",
          "",
          "| operation | RecScript | implicit | RecScript is N× faster | peak MB RecScript / implicit |",
          "|---|---:|---:|---:|---:|",
          f"| fit, {it} iterations | {fmt_s(als['rec_fit'])} | {fmt_s(als['imp_fit'])} | "
          f"{ratio(als['rec_fit'], als['imp_fit'])} | {mb(als['rec_peak'], als['imp_peak'])} |",
          f"| seconds per iteration (fit / {it}) | {fmt_s(als['rec_fit'] / it)} | {fmt_s(als['imp_fit'] / it)} | "
          f"{ratio(als['rec_fit'], als['imp_fit'])} | |",
          f"| top-{K} for every training user ({imp['recommend_users']:,} users): `recommend als users=all` / "
          f"`model.recommend` batch | {fmt_s(als['rec_recommend'])} | {fmt_s(als['imp_recommend'])} | "
          f"{ratio(als['rec_recommend'], als['imp_recommend'])} | |",
          f"| top-{K} by the definition for the {imp['metrics_exact']['users_evaluated']:,} evaluated users "
          f"(implicit: numpy scores and `exact_top_k`) | — | {fmt_s(als['imp_exact'])} | "
          f"{ratio(als['rec_recommend'], als['imp_exact'])} (vs RecScript's every-user list) | |",
          f"| evaluate, 5 ranking metrics at k={K} | {fmt_s(als['rec_evaluate'])} | — | — | |",
          "",
          f"RecScript's process: load the `.rsf` split, `{als['fit']}`, `{als['evaluate']}`, "
          f"`{als['recommend']}`, save the lists. implicit's: read the CSV split, build the CSR matrix, "
          "fit, batch recommend, the exact top-k of the evaluated users, ranking.py's metrics.",
          ""]
    if len(als.get("rec_fits", [])) > 1:
        L += ["Fit times of each round: RecScript " + ", ".join(fmt_s(x) for x in als["rec_fits"])
              + "; implicit " + ", ".join(fmt_s(x) for x in als["imp_fits"]) + ".", ""]
    dg = als.get("diagnostics")
    if dg:
        marginal = (als["rec_fit"] - dg["one"]) / (it - 1)
        L += [f"Where RecScript's fit time goes (one further RecScript process, single run): "
              f"`{dg['popular_statement']}`, which builds the same user × item matrix from the rows and sums "
              f"it, takes {fmt_s(dg['popular'])}; `fit als ... iterations=1` takes {fmt_s(dg['one'])}; so the "
              f"{it - 1} further iterations cost ({fmt_s(als['rec_fit'])} − {fmt_s(dg['one'])}) / {it - 1} = "
              f"{fmt_s(marginal)} each, against implicit's {fmt_s(als['imp_fit'] / it)} per iteration "
              f"(whose fit gets the CSR matrix ready-made; its set-up inside fit, a transpose and the "
              f"initial factors, is not measured separately).", ""]
    # 4. SVD
    L += [f"### Truncated SVD, k = {SVD_K}: RecScript `fit svd` and scipy `svds` ({runs_note(svd['runs'], repeats)})", "",
          f"The user-centred listens pivot, {svd['peer']['users']:,} × {svd['peer']['items']:,} with "
          f"{svd['peer']['nonzeros']:,} stored entries, never densified (scipy: a LinearOperator). "
          f"RecScript: `{svd['fit']}` (Lanczos, {svd['rec_facts'].get('lanczos steps', '—')} steps); "
          f"scipy: `svds(op, k={SVD_K}, solver=..., random_state=1)`, BLAS {THREADS} threads.",
          "",
          "| operation | RecScript | scipy | RecScript is N× faster | peak MB RecScript / scipy |",
          "|---|---:|---:|---:|---:|"]
    for name, s in svd["solvers"].items():
        if "error" in s:
            L.append(f"| svds, solver={name} | {fmt_s(svd['rec_fit'])} | failed: {s['error']} | — | |")
        else:
            L.append(f"| {SVD_K} singular triplets (scipy solver={name}) | {fmt_s(svd['rec_fit'])} | "
                     f"{fmt_s(s['seconds'])} | {ratio(svd['rec_fit'], s['seconds'])} | "
                     f"{mb(svd['rec_peak'], svd['peer_peak'])} |")
    L += ["", "scipy's process runs both solvers one after the other; its peak covers both.", ""]
    # 5. MF ratings
    if mf:
        made = folds["ratings"]
        L += [f"### Explicit ratings, {FOLDS}-fold: RecScript `fit mf` and Surprise `SVD` "
              f"({runs_note(mf['runs'], repeats)})", "",
              f"`bench/peers/make_ratings.py --rows {RATING_PAIRS} --seed {RATING_SEED}`: {made['rows_written']:,} "
              f"(user, track) pairs of {made['pairs']:,}, rating 1 + 4·p (mean {made['rating_mean']:.3f}, "
              f"sd {made['rating_std']:.3f}); shuffled with numpy's default_rng({RATING_SEED}) and cut into "
              f"{FOLDS} folds once ({min(mf['test_rows']):,}–{max(mf['test_rows']):,} test ratings each), "
              f"both tools reading the same 10 files. {MF_RATINGS['factors']} factors, {MF_RATINGS['epochs']} "
              f"epochs, lr {MF_RATINGS['lr']}, reg {MF_RATINGS['reg']}, initial sd {MF_RATINGS['init_std']}, "
              f"seed {MF_RATINGS['seed']} on both sides; Surprise clips its estimates to [1, 5]. "
              f"RecScript per fold: `{mf['statements'][4]}`, `{mf['statements'][5]}`.",
              "",
              "| operation | RecScript | Surprise | RecScript is N× faster | peak MB RecScript / Surprise |",
              "|---|---:|---:|---:|---:|",
              f"| fit, mean per fold | {fmt_s(mf['rec_fit'])} | {fmt_s(mf['sur_fit'])} | "
              f"{ratio(mf['rec_fit'], mf['sur_fit'])} | {mb(mf['rec_peak'], mf['sur_peak'])} |",
              "",
              "Each process runs all five folds (load, fit, predict the held-out ratings).", ""]
    # 6. AUC
    s = AUC_SURPRISE
    sur = auc["sur"]
    best_mf = max((k for k in auc["models"] if k != "baseline"), key=lambda k: auc["models"][k]["auc"])
    same = f"mf loss=squared lr={s['lr_all']}"  # RecScript's model with Surprise's hyperparameters
    L += [f"### The listen label: AUC of RecScript's `baseline` and `mf`, Surprise `SVD` "
          f"({runs_note(auc['runs'], repeats)})", "",
          f"Every training row's label as the target ({sur['train_rows']:,} rows), every test row scored "
          f"({sur['test_rows']:,}). RecScript: `fit mf on train factors=32 epochs=20 seed=1 loss=... lr=...`; "
          f"Surprise: `SVD(n_factors={s['n_factors']}, n_epochs={s['n_epochs']}, lr_all={s['lr_all']}, "
          f"reg_all={s['reg_all']}, init_std_dev={s['init_std_dev']}, random_state={s['seed']})`, the "
          f"hyperparameters of RecScript's `mf loss=squared lr={s['lr_all']}`, rating scale (0, 1).",
          "",
          "| operation | RecScript | Surprise | RecScript is N× faster | peak MB RecScript / Surprise |",
          "|---|---:|---:|---:|---:|"]
    for name, m in auc["models"].items():
        peer = fmt_s(auc["sur_fit"]) if name == same else "—"
        r = ratio(m["fit"], auc["sur_fit"]) if peer != "—" else "—"
        L.append(f"| fit {name} | {fmt_s(m['fit'])} | {peer} | {r} | "
                 f"{mb(auc['rec_peak'], auc['sur_peak']) if peer != '—' else ''} |")
    L += [f"| score the test rows ({same}: evaluate auc and rmse / `algo.test`) | {fmt_s(auc['rec_eval'][same])} "
          f"| {fmt_s(auc['sur_test'])} | {ratio(auc['rec_eval'][same], auc['sur_test'])} | |",
          "",
          "RecScript's process fits the five models one after the other (its peak covers all five); "
          "Surprise's fits one.", ""]
    # 7. baseline
    L += [f"### `fit baseline` on the training split ({runs_note(base['runs'], repeats)})", "",
          "| operation | RecScript | runs | peak MB |", "|---|---:|---|---:|",
          f"| `{base['statements'][-1]}` ({sur['train_rows']:,} rows) | {fmt_s(base['fit'])} | "
          f"{', '.join(fmt_s(x) for x in base['fits'])} | {mb(base['peak'])} |", ""]
    dg = als.get("diagnostics")
    if dg:
        L += [f"With one epoch instead of the default 10 (`{dg['baseline1_statement']}`, in the diagnostics "
              f"process above, single run) it takes {fmt_s(dg['baseline1'])}: that much does not depend on "
              f"the epochs.", ""]

    # Quality
    ex = imp["metrics_exact"]
    rm = als["rec_metrics"]
    L += ["### Quality", "",
          "| metric | RecScript | peer | difference (RecScript − peer) |", "|---|---:|---:|---:|"]
    for key, label in [("precision", "precision@10"), ("recall", "recall@10"), ("ndcg", "NDCG@10"),
                       ("map", "MAP@10"), ("hit_rate", "hit rate@10")]:
        L.append(f"| ALS {label} (peer: implicit, exact top-{K}) | {num(rm.get(key), 5)} | {num(ex[key], 5)} | "
                 f"{diff(rm[key] - ex[key])} |")
    for name, sv in svd["solvers"].items():
        if "max_rel" in sv and sv["max_rel"] is not None:
            L.append(f"| SVD: largest relative difference of the {svd['values']} singular values (peer: scipy "
                     f"{name}) | | | {sv['max_rel']:.1e} |")
    if svd["peer"].get("max_relative_difference_between_solvers") is not None:
        L.append(f"| SVD: arpack vs propack, largest relative difference | | | "
                 f"{svd['peer']['max_relative_difference_between_solvers']:.1e} |")
    if mf:
        L += [f"| ratings, {FOLDS}-fold mean RMSE (peer: Surprise SVD) | {mf['rec_rmse']:.6f} | {mf['sur_rmse']:.6f} | "
              f"{diff(mf['rec_rmse'] - mf['sur_rmse'])} |",
              f"| ratings, {FOLDS}-fold mean MAE (peer: Surprise SVD) | {mf['rec_mae']:.6f} | {mf['sur_mae']:.6f} | "
              f"{diff(mf['rec_mae'] - mf['sur_mae'])} |"]
        L += [f"| ratings, RMSE of fold {k} (peer: Surprise SVD) | {a:.6f} | {b:.6f} | {diff(a - b)} |"
              for k, (a, b) in enumerate(zip(mf["rec_rmse_folds"], mf["sur_rmse_folds"]), 1)]
        sd = mf["seeds"]
        L += [f"| ratings, {FOLDS}-fold mean RMSE with seed {k} on both sides (peer: Surprise SVD) | "
              f"{sd['rec'][k]:.6f} | {sd['sur'][k]:.6f} | {diff(sd['rec'][k] - sd['sur'][k])} |" for k in sorted(sd["rec"])]
        L.append(f"| ratings, {FOLDS}-fold RMSE, mean over seeds {MF_SEEDS[0]}–{MF_SEEDS[-1]} (peer: Surprise SVD) | "
                 f"{sd['rec_mean']:.6f} | {sd['sur_mean']:.6f} | {diff(sd['rec_mean'] - sd['sur_mean'])} |")
    for name, m in auc["models"].items():
        L.append(f"| AUC, {name} (peer: Surprise SVD) | {m['auc']:.5f} | {sur['auc']:.5f} | {diff(m['auc'] - sur['auc'])} |")
    L.append(f"| RMSE on the label, {same} (peer: Surprise SVD) | "
             f"{auc['models'][same]['rmse']:.5f} | {sur['rmse']:.5f} | "
             f"{diff(auc['models'][same]['rmse'] - sur['rmse'])} |")
    if auc["true_auc"] is not None:
        L.append(f"| AUC of the generator's true probabilities of the test rows (the best achievable) | | "
                 f"{auc['true_auc']:.5f} | best RecScript model {diff(auc['models'][best_mf]['auc'] - auc['true_auc'])} |")
    L.append("")

    # Oracle check
    orc, orc_rec = als["oracle"], als["oracle_rec"]
    diffs = {k: abs(orc_rec[k] - orc[k]) for k in orc_rec}
    L += ["### Oracle check of RecScript's ranking metrics", "",
          f"RecScript's own top-{K} lists (`{als['recommend']}`, saved as CSV) scored by "
          f"`bench/peers/ranking.py` against RecScript's `evaluate` on the same model, {orc['users_evaluated']:,} "
          f"users evaluated by both ({orc['short_lists']} short lists, {orc['dropped_seen']} seen items "
          "dropped by ranking.py):", "",
          "| metric | RecScript evaluate | ranking.py on RecScript's lists | absolute difference |",
          "|---|---:|---:|---:|"]
    for key in orc_rec:
        L.append(f"| {key}@{K} | {orc_rec[key]:.10f} | {orc[key]:.10f} | {diffs[key]:.1e} |")
    L += ["", f"The largest difference is {max(diffs.values()):.1e}: "
          + ("the two implementations agree to rounding." if max(diffs.values()) < 1e-9 else
             "**they disagree**."), ""]

    # Targets
    per_r, per_i = als["rec_fit"] / it, als["imp_fit"] / it
    t = []
    ok = per_r <= per_i / 2
    t.append(f"* ALS time per iteration at most half of implicit's: **{'met' if ok else 'not met'}** "
             f"({fmt_s(per_r)} vs {fmt_s(per_i)}, {per_i / per_r:.2f}× faster).")
    ok = rm["precision"] >= ex["precision"] and rm["ndcg"] >= ex["ndcg"]
    t.append(f"* ALS precision@10 and NDCG@10 no worse than implicit's: **{'met' if ok else 'not met'}** "
             f"(precision@10 {rm['precision']:.5f} vs {ex['precision']:.5f}, {diff(rm['precision'] - ex['precision'])}; "
             f"NDCG@10 {rm['ndcg']:.5f} vs {ex['ndcg']:.5f}, {diff(rm['ndcg'] - ex['ndcg'])}).")
    ok = als["rec_recommend"] <= als["imp_recommend"]
    t.append(f"* Top-{K} for every user at least as fast as implicit's batch recommend: **{'met' if ok else 'not met'}** "
             f"({fmt_s(als['rec_recommend'])} vs {fmt_s(als['imp_recommend'])}; implicit's exact top-k of the "
             f"evaluated users {fmt_s(als['imp_exact'])}).")
    good = [(n, sv) for n, sv in svd["solvers"].items() if sv.get("max_rel") is not None]
    if good:
        ok_vals = all(sv["max_rel"] <= 1e-6 for _, sv in good)
        ok_time = all(svd["rec_fit"] < sv["seconds"] for _, sv in good)
        t.append(f"* SVD: the same singular values as scipy within 1e-6 relative, in less time: "
                 f"**{'met' if ok_vals and ok_time else 'not met'}** (values: {'met' if ok_vals else 'not met'}; "
                 f"time: {'met' if ok_time else 'not met'}; "
                 + "; ".join(f"{n}: largest relative difference {sv['max_rel']:.1e}, {fmt_s(sv['seconds'])} vs "
                             f"RecScript's {fmt_s(svd['rec_fit'])}" for n, sv in good) + ").")
    if mf:
        sd = mf["seeds"]
        ok_q, ok_t = sd["rec_mean"] <= sd["sur_mean"], mf["rec_fit"] < mf["sur_fit"]
        spread = max(abs(sd["rec"][k] - sd["sur"][k]) for k in sd["rec"])
        t.append(f"* Ratings: {FOLDS}-fold RMSE no worse than Surprise's SVD, fit faster: "
                 f"**{'met' if ok_q and ok_t else 'not met'}** (RMSE over seeds {MF_SEEDS[0]}–{MF_SEEDS[-1]} "
                 f"{sd['rec_mean']:.6f} vs {sd['sur_mean']:.6f}, {diff(sd['rec_mean'] - sd['sur_mean'])}: "
                 f"{'met' if ok_q else 'not met'}; with one seed the two differ by up to {spread:.5f} either way "
                 f"(seed {MF_RATINGS['seed']}: {mf['rec_rmse']:.6f} vs {mf['sur_rmse']:.6f}); fit "
                 f"{fmt_s(mf['rec_fit'])} vs {fmt_s(mf['sur_fit'])} per fold, "
                 f"{mf['sur_fit'] / mf['rec_fit']:.1f}× faster: {'met' if ok_t else 'not met'}).")
    b_auc = auc["models"]["baseline"]["auc"]
    ok = auc["models"][best_mf]["auc"] > b_auc
    true = (f"; the true probabilities reach {auc['true_auc']:.5f}" if auc["true_auc"] is not None else "")
    t.append(f"* The best collaborative model's AUC beats the bias baseline: **{'met' if ok else 'not met'}** "
             f"({best_mf}: {auc['models'][best_mf]['auc']:.5f} vs baseline {b_auc:.5f}; Surprise SVD "
             f"{sur['auc']:.5f}{true}).")
    ok = base["fit"] < 0.5
    t.append(f"* `fit baseline` on the full training split under 0.5 s: **{'met' if ok else 'not met'}** "
             f"({fmt_s(base['fit'])}).")
    if not als["metrics_stable"]:
        t.append("* Note: the ranking metrics differed between runs of the same tool (a seed did not "
                 "reproduce the model).")
    L += ["### Targets", ""] + t + [""]
    L += [f"Measuring this section took {elapsed / 60:.1f} min of wall time; the 1-minute load average "
          f"was {load[0][0]:.2f} when it started and {load[1][0]:.2f} when it ended ({THREADS} cores); "
          f"processes other than the benchmark's used {load[4]:.0f} CPU-seconds meanwhile "
          f"({100 * load[4] / (load[5] * THREADS):.0f}% of the machine)."
          + ("" if load[2] == load[3] else
             f" **The repl binary changed during the run** (sha256 {load[2]}… before, {load[3]}… after): "
             "the RecScript figures may come from two builds."), ""]
    return L


def replace_section(path, lines):
    """Replaces (or appends) the "## Recommenders" section of the Markdown file at path; the
    sections after it (from the next "## " heading, e.g. "## Classifiers") are kept."""
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    parts = text.split("\n" + HEADING + "\n", 1)
    head = parts[0].rstrip("\n")
    nxt = parts[1].find("\n## ") if len(parts) > 1 else -1
    tail = parts[1][nxt:] if nxt >= 0 else ""
    with open(path + ".tmp", "w") as f:
        f.write(head + "\n\n" + "\n".join(lines).rstrip("\n") + ("\n" + tail if tail else ""))
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.join(ROOT, "data", "full.csv"))
    parser.add_argument("--probabilities", default=None, help="default: DATA's stem + '-p.csv'")
    parser.add_argument("--work", default=None, help="directory of the shared files (default: data/bench "
                        "for data/full.csv, else DATA's directory/bench-STEM)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--single-run-above", type=float, default=30.0,
                        help="one run instead of --repeats when a process of a comparison's first "
                             "round takes longer (seconds of wall time)")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    args = parser.parse_args()
    lines = section(args.data, args.probabilities, args.work, args.repeats, args.single_run_above)
    replace_section(args.out, lines)
    print(f"wrote the recommender section of {os.path.relpath(args.out, ROOT)}")


if __name__ == "__main__":
    main()
