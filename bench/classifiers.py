#!/usr/bin/env python3
"""RecScript's classifiers and model search beside LightGBM and scikit-learn, on the
recommenders' split (bench/recommenders.py), in one run; writes the "## Classifiers" section
of docs/benchmarks.md.

bench/bench.py calls ``section()`` after the recommenders (``make bench``, unless
--no-classifiers); run alone, this script replaces only that section of --out.

Each tool runs as its own process on the same rows, the tools interleaved, medians of
--repeats runs when every process of a comparison's first round took under
--single-run-above seconds (30), else that single run; the tables say which.  RecScript's
times are its statement timer (``repl --timer``); the peers' are ``time.perf_counter`` around
the library call (bench/peers/lightgbm_gbt.py, bench/peers/sklearn_classifiers.py).  The
peers learn from the matrix of bench/peers/classifier_features.py, the recipe of RecScript's
``features=auto`` built in numpy, once per training set (its time is reported).

1. ``fit gbt on train features=auto trees=200`` (lr 0.1, 31 leaves, min_leaf 20, 255 bins) on
   the full training split against LightGBM at the same settings on the same features; the
   feature pipeline's share of RecScript's fit from a ``trees=1`` fit in the same process;
   LightGBM on the raw columns (ids as numbers) unless --no-raw.  Test AUC of each, and the
   AUC of the generator's true probabilities of the test rows (the best achievable).
2. ``fit logreg`` (C 1, l2, lbfgs, 100 iterations) against LogisticRegression, full split.
3. ``fit forest`` (50 trees, depth 12) against RandomForestClassifier, first 1M training rows.
4. ``fit mlp`` (hidden [100], 10 epochs) against MLPClassifier on the first 1M training rows;
   ``fit svc`` against LinearSVC (both stopped at 100 epochs) on the first 500k; ``fit knn`` (k 25) against
   KNeighborsClassifier on the first 100k training rows, scoring the first 20k test rows.
5. ``tune gbt`` on the first 500k training rows: the full grid of lr [0.05, 0.1, 0.2] x leaves
   [15, 31, 63] (100 trees, 3 folds) against search=halving (budget [12, 100]) and
   search=bayes (6 trials): best cross-validated AUC and time of each.

Usage: bench/classifiers.py [--data data/full.csv] [--probabilities DATA-p.csv] [--work DIR]
       [--repeats 3] [--no-raw] [--out docs/benchmarks.md]
"""
import argparse
import datetime
import json
import os
import platform
import sys
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "peers"))
from bench import ROOT, cpu_model, median, fmt_seconds  # noqa: E402
from recommenders import (run_recscript, run_python, metric_rows, interleaved, med, cpu_seconds,  # noqa: E402
                          ensure_split, ensure_probabilities, repl_digest, SCHEMA, THREADS)
from surprise_svd import mann_whitney_auc  # noqa: E402

HEADING = "## Classifiers"
GBT = dict(trees=200, lr=0.1, leaves=31, min_leaf=20, bins=255)
FOREST = dict(trees=50, depth=12, min_leaf=1)
SUBSET, KNN_TRAIN, KNN_TEST, TUNE_ROWS = 1_000_000, 100_000, 20_000, 500_000
KNN_K, MLP_EPOCHS = 25, 10
# The dual coordinate descent of both SVMs does not converge on these rows within 1000 epochs
# (160k rows took over two minutes each): both are stopped at SVC_ITER epochs.
SVC_ROWS, SVC_ITER = 500_000, 100
TUNE_SPACE = "space={lr: [0.05, 0.1, 0.2], leaves: [15, 31, 63]}"
TUNES = [("grid", "search=grid"), ("halving", "search=halving budget=[12, 100]"),
         ("bayes", "search=bayes trials=6")]


def log(msg):
    print(f"[classifiers] {msg}", flush=True)


def fmt_s(x):
    return fmt_seconds(x)


def ratio(rec, peer):
    return "—" if rec is None or peer is None or rec == 0 else f"{peer / rec:.2f}×"


def mb(*xs):
    return " / ".join("—" if x is None else f"{x:.0f}" for x in xs)


def prefix(work, train_rows=0, test_rows=0):
    tr = f" rows={train_rows}" if train_rows else ""
    te = f" rows={test_rows}" if test_rows else ""
    return [f'train = load "{os.path.join(work, "train.rsf")}"{tr}',
            f'test = load "{os.path.join(work, "test.rsf")}"{te}',
            "train = drop train [row]",
            "test = drop test [row]",
            f"schema train {SCHEMA}",
            f"schema test {SCHEMA}"]


def features(work, name, train_rows=0, test_rows=0):
    """The peers' matrix for this training set, made once (reused when made from the same files)."""
    out = os.path.join(work, "classifiers", name)
    meta_path = os.path.join(out, "meta.json")
    want = {"train": os.path.realpath(os.path.join(work, "train.csv")),
            "test": os.path.realpath(os.path.join(work, "test.csv")),
            "train_rows": train_rows, "test_rows": test_rows, "seed": 1}
    if os.path.exists(meta_path):
        meta = json.load(open(meta_path))
        src = meta.get("source", {})
        if {k: src.get(k) for k in want} == want and \
                os.path.getmtime(meta_path) > os.path.getmtime(os.path.join(work, "train.csv")):
            log(f"reusing the peers' features {name}")
            return out, meta
    log(f"building the peers' features {name}")
    args = ["--train", os.path.join(work, "train.csv"), "--test", os.path.join(work, "test.csv"), "--out", out]
    if train_rows:
        args += ["--train-rows", str(train_rows)]
    if test_rows:
        args += ["--test-rows", str(test_rows)]
    run = run_python("classifier_features.py", args, "classifier_features.py")
    meta = run.json
    meta["peak_mb"] = run.peak
    return out, meta


def true_auc(work, p_all, test_rows=0):
    if p_all is None:
        return None
    test = pd.read_csv(os.path.join(work, "test.csv"), usecols=["row", "is_listened"], nrows=test_rows or None)
    return mann_whitney_auc(p_all[test["row"].to_numpy()], test["is_listened"].to_numpy() == 1)


def compare(work, name, statements, fit_stmt, eval_stmt, peer_script, peer_args, repeats, single_above):
    """RecScript's script and the peer, interleaved. Returns a dict of medians."""
    def rec():
        return run_recscript(work, name, statements)

    def peer():
        return run_python(peer_script, peer_args, peer_script)
    rounds = interleaved([rec, peer], repeats, single_above)
    r0 = rounds[0][0]
    return {
        "runs": len(rounds),
        "rec_fit": med(rounds, 0, lambda r: r.times[fit_stmt]),
        "rec_fits": [r[0].times[fit_stmt] for r in rounds],
        "rec_eval": med(rounds, 0, lambda r: r.times[eval_stmt]),
        "rec_auc": metric_rows(r0, eval_stmt).get("auc"),
        "rec_peak": med(rounds, 0, lambda r: r.peak),
        "peer_fit": med(rounds, 1, lambda r: r.json["fit_seconds"]),
        "peer_fits": [r[1].json["fit_seconds"] for r in rounds],
        "peer_pred": med(rounds, 1, lambda r: r.json["predict_seconds"]),
        "peer_auc": rounds[0][1].json["test_auc"],
        "peer_peak": med(rounds, 1, lambda r: r.peak),
        "peer": rounds[0][1].json,
        "rec_times": {s: med(rounds, 0, lambda r, s=s: r.times[s]) for s in statements},
        "fit": fit_stmt,
    }


def bench_gbt(work, repeats, single_above, raw):
    fit1 = "g1 = fit gbt on train features=auto trees=1"
    fit = ("g = fit gbt on train features=auto trees={trees} lr={lr} leaves={leaves} min_leaf={min_leaf} "
           "bins={bins}").format(**GBT)
    ev = "evaluate g on test metrics=[auc]"
    statements = prefix(work) + [fit1, fit, ev]
    fdir, meta = features(work, "full")
    peer_args = ["--dir", fdir] + sum([[f"--{k}", str(v)] for k, v in GBT.items()], [])
    res = compare(work, "cls-gbt", statements, fit, ev, "lightgbm_gbt.py", peer_args, repeats, single_above)
    res["rec_fit1"] = res["rec_times"][fit1]
    res["fit1"] = fit1
    res["features"] = meta
    if raw:
        log("LightGBM on the raw columns")
        r = run_python("lightgbm_gbt.py", ["--raw-train", os.path.join(work, "train.csv"),
                                           "--raw-test", os.path.join(work, "test.csv")]
                       + sum([[f"--{k}", str(v)] for k, v in GBT.items()], []), "lightgbm_gbt.py --raw")
        res["raw"] = r.json
        res["raw_peak"] = r.peak
    return res


def bench_simple(work, kind, rec_opts, peer_model, peer_opts, repeats, single_above, train_rows=0,
                 test_rows=0, features_name="full"):
    fit = f"m = fit {kind} on train features=auto {rec_opts}".rstrip()
    ev = "evaluate m on test metrics=[auc]"
    statements = prefix(work, train_rows, test_rows) + [fit, ev]
    fdir, meta = features(work, features_name, train_rows, test_rows)
    res = compare(work, f"cls-{kind}", statements, fit, ev, "sklearn_classifiers.py",
                  [peer_model, "--dir", fdir] + peer_opts, repeats, single_above)
    res["features"] = meta
    res["train_rows"], res["test_rows"] = train_rows, test_rows
    return res


def best_trial(stdout, statements):
    """The rank-1 trial of a tune (the setting it returns): (mean CV score, its settings, number
    of trials), from the first table with a "mean" or "auc mean" column printed by `statements`."""
    for line in stdout.splitlines():
        if not line.startswith("{"):
            continue
        obj = json.loads(line)
        if obj.get("statement") not in statements or obj.get("type") != "table":
            continue
        cols = obj.get("columns") or []
        score = next((i for i, c in enumerate(cols) if c in ("mean", "auc mean")), None)
        if score is None or not obj.get("rows"):
            continue
        first = obj["rows"][0]
        settings = {c: v for c, v in zip(cols, first) if c not in ("rank", "trial", "std", "seconds", "time")
                    and c != cols[score]}
        n = len(obj["rows"]) + (obj.get("rows_omitted_before") or 0)
        return first[score], settings, n
    return None, {}, 0


def bench_tune(work, repeats, single_above):
    out = {}
    for name, opts in TUNES:
        tune = f"m = tune gbt on train features=auto {TUNE_SPACE} trees=100 folds=3 {opts}"
        show = "m.trials"
        statements = [prefix(work, TUNE_ROWS)[0], "train = drop train [row]", f"schema train {SCHEMA}", tune, show]
        log(f"tune: search={name}")
        run = run_recscript(work, f"cls-tune-{name}", statements)
        out[name] = {"statement": tune, "seconds": run.times[tune], "peak": run.peak,
                     "result": run.results.get(tune), "trials": run.results.get(show)}
        best, settings, n = best_trial(run.stdout, [show, tune])
        out[name]["best"], out[name]["settings"], out[name]["n"] = best, settings, n
        log(f"tune {name}: {fmt_s(run.times[tune])}, best {best}, {n} trials")
    return out


def section(data, probabilities=None, work=None, repeats=3, single_above=30.0, raw=True, only=None, resume=False):
    t_start = time.perf_counter()
    load0, cpu0 = os.getloadavg(), cpu_seconds()
    digest0 = repl_digest()
    data = os.path.abspath(data)
    stem = os.path.splitext(os.path.basename(data))[0]
    if work is None:
        work = (os.path.join(ROOT, "data", "bench") if os.path.realpath(data) == os.path.realpath(
            os.path.join(ROOT, "data", "full.csv")) else os.path.join(os.path.dirname(data), f"bench-{stem}"))
    os.makedirs(work, exist_ok=True)
    probabilities = probabilities or os.path.join(os.path.dirname(data), stem + "-p.csv")
    rows = sum(1 for _ in open(data, "rb")) - 1
    have_p = ensure_probabilities(data, probabilities, rows)
    split = ensure_split(data, work)
    p_all = pd.read_csv(probabilities)["p"].to_numpy(np.float64) if have_p else None
    want = (lambda k: (only is None or k in only) and k not in R)
    partial = os.path.join(work, "classifiers-partial.json")
    R = json.load(open(partial))["results"] if resume and os.path.exists(partial) else {}
    resumed = list(R)
    if R:
        log(f"resuming: reusing the stored results of {', '.join(R)} from {os.path.relpath(partial, ROOT)}")

    def keep():
        with open(partial, "w") as f:
            json.dump({"results": R}, f, indent=1, default=str)
    if want("gbt"):
        log("gbt vs LightGBM, full training split")
        R["gbt"] = bench_gbt(work, repeats, single_above, raw)
        log(f"gbt: {R['gbt']['rec_fit']:.1f} s AUC {R['gbt']['rec_auc']}, lightgbm "
            f"{R['gbt']['peer_fit']:.1f} s AUC {R['gbt']['peer_auc']}")
    keep()
    if want("tune"):
        log("tune gbt, 500k rows")
        R["tune"] = bench_tune(work, repeats, single_above)
    keep()
    if want("logreg"):
        log("logreg vs LogisticRegression, full training split")
        R["logreg"] = bench_simple(work, "logreg", "C=1 penalty=l2 solver=lbfgs max_iter=100", "logreg",
                                   ["--C", "1", "--max_iter", "100"], repeats, single_above)
    keep()
    if want("forest"):
        log("forest vs RandomForestClassifier, 1M rows")
        R["forest"] = bench_simple(work, "forest", "trees={trees} depth={depth} min_leaf={min_leaf} max_features=sqrt".format(**FOREST),
                                   "forest", ["--trees", str(FOREST["trees"]), "--depth", str(FOREST["depth"]),
                                              "--min_leaf", str(FOREST["min_leaf"])], repeats, single_above,
                                   SUBSET, 0, "1m")
    keep()
    if want("mlp"):
        log("mlp vs MLPClassifier, 1M rows")
        R["mlp"] = bench_simple(work, "mlp", f"hidden=[100] epochs={MLP_EPOCHS}", "mlp",
                                ["--hidden", "100", "--epochs", str(MLP_EPOCHS)], repeats, single_above,
                                SUBSET, 0, "1m")
    keep()
    if want("knn"):
        log("knn vs KNeighborsClassifier, 100k / 20k rows")
        R["knn"] = bench_simple(work, "knn", f"k={KNN_K}", "knn", ["--k", str(KNN_K)], repeats, single_above,
                                KNN_TRAIN, KNN_TEST, "100k")
    if want("svc"):
        log(f"svc vs LinearSVC, {SVC_ROWS:,} rows")
        R["svc"] = bench_simple(work, "svc", f"C=1 loss=squared_hinge max_iter={SVC_ITER}", "svc",
                                ["--C", "1", "--max_iter", str(SVC_ITER)], repeats, single_above,
                                SVC_ROWS, 0, "500k")
    keep()
    true = {"full": true_auc(work, p_all), "knn": true_auc(work, p_all, KNN_TEST)}
    with open(os.path.join(work, "classifiers.json"), "w") as f:
        json.dump({"results": R, "true_auc": true}, f, indent=1, default=str)
    elapsed = time.perf_counter() - t_start
    load1, cpu1 = os.getloadavg(), cpu_seconds()
    other = (cpu1[0] - cpu0[0]) - (cpu1[1] - cpu0[1])
    digest1 = repl_digest()
    return render(data, rows, R, true, repeats, elapsed, (load0, load1, digest0, digest1, other, elapsed), resumed)


def runs_note(n, repeats):
    return f"median of {n} runs" if n > 1 else ("single run" if repeats <= 1 else
                                                 f"single run: a process took over the limit for {repeats} runs")


def render(data, rows, R, true, repeats, elapsed, load, resumed=()):
    import lightgbm
    import sklearn
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = [HEADING, "",
         f"Measured {now} by `make bench` on {platform.machine()} Linux with {THREADS} cores ({cpu_model()}), "
         f"on the recommenders' split of `{os.path.relpath(data, ROOT)}` ({rows:,} rows). LightGBM "
         f"{lightgbm.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
         f"Python {platform.python_version()}."
         + (f" **Run with --repeats {repeats}: every figure is a single run.**" if repeats <= 1 else ""), "",
         "Every tool runs as its own process on the same rows. RecScript's times are its statement timer "
         "(`repl --timer`) and include its whole feature pipeline (`features=auto`: target encodings out of "
         "fold, one-hot, scaling); the peers' times are `time.perf_counter` around the library's fit and "
         "get a ready-made float32 matrix built by `bench/peers/classifier_features.py` with the same recipe "
         "(numeric columns as is; out-of-fold target encodings of user_id, media_id, artist_id, album_id, "
         "genre_id, context_type and the (user_id, media_id) pair, smoothing 20, 5 folds; platform_name and "
         "platform_family one-hot), whose own time is given beside. The `row` column of the split is dropped "
         "before fitting. A ratio above 1× means RecScript is that many times faster. AUC is on the test rows.",
         ""]
    tp = true.get("full")
    if "gbt" in R:
        g = R["gbt"]
        fm = g["features"]
        L += [f"### Gradient boosting: RecScript `fit gbt` and LightGBM, full training split "
              f"({runs_note(g['runs'], repeats)})", "",
              f"{fm['train_rows']:,} training rows, {fm['test_rows']:,} test rows, {fm['columns']} feature columns. "
              f"RecScript: `{g['fit']}`; LightGBM: `lgb.train` with num_iterations {GBT['trees']}, learning_rate "
              f"{GBT['lr']}, num_leaves {GBT['leaves']}, min_data_in_leaf {GBT['min_leaf']}, max_bin {GBT['bins']}, "
              f"no bagging, {THREADS} threads (Dataset construction, i.e. binning, included).", "",
              "| operation | RecScript | LightGBM | RecScript is N× faster | peak MB RecScript / LightGBM |",
              "|---|---:|---:|---:|---:|",
              f"| fit, 200 trees (RecScript: features + binning + trees) | {fmt_s(g['rec_fit'])} | "
              f"{fmt_s(g['peer_fit'])} | {ratio(g['rec_fit'], g['peer_fit'])} | {mb(g['rec_peak'], g['peer_peak'])} |",
              f"| the feature pipeline (RecScript: `{g['fit1']}`, i.e. features + binning + one tree; peer: "
              f"classifier_features.py in numpy, made once) | {fmt_s(g['rec_fit1'])} | "
              f"{fmt_s(fm['pipeline_seconds'])} | {ratio(g['rec_fit1'], fm['pipeline_seconds'])} | |",
              f"| fit without the pipeline (RecScript: the two rows above subtracted) | "
              f"{fmt_s(g['rec_fit'] - g['rec_fit1'])} | {fmt_s(g['peer_fit'])} | "
              f"{ratio(g['rec_fit'] - g['rec_fit1'], g['peer_fit'])} | |",
              f"| pipeline + fit, both sides | {fmt_s(g['rec_fit'])} | {fmt_s(g['peer_fit'] + fm['pipeline_seconds'])} | "
              f"{ratio(g['rec_fit'], g['peer_fit'] + fm['pipeline_seconds'])} | |",
              f"| score the test rows (evaluate auc / `booster.predict`) | {fmt_s(g['rec_eval'])} | "
              f"{fmt_s(g['peer_pred'])} | {ratio(g['rec_eval'], g['peer_pred'])} | |"]
        if "raw" in g:
            rw = g["raw"]
            L.append(f"| LightGBM on the raw columns ({rw['columns']} columns, ids as numbers; single run) | | "
                     f"{fmt_s(rw['fit_seconds'])} | {ratio(g['rec_fit'], rw['fit_seconds'])} | "
                     f"— / {g['raw_peak']:.0f} |")
        L += ["", "| model | test AUC | share of the best achievable |", "|---|---:|---:|"]
        rows_auc = [("RecScript `fit gbt ... trees=200`", g["rec_auc"]), ("LightGBM, same features", g["peer_auc"])]
        if "raw" in g:
            rows_auc.append(("LightGBM, raw columns", g["raw"]["test_auc"]))
        for label, a in rows_auc:
            share = "—" if tp is None or a is None else f"{a / tp:.4f} ({(a - 0.5) / (tp - 0.5):.3f} of the lift over 0.5)"
            L.append(f"| {label} | {num(a)} | {share} |")
        if tp is not None:
            L.append(f"| the generator's true probabilities of the same rows (the best achievable) | {tp:.5f} | 1 |")
        L.append("")
    simple = [("logreg", "Logistic regression: RecScript `fit logreg` and scikit-learn `LogisticRegression`",
               "LogisticRegression(C=1, penalty='l2', solver='lbfgs', max_iter=100, tol=1e-4) on the matrix with its "
               "numeric columns standardised (z-score, as RecScript's scale=standard)"),
              ("forest", "Random forest: RecScript `fit forest` and scikit-learn `RandomForestClassifier`",
               f"RandomForestClassifier(n_estimators={FOREST['trees']}, max_depth={FOREST['depth']}, "
               f"min_samples_leaf={FOREST['min_leaf']}, max_features='sqrt', bootstrap=True, n_jobs=-1, random_state=1)"),
              ("svc", "Linear SVM: RecScript `fit svc` and scikit-learn `LinearSVC`",
               f"LinearSVC(C=1, loss='squared_hinge', dual=True, max_iter={SVC_ITER}, tol=1e-4) on the standardised matrix "
               f"(both SVMs stopped at {SVC_ITER} epochs: neither converges within 1000 on these rows); "
               "its AUC from the decision values (RecScript's probabilities are Platt-scaled decision values, and "
               "its fit includes Platt's held-out fit)"),
              ("mlp", "Neural network: RecScript `fit mlp` and scikit-learn `MLPClassifier`",
               f"MLPClassifier(hidden_layer_sizes=(100,), activation='relu', solver='adam', alpha=1e-4, batch_size=200, "
               f"learning_rate_init=1e-3, max_iter={MLP_EPOCHS}, random_state=1) on the standardised matrix"),
              ("knn", "Nearest neighbours: RecScript `fit knn` and scikit-learn `KNeighborsClassifier`",
               f"KNeighborsClassifier(n_neighbors={KNN_K}, weights='uniform', n_jobs=-1) on the standardised matrix; "
               "the neighbour search happens when scoring, so the scoring row is the one to compare")]
    for key, title, peer_desc in simple:
        if key not in R:
            continue
        s = R[key]
        fm = s["features"]
        subset = ("the full training split" if not s["train_rows"] else
                  f"the first {s['train_rows']:,} training rows"
                  + (f" and the first {s['test_rows']:,} test rows" if s["test_rows"] else " (all test rows scored)"))
        why = "" if not s["train_rows"] else " A subset, as scikit-learn would not finish on the full split in minutes."
        L += [f"### {title} ({runs_note(s['runs'], repeats)})", "",
              f"On {subset}: {fm['train_rows']:,} training rows, {fm['test_rows']:,} test rows, {fm['columns']} "
              f"feature columns.{why} RecScript: `{s['fit']}`; scikit-learn {peer_desc}."
              + (f" scikit-learn stopped after {s['peer']['iterations']} iterations." if "iterations" in s["peer"] else ""),
              "",
              "| operation | RecScript | scikit-learn | RecScript is N× faster | peak MB RecScript / scikit-learn |",
              "|---|---:|---:|---:|---:|",
              f"| fit (RecScript: with its feature pipeline) | {fmt_s(s['rec_fit'])} | {fmt_s(s['peer_fit'])} | "
              f"{ratio(s['rec_fit'], s['peer_fit'])} | {mb(s['rec_peak'], s['peer_peak'])} |",
              f"| peer's features, made once by classifier_features.py (+ standardising) | | "
              f"{fmt_s(fm['pipeline_seconds'] + s['peer'].get('scale_seconds', 0))} | | |",
              f"| pipeline + fit, both sides | {fmt_s(s['rec_fit'])} | "
              f"{fmt_s(s['peer_fit'] + fm['pipeline_seconds'] + s['peer'].get('scale_seconds', 0))} | "
              f"{ratio(s['rec_fit'], s['peer_fit'] + fm['pipeline_seconds'] + s['peer'].get('scale_seconds', 0))} | |",
              f"| score the test rows | {fmt_s(s['rec_eval'])} | {fmt_s(s['peer_pred'])} | "
              f"{ratio(s['rec_eval'], s['peer_pred'])} | |",
              f"| test AUC | {num(s['rec_auc'])} | {num(s['peer_auc'])} | difference {diff(s['rec_auc'], s['peer_auc'])} | |"]
        tp_here = true.get("knn") if key == "knn" else tp
        if tp_here is not None:
            L.append(f"| AUC of the true probabilities of the same test rows | {tp_here:.5f} | | | |")
        L.append("")
    if "tune" in R:
        T = R["tune"]
        grid = T["grid"]
        L += [f"### Model search: `tune gbt` on the first {TUNE_ROWS:,} training rows (single runs)", "",
              f"`tune gbt on train features=auto {TUNE_SPACE} trees=100 folds=3 search=...`: 3-fold "
              "cross-validated AUC, the best setting refitted on all the rows (included in the time).", "",
              "| search | time | trials | chosen setting | its CV AUC | − grid's best | time / grid's | peak MB |",
              "|---|---:|---:|---|---:|---:|---:|---:|"]
        for name, opts in TUNES:
            t = T[name]
            chosen = ", ".join(f"{k} {v}" for k, v in t["settings"].items())
            L.append(f"| `{opts}` | {fmt_s(t['seconds'])} | {t['n']} | {chosen} | {num(t['best'])} | "
                     f"{diff(t['best'], grid['best'])} | "
                     f"{(t['seconds'] / grid['seconds']):.2f} | {t['peak']:.0f} |")
        L.append("")
    # Targets
    t = []
    if "gbt" in R and tp is not None and R["gbt"]["rec_auc"] is not None:
        share = R["gbt"]["rec_auc"] / tp
        t.append(f"* `fit gbt` reaches at least 0.96 of the best achievable AUC: **{'met' if share >= 0.96 else 'not met'}** "
                 f"({R['gbt']['rec_auc']:.5f} / {tp:.5f} = {share:.4f}).")
    if "gbt" in R:
        g = R["gbt"]
        t.append(f"* `fit gbt` (with its pipeline) against LightGBM's fit on a ready matrix: "
                 f"{fmt_s(g['rec_fit'])} vs {fmt_s(g['peer_fit'])} ({ratio(g['rec_fit'], g['peer_fit'])}); "
                 f"AUC {diff(g['rec_auc'], g['peer_auc'])} against LightGBM's.")
    if "tune" in R:
        T = R["tune"]
        for name in ("halving", "bayes"):
            x = T[name]
            if x["best"] is None or T["grid"]["best"] is None:
                continue
            ok_q = x["best"] >= T["grid"]["best"] - 0.001
            ok_t = x["seconds"] <= T["grid"]["seconds"] / 3
            t.append(f"* search={name} reaches the grid's best within 0.001 AUC in at most a third of its time: "
                     f"**{'met' if ok_q and ok_t else 'not met'}** ({x['best']:.5f} vs {T['grid']['best']:.5f}; "
                     f"{fmt_s(x['seconds'])} vs {fmt_s(T['grid']['seconds'])}, {x['seconds'] / T['grid']['seconds']:.2f} of it).")
    if t:
        L += ["### Targets", ""] + t + [""]
    load0, load1, d0, d1, other, el = load
    L += [f"Measuring this section took {elapsed / 60:.1f} min of wall time; the 1-minute load average was "
          f"{load0[0]:.2f} when it started and {load1[0]:.2f} when it ended ({THREADS} cores); processes other "
          f"than the benchmark's used {other:.0f} CPU-seconds meanwhile ({100 * other / (el * THREADS):.0f}% of "
          "the machine)."
          + ("" if d0 == d1 else f" **The repl binary changed during the run** ({d0}… before, {d1}… after).")
          + ("" if not resumed else f" The comparisons {', '.join(resumed)} were measured by an earlier, interrupted "
             "run of the same script and reused (`--resume`); the time and load above are of the last run only."),
          ""]
    return L


def num(x, digits=5):
    return "—" if x is None else f"{x:.{digits}f}"


def diff(a, b):
    return "—" if a is None or b is None else f"{a - b:+.5f}"


def replace_section(path, lines):
    """Replaces (or appends) the "## Classifiers" section of the Markdown file at path, up to the next
    "## " heading; the rest of the file is kept as it is."""
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    marker = "\n" + HEADING + "\n"
    if marker in text:
        head, rest = text.split(marker, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt:] if nxt >= 0 else ""
    else:
        head, tail = text, ""
    body = head.rstrip("\n") + "\n\n" + "\n".join(lines).rstrip("\n") + "\n" + tail
    with open(path + ".tmp", "w") as f:
        f.write(body)
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.join(ROOT, "data", "full.csv"))
    parser.add_argument("--probabilities", default=None, help="default: DATA's stem + '-p.csv'")
    parser.add_argument("--work", default=None, help="the recommenders' split directory (default: data/bench)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--single-run-above", type=float, default=30.0)
    parser.add_argument("--no-raw", action="store_true", help="skip LightGBM on the raw columns")
    parser.add_argument("--only", default=None, help="comma-separated: gbt,logreg,forest,svc,mlp,knn,tune")
    parser.add_argument("--resume", action="store_true",
                        help="reuse the comparisons stored by an earlier, interrupted run (WORK/classifiers-partial.json)")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    args = parser.parse_args()
    lines = section(args.data, args.probabilities, args.work, args.repeats, args.single_run_above,
                    not args.no_raw, args.only.split(",") if args.only else None, args.resume)
    replace_section(args.out, lines)
    print(f"wrote the classifier section of {os.path.relpath(args.out, ROOT)}")


if __name__ == "__main__":
    main()
