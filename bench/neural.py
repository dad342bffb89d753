#!/usr/bin/env python3
"""RecScript's neural recommender (``fit neural``) beside the original analysis's Keras network
(keras_deepLearning.py) on Keras 3 with the JAX backend, on the same rows and the same CPU;
writes the "## Neural recommender" section of docs/benchmarks.md.

bench/bench.py calls ``section()`` after the classifiers (``make bench``, unless --no-neural);
run alone, this script replaces only that section of --out.

The network: user and track embeddings of size 10, concatenated, Dense(400) + ReLU +
Dropout(0.5), Dense(100) + batch normalisation (no activation between, as the original),
Dense(1) + sigmoid; binary cross-entropy; SGD with learning rate 0.08 and momentum 0.9. Both
tools train on the first --rows (800,000) rows of the recommenders' training split
(bench/recommenders.py, made here when missing), for --epochs epochs at each batch size of
--batches (128 and 1024), without validation, and score every test row of the split.

* RecScript: ``fit neural`` with the same settings (see ``statements()``), timed per epoch by
  its own history (``m.history``, read from ``repl --format json``), the test AUC from
  ``evaluate``; the fit statement's whole time from ``repl --timer``.
* Keras: bench/peers/keras_neural.py, its own process, epochs timed by a callback; epoch 1
  includes XLA's compilation of the training step, so the time per epoch compared is the mean
  of epochs 2.. (of epoch 1 only when --epochs is 1, which the section then says).

The tools are interleaved (RecScript, Keras, RecScript, Keras ...), medians of --repeats rounds
when every process of the first round took under --single-run-above seconds (30), else that
single round. A test row whose user or track the first --rows training rows never had is
scored by both with a zero embedding (Keras: a reserved index whose vector is zero and gets no
gradient); the section gives their count.

Until the repl has ``fit neural`` (``help fit neural`` fails), the RecScript side cannot run:
the script stops with a message, or with --peer-only measures Keras alone and says so in the
section (bench/bench.py does that by itself).

Usage: bench/neural.py [--data data/full.csv] [--work DIR] [--rows 800000] [--epochs 2]
       [--batches 128,1024] [--repeats 3] [--peer-only] [--render-only] [--out docs/benchmarks.md]
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "peers"))
from bench import ROOT, REPL, cpu_model, median, fmt_seconds  # noqa: E402
from recommenders import (run_recscript, run_python, interleaved, cpu_seconds, ensure_split,  # noqa: E402
                          repl_digest, wait_for_repl, THREADS)

HEADING = "## Neural recommender"
ROWS = 800_000
EPOCHS = 2
BATCHES = [128, 1024]
# The settings of the original script, in RecScript's names.
NEURAL = "embed=10 hidden=[400, 100] dropout=0.5 batchnorm=true optimizer=sgd lr=0.08 momentum=0.9"
SEED = 1
EMBED = 10
# fit neural learns from the user and item columns and the label only.
SCHEMA = "user=user_id item=media_id label=is_listened"
# Pointwise metrics only: ranking metrics would score every track for every user through the
# network. The same four are computed on the Keras side from its predictions.
METRICS = ["auc", "accuracy", "precision", "recall", "logloss"]
# The history columns that can hold an epoch's seconds, as `m.history` may name it.
SECONDS_COLUMNS = ("seconds", "time", "time (s)", "wall seconds")
# The targets this section prints against.
TARGET_TIME_SHARE = 0.5
# Measured on this machine before the harness existed (the issue that asked for fit neural):
# Keras 3 on JAX, 800k rows, seconds per epoch at batch 128 and 1024, test AUC after one epoch.
ISSUE_REFERENCE = {"rows": 800_000, 128: 18.9, 1024: 9.4, "auc_1_epoch": 0.703}


def log(msg):
    print(f"[neural] {msg}", flush=True)


def available():
    """Whether this build's repl has `fit neural` (`help fit neural` succeeds)."""
    wait_for_repl()
    proc = subprocess.run([REPL, "-c", "help fit neural"], capture_output=True, text=True)
    return proc.returncode == 0


ABSENT = "this repl has no 'fit neural' ({repl}: 'help fit neural' fails)"


def fit_statement(batch, epochs):
    return f"m = fit neural on train {NEURAL} epochs={epochs} batch={batch} validation=0 seed={SEED}"


def statements(work, rows, batch, epochs):
    """The RecScript script of one batch size: the first `rows` training rows (the .rsf holds the
    rows of train.csv in the same order), every test row."""
    return [f'train = load "{os.path.join(work, "train.rsf")}" rows={rows}',
            f'test = load "{os.path.join(work, "test.rsf")}"',
            f"schema train {SCHEMA}",
            f"schema test {SCHEMA}",
            fit_statement(batch, epochs),
            "m.history",
            f"evaluate m on test metrics=[{', '.join(METRICS)}]"]


def tables(run, statement):
    """Every table a statement printed (`repl --format json`: one object a line; a statement may
    print several, e.g. evaluate's metrics and its confusion matrix)."""
    out = []
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            obj = json.loads(line)
            if obj.get("statement") == statement and obj.get("type") == "table":
                out.append(obj)
    return out


def history(run, statement, epochs):
    """[{column: value}] of the `m.history` table, one per epoch, and the per-epoch seconds."""
    found = tables(run, statement)
    if not found:
        sys.exit(f"RecScript: '{statement}' printed no table\n{run.stdout[-2000:]}")
    obj = found[0]
    cols = [str(c).lower() for c in obj.get("columns") or []]
    sec = next((cols.index(c) for c in SECONDS_COLUMNS if c in cols), None)
    if sec is None:
        sys.exit(f"RecScript: the '{statement}' table has no seconds column (columns: {', '.join(cols)}; "
                 f"expected one of {', '.join(SECONDS_COLUMNS)})")
    rows = [dict(zip(cols, r)) for r in obj["rows"]]
    if len(rows) != epochs or obj.get("rows_omitted_before") or obj.get("rows_omitted"):
        sys.exit(f"RecScript: '{statement}' printed {len(rows)} rows for {epochs} epochs")
    return rows, [float(r[cols[sec]]) for r in rows]


def metric_values(run, statement):
    """{metric: value} and the notes of evaluate's metric table."""
    found = [t for t in tables(run, statement) if [str(c).lower() for c in t.get("columns") or []] == ["metric", "value"]]
    if not found:
        sys.exit(f"RecScript: '{statement}' printed no metric table\n{run.stdout[-2000:]}")
    return {row[0]: row[1] for row in found[0]["rows"]}, found[0].get("notes") or []


def steady(seconds):
    """Seconds per epoch: the mean of epochs 2.. (epoch 1 holds Keras's XLA compile), or epoch 1
    when there is no other."""
    later = seconds[1:]
    return sum(later) / len(later) if later else seconds[0]


def bench_batch(work, rows, batch, epochs, repeats, single_above, peer_only):
    fit = fit_statement(batch, epochs)
    stmts = statements(work, rows, batch, epochs)
    peer_args = ["--train", os.path.join(work, "train.csv"), "--test", os.path.join(work, "test.csv"),
                 "--rows", str(rows), "--batch", str(batch), "--epochs", str(epochs),
                 "--embed", str(EMBED), "--seed", str(SEED), "--epoch-test-auc"]

    def rec():
        return run_recscript(work, f"neural-b{batch}", stmts)

    def peer():
        return run_python("keras_neural.py", peer_args, f"keras_neural.py --batch {batch}")
    steps = [peer] if peer_only else [rec, peer]
    rounds = interleaved(steps, repeats, single_above)
    peers = [r[-1].json for r in rounds]
    out = {"batch": batch, "epochs": epochs, "runs": len(rounds), "statements": stmts, "fit": fit,
           "keras": peers[0],
           "keras_epoch": [median([p["epoch_seconds"][e] for p in peers]) for e in range(epochs)],
           "keras_cpu": [median([p["epoch_cpu_seconds"][e] for p in peers]) for e in range(epochs)],
           "keras_auc": peers[0]["test_auc"],
           "keras_metrics": peers[0]["test_metrics"],
           "keras_peak": median([r[-1].peak for r in rounds])}
    out["keras_per_epoch"] = steady(out["keras_epoch"])
    if not peer_only:
        recs = [r[0] for r in rounds]
        hist = [history(r, "m.history", epochs) for r in recs]
        metrics, notes = metric_values(recs[0], stmts[-1])
        out.update({
            "rec_epoch": [median([h[1][e] for h in hist]) for e in range(epochs)],
            "rec_history": hist[0][0],
            "rec_fit": median([r.times[fit] for r in recs]),
            "rec_eval": median([r.times[stmts[-1]] for r in recs]),
            "rec_auc": metrics.get("auc"), "rec_metrics": metrics, "rec_notes": notes,
            "rec_peak": median([r.peak for r in recs])})
        out["rec_per_epoch"] = steady(out["rec_epoch"])
    return out


def section(data, work=None, repeats=3, single_above=30.0, rows=ROWS, epochs=EPOCHS, batches=None,
            peer_only=False):
    """Runs the comparison at each batch size and returns the lines of the section."""
    batches = batches or BATCHES
    has_neural = available()
    if not peer_only and not has_neural:
        sys.exit(ABSENT.format(repl=REPL) + "; build one that has it (swift build -c release --product repl), "
                 "or run with --peer-only to measure Keras alone")
    t_start = time.perf_counter()
    load0, cpu0 = os.getloadavg(), cpu_seconds()
    digest0 = repl_digest()
    data = os.path.abspath(data)
    stem = os.path.splitext(os.path.basename(data))[0]
    if work is None:
        work = os.path.join(os.path.dirname(data), "bench" if stem == "full" else f"bench-{stem}")
    os.makedirs(work, exist_ok=True)
    ensure_split(data, work)
    R = []
    for batch in batches:
        log(f"batch {batch}: " + ("Keras only (--peer-only)" if peer_only else "RecScript and Keras")
            + f", {rows:,} rows, {epochs} epochs")
        r = bench_batch(work, rows, batch, epochs, repeats, single_above, peer_only)
        log(f"  Keras {r['keras_per_epoch']:.2f} s/epoch (epoch 1 {r['keras_epoch'][0]:.2f} s), "
            f"AUC {r['keras_auc']:.4f}"
            + ("" if peer_only else f"; RecScript {r['rec_per_epoch']:.2f} s/epoch, AUC {num(r['rec_auc'])}"))
        R.append(r)
    elapsed = time.perf_counter() - t_start
    load1, cpu1 = os.getloadavg(), cpu_seconds()
    other = max((cpu1[0] - cpu0[0]) - (cpu1[1] - cpu0[1]), 0.0)
    machine = (load0, load1, digest0, repl_digest(), other, elapsed)
    version = subprocess.run([REPL, "--version"], capture_output=True, text=True).stdout.strip()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    run = {"data": data, "results": R, "rows": rows, "epochs": epochs, "repeats": repeats, "peer_only": peer_only,
           "has_neural": has_neural, "machine": machine, "repl": version, "measured": now}
    with open(os.path.join(work, "neural.json"), "w") as f:
        json.dump(run, f, indent=1, default=str)
    log("raw results in " + os.path.join(work, "neural.json"))
    return render(**run)


def rerender(work):
    """The section from the raw results of the last run (WORK/neural.json), measuring nothing."""
    path = os.path.join(work, "neural.json")
    try:
        with open(path) as f:
            run = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"{path}: cannot read the last run's results ({e}); run without --render-only first")
    return render(**run)


def dense_flops(embed=EMBED, hidden=(400, 100)):
    """Floating-point operations of the dense layers per training row: each layer's multiply-adds
    (inputs x outputs) once forward and twice backward (the gradients of its inputs and of its
    weights), two operations each. The embeddings' lookups and updates, the normalisation and
    the activations are left out (they are linear in the layer widths, not in their products)."""
    widths = [2 * embed] + list(hidden) + [1]
    return 2 * 3 * sum(a * b for a, b in zip(widths, widths[1:]))


def fmt_s(x):
    return fmt_seconds(x)


def num(x, digits=4):
    return "—" if x is None else f"{x:.{digits}f}"


def runs_note(n, repeats):
    return f"median of {n} runs" if n > 1 else ("single run" if repeats <= 1 else
                                                 f"single run: a process took over the limit for {repeats} runs")


def render(data, results, rows, epochs, repeats, peer_only, has_neural, machine, repl, measured):
    R, version, now = results, repl, measured
    k = R[0]["keras"]
    v = k["versions"]
    per = "epochs 2–%d" % epochs if epochs > 2 else ("epoch 2" if epochs == 2 else "epoch 1, XLA compile included")
    L = [HEADING, "",
         f"Measured {now} by `make bench` on {platform.machine()} Linux with {THREADS} cores ({cpu_model()}), on "
         f"the first {k['train_rows']:,} rows of the recommenders' training split of `{os.path.relpath(data, ROOT)}` "
         f"({k['users']:,} users, {k['tracks']:,} tracks"
         + (f"; --rows asked for {rows:,}, the split has no more" if k["train_rows"] < rows else "")
         + f"), every one of its {k['test_rows']:,} test rows scored. "
         f"{version or 'RecScript'}; Keras {v['keras']} on JAX {v['jax']} (backend {v['backend']}, CPU), "
         f"scikit-learn {v['scikit-learn']}, numpy {v['numpy']}, Python {v['python']}."
         + (f" **Run with --repeats {repeats}: every figure is a single run.**" if repeats <= 1 else ""), "",
         "The original analysis's network (keras_deepLearning.py): user and track embeddings of size 10, "
         "concatenated, Dense(400) + ReLU + Dropout(0.5), Dense(100) + batch normalisation, Dense(1) + sigmoid; "
         "binary cross-entropy, SGD with learning rate 0.08 and momentum 0.9, shuffled mini-batches, no validation, "
         f"{epochs} epoch{'s' if epochs != 1 else ''}. Each tool runs as its own process and uses every core. "
         "RecScript's epoch times are its own (`m.history`); Keras's are `time.perf_counter` around each epoch "
         "(a callback; bench/peers/keras_neural.py). Keras's first epoch includes XLA's compilation of the "
         f"training step, so seconds per epoch are of {per}. The test AUC is RecScript's `evaluate` and "
         "scikit-learn's `roc_auc_score` of Keras's `model.predict`. A test row whose user or track these "
         "training rows never had is scored by both with a zero embedding (Keras: a reserved index whose vector "
         f"is zero and never updated): {k['test_unseen_user']:,} rows have an unseen user, "
         f"{k['test_unseen_track']:,} an unseen track, {k['test_unseen_either']:,} either "
         f"({100 * k['test_unseen_either'] / k['test_rows']:.1f}%).", ""]
    if peer_only:
        why = "--peer-only" if has_neural else f"{version or 'this repl'} has no `fit neural` yet"
        L += [f"**RecScript's side was not measured** ({why}); its columns are empty.", ""]
    L += ["| batch | s/epoch RecScript | s/epoch Keras | RecScript / Keras | epoch 1 RecScript / Keras | "
          f"test AUC after {epochs} epoch{'s' if epochs != 1 else ''} RecScript | Keras | difference | "
          "peak MB RecScript / Keras | runs |",
          "|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"]
    for r in R:
        rec = r.get("rec_per_epoch")
        share = "—" if rec is None else f"{rec / r['keras_per_epoch']:.2f}×"
        auc_d = "—" if r.get("rec_auc") is None else f"{r['rec_auc'] - r['keras_auc']:+.4f}"
        rec_e1 = fmt_s(r["rec_epoch"][0]) if "rec_epoch" in r else "—"
        peak = ("—" if "rec_peak" not in r else f"{r['rec_peak']:.0f}") + f" / {r['keras_peak']:.0f}"
        L.append(f"| {r['batch']} | {fmt_s(rec)} | {fmt_s(r['keras_per_epoch'])} | {share} | "
                 f"{rec_e1} / {fmt_s(r['keras_epoch'][0])} | {num(r.get('rec_auc'))} | {num(r['keras_auc'])} | "
                 f"{auc_d} | {peak} | {runs_note(r['runs'], repeats)} |")
    L.append("")
    L += ["Keras's test AUC after each epoch (predicted between epochs, outside the epoch times): "
          + "; ".join(f"batch {r['batch']}: " + ", ".join(num(a) for a in r["keras"]["epoch_test_auc"])
                      for r in R) + ". Keras's epochs in wall seconds / the CPU-seconds its process used "
          f"meanwhile (all its threads; equal figures mean one core busy on average, of {THREADS}): "
          + "; ".join(f"batch {r['batch']}: " + ", ".join(f"{w:.1f} / {c:.1f}" for w, c in zip(r["keras_epoch"], r["keras_cpu"]))
                      for r in R) + ". "
          f"For reference, the issue measured Keras on this machine at {ISSUE_REFERENCE[128]} s per epoch at batch "
          f"128 and {ISSUE_REFERENCE[1024]} s at batch 1024 on {ISSUE_REFERENCE['rows']:,} rows, and a test AUC of "
          f"{ISSUE_REFERENCE['auc_1_epoch']} after one epoch"
          + ("" if rows != ISSUE_REFERENCE["rows"] else
             "; here Keras's time per epoch was " + " and ".join(
                 f"{r['keras_per_epoch'] / ISSUE_REFERENCE[r['batch']]:.2f}× the issue's at batch {r['batch']}"
                 for r in R if r["batch"] in ISSUE_REFERENCE))
          + ".", ""]
    flops = dense_flops() * k["train_rows"]
    L += [f"The dense layers alone are {flops / 1e9:.0f} billion floating-point operations an epoch ({dense_flops():,} "
          "a row: each layer's multiply-adds once forward and twice backward), the same at every batch size; at the "
          "times per epoch above that is "
          + "; ".join(f"batch {r['batch']}: " + ("" if "rec_per_epoch" not in r else
                                                  f"RecScript {flops / r['rec_per_epoch'] / 1e9:.1f} GFLOP/s, ")
                      + f"Keras {flops / r['keras_per_epoch'] / 1e9:.1f} GFLOP/s" for r in R) + ".", ""]
    if not peer_only:
        L += ["| batch | tool | " + " | ".join(METRICS) + " |", "|---:|---|" + "---:|" * len(METRICS)]
        for r in R:
            L.append(f"| {r['batch']} | RecScript | " + " | ".join(num(r["rec_metrics"].get(m)) for m in METRICS) + " |")
            L.append(f"| {r['batch']} | Keras | " + " | ".join(num(r["keras_metrics"].get(m)) for m in METRICS) + " |")
        L += ["", "RecScript's whole `fit` statement (`repl --timer`: numbering the ids, every epoch) and "
              "Keras's `model.fit` (epoch 1's compile included): "
              + "; ".join(f"batch {r['batch']}: {fmt_s(r['rec_fit'])} and {fmt_s(r['keras']['fit_seconds'])}"
                          for r in R) + ". Scoring the test rows: RecScript's `evaluate` (the metrics above) and "
              "Keras's `model.predict` (scikit-learn's metrics after it not included): "
              + "; ".join(f"batch {r['batch']}: {fmt_s(r['rec_eval'])} and {fmt_s(r['keras']['predict_seconds'])}"
                          for r in R) + "."
              + ("" if not R[0]["rec_notes"] else
                 " RecScript's evaluate notes: " + " ".join(f"“{n}”" for n in R[0]["rec_notes"])), ""]
        others = [str(r["batch"]) for r in R[1:]]
        L += [f"RecScript's statements at batch {R[0]['batch']}"
              + (f" (at {', '.join(others)} only batch= differs):" if others else ":"), "", "```"]
        L += [x.replace(ROOT + os.sep, "") for x in R[0]["statements"]] + ["```", ""]
    t = []
    for r in R:
        if peer_only:
            t.append(f"* batch {r['batch']}: time per epoch at most {TARGET_TIME_SHARE}× Keras's "
                     f"({fmt_s(r['keras_per_epoch'])}), AUC no worse than Keras's ({num(r['keras_auc'])}): "
                     "**not measured**.")
            continue
        ok_t = r["rec_per_epoch"] <= TARGET_TIME_SHARE * r["keras_per_epoch"]
        ok_a = r["rec_auc"] is not None and r["rec_auc"] >= r["keras_auc"]
        t.append(f"* batch {r['batch']}: time per epoch at most {TARGET_TIME_SHARE}× Keras's: "
                 f"**{'met' if ok_t else 'not met'}** ({fmt_s(r['rec_per_epoch'])} vs {fmt_s(r['keras_per_epoch'])}, "
                 f"{r['rec_per_epoch'] / r['keras_per_epoch']:.2f}×); test AUC no worse than Keras's: "
                 f"**{'met' if ok_a else 'not met'}** ({num(r['rec_auc'])} vs {num(r['keras_auc'])}).")
    L += ["### Targets", ""] + t + [""]
    load0, load1, d0, d1, other, el = machine
    L += [f"Measuring this section took {el / 60:.1f} min of wall time; the 1-minute load average was "
          f"{load0[0]:.2f} when it started and {load1[0]:.2f} when it ended ({THREADS} cores); processes other "
          f"than the benchmark's used {other:.0f} CPU-seconds meanwhile ({100 * other / (el * THREADS):.0f}% of "
          "the machine)."
          + ("" if d0 == d1 else f" **The repl binary changed during the run** ({d0}… before, {d1}… after)."), ""]
    return L


def replace_section(path, lines):
    """Replaces (or appends) the "## Neural recommender" section of the Markdown file at path, up to
    the next "## " heading; the rest of the file is kept as it is."""
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
    parser.add_argument("--work", default=None, help="the recommenders' split directory (default: data/bench)")
    parser.add_argument("--rows", type=int, default=ROWS, help="first N training rows (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batches", default=",".join(map(str, BATCHES)), help="comma-separated batch sizes")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--single-run-above", type=float, default=30.0)
    parser.add_argument("--peer-only", action="store_true", help="measure Keras alone (a repl without fit neural)")
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite the section from the last run's results (WORK/neural.json), measuring nothing")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    args = parser.parse_args()
    if args.render_only:
        replace_section(args.out, rerender(args.work or os.path.join(ROOT, "data", "bench")))
        print(f"wrote the neural recommender section of {os.path.relpath(args.out, ROOT)} from the last run")
        return
    try:
        batches = [int(b) for b in args.batches.split(",")]
    except ValueError:
        parser.error(f"--batches: expected comma-separated integers, got '{args.batches}'")
    if args.rows < 1 or args.epochs < 1 or any(b < 1 for b in batches) or args.repeats < 1:
        parser.error("--rows, --epochs, --repeats and every batch size must be at least 1")
    lines = section(args.data, args.work, args.repeats, args.single_run_above, args.rows, args.epochs, batches,
                    args.peer_only)
    replace_section(args.out, lines)
    print(f"wrote the neural recommender section of {os.path.relpath(args.out, ROOT)}")


if __name__ == "__main__":
    main()
