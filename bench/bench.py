#!/usr/bin/env python3
"""RecScript's benchmark harness: times the same operations with RecScript, polars and pandas
on the same full-size listening log, in one run, and writes docs/benchmarks.md; then (unless
--no-recommenders) measures RecScript's recommenders beside implicit, scipy and Surprise on the
same log (bench/recommenders.py) and writes them as the file's "## Recommenders" section; then
(unless --no-classifiers) the classifiers and model search beside LightGBM and scikit-learn
(bench/classifiers.py), as its "## Classifiers" section; then (unless --no-neural) the neural
recommender beside Keras (bench/neural.py), as its "## Neural recommender" section, Keras alone
when the repl has no `fit neural` yet.

Each operation runs REPEATS times per tool, the tools interleaved (A B C A B C ...) so that a
machine getting slower or faster affects all of them alike; medians are reported, with ratios.
Operation times are measured inside each process (RecScript: its statement timer; Python:
time.perf_counter around the call), so loading the file is timed once as its own operation and
never counted in the others. Peak memory is the whole process's maximum resident set size
(getrusage of the finished child), for a process that loads the file and runs the operation.

Usage: bench/bench.py [--repeats K] [--data PATH] [--out docs/benchmarks.md]
                      [--probabilities DATA-p.csv] [--rec-work DIR] [--no-recommenders]
                      [--no-classifiers] [--no-neural]
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import tempfile
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPL = os.path.join(ROOT, ".build", "release", "repl")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")

# Marks the binary reload, which replaces the CSV load rather than following it.
BINARY = "<binary>"

# Each operation: RecScript statements run after `x = load DATA`, and the polars and pandas
# code run after loading `df`; both return or print something so nothing is optimised away.
OPERATIONS = [
    ("load (read the CSV)", None, None, None),
    ("describe with distinct counts", "describe x",
     "df.describe(); df.select(pl.all().n_unique())",
     "df.describe(); df.nunique()"),
    ("group by user_id: mean and count", "g = group x by user_id agg [mean(is_listened), count()]",
     "df.group_by('user_id').agg(pl.col('is_listened').mean(), pl.len())",
     "df.groupby('user_id')['is_listened'].agg(['mean', 'count'])"),
    ("corr (Pearson, all columns)", "c = corr x",
     "df.corr()",
     "df.corr()"),
    ("profile (implicit-feedback summary)", "schema x user=user_id item=media_id label=is_listened; p = profile x",
     None, None),
    # Reloading the log from each tool's own fast binary file: RecScript's frame file (.rsf),
    # polars' Arrow IPC file, pandas' pickle (pandas' binary formats beyond pickle need pyarrow).
    ("reload from the binary file (.rsf / Arrow IPC / pickle)", BINARY, BINARY, BINARY),
]

RECSCRIPT_TIMING = re.compile(r"^\((\d+(?:\.\d+)?) (s|ms)\)$")


def run_measured(command):
    """Runs `command`; returns its exit code, stdout, stderr and peak resident set in MB, from
    the rusage of that one child (wait4), not the maximum over all children so far."""
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), usage.ru_maxrss / 1024


def run_recscript(data, statements):
    """Seconds of each statement after the load, and peak RSS in MB."""
    script = f'x = load "{data}"' + ("; " + statements if statements else "")
    returncode, stdout, stderr, peak = run_measured([REPL, "--timer", "-c", script])
    if returncode != 0:
        sys.exit(f"recscript failed: {stderr}")
    times = []
    for line in stderr.splitlines():
        m = RECSCRIPT_TIMING.match(line.strip())
        if m:
            value = float(m.group(1))
            times.append(value / 1000 if m.group(2) == "ms" else value)
    return times, peak


PY_TEMPLATE = textwrap.dedent("""
    import sys, time
    import {module} as {alias}
    {extra}
    t0 = time.perf_counter()
    df = {reader}
    t1 = time.perf_counter()
    {op}
    t2 = time.perf_counter()
    print(t1 - t0, t2 - t1)
""")


def binary_paths(data):
    """The three binary copies of the log, made once: RecScript's .rsf, Arrow IPC, pickle."""
    stem = os.path.splitext(data)[0]
    paths = {"recscript": stem + ".rsf", "polars": stem + ".arrow", "pandas": stem + ".pkl"}
    if not os.path.exists(paths["recscript"]):
        subprocess.run([REPL, "-c", f'x = load "{data}"; save x "{paths["recscript"]}"'], check=True,
                       stdout=subprocess.DEVNULL)
    if not os.path.exists(paths["polars"]):
        subprocess.run([PYTHON, "-c", f"import polars as pl; pl.read_csv('{data}').write_ipc('{paths['polars']}')"], check=True)
    if not os.path.exists(paths["pandas"]):
        subprocess.run([PYTHON, "-c", f"import pandas as pd; pd.read_csv('{data}').to_pickle('{paths['pandas']}')"], check=True)
    return paths


def run_python(tool, data, op, reader=None):
    if tool == "polars":
        code = PY_TEMPLATE.format(module="polars", alias="pl", extra="", reader=reader or f"pl.read_csv('{data}')",
                                  op=op or "pass")
    else:
        code = PY_TEMPLATE.format(module="pandas", alias="pd", extra="", reader=reader or f"pd.read_csv('{data}')",
                                  op=op or "pass")
    returncode, stdout, stderr, peak = run_measured([PYTHON, "-c", code])
    if returncode != 0:
        sys.exit(f"{tool} failed: {stderr}")
    load, op_time = map(float, stdout.split())
    return load, op_time, peak


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_seconds(x):
    return "—" if x is None else (f"{x:.2f} s" if x >= 0.1 else f"{x * 1000:.0f} ms")


def fmt_ratio(a, b):
    return "—" if a is None or b is None or a == 0 else f"{b / a:.1f}×"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(ROOT, "data", "full.csv"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    parser.add_argument("--probabilities", default=None,
                        help="the generator's true probabilities of DATA (default: DATA's stem + '-p.csv')")
    parser.add_argument("--rec-work", default=None,
                        help="directory of the recommenders' shared split and files (see bench/recommenders.py)")
    parser.add_argument("--no-recommenders", action="store_true", help="no recommender section")
    parser.add_argument("--no-classifiers", action="store_true", help="no classifier section")
    parser.add_argument("--no-neural", action="store_true", help="no neural recommender section")
    args = parser.parse_args()
    rows = sum(1 for _ in open(args.data, "rb")) - 1

    results = []
    for name, rec, pol, pan in OPERATIONS:
        rec_times, pol_times, pan_times = [], [], []
        rec_mem, pol_mem, pan_mem = [], [], []
        for _ in range(args.repeats):
            if rec == BINARY:
                paths = binary_paths(args.data)
                times, mem = run_recscript(paths["recscript"], None)
                rec_times.append(times[0])
                rec_mem.append(mem)
                load, _, mem = run_python("polars", args.data, None, reader=f"pl.read_ipc('{paths['polars']}')")
                pol_times.append(load)
                pol_mem.append(mem)
                load, _, mem = run_python("pandas", args.data, None, reader=f"pd.read_pickle('{paths['pandas']}')")
                pan_times.append(load)
                pan_mem.append(mem)
                continue
            times, mem = run_recscript(args.data, rec)
            rec_times.append(times[0] if rec is None else sum(times[1:]))
            rec_mem.append(mem)
            if rec is None or pol is not None:
                load, op, mem = run_python("polars", args.data, pol)
                pol_times.append(load if rec is None else op)
                pol_mem.append(mem)
            if rec is None or pan is not None:
                load, op, mem = run_python("pandas", args.data, pan)
                pan_times.append(load if rec is None else op)
                pan_mem.append(mem)
        r, p, d = median(rec_times), median(pol_times), median(pan_times)
        results.append((name, r, p, d, median(rec_mem), median(pol_mem), median(pan_mem)))
        print(f"{name}: recscript {fmt_seconds(r)}, polars {fmt_seconds(p)}, pandas {fmt_seconds(d)}", flush=True)

    cores = os.cpu_count()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    import polars, pandas
    lines = [
        "# Benchmarks",
        "",
        f"Measured {now} by `make bench` on {platform.machine()} Linux with {cores} cores "
        f"({cpu_model()}), on the generated full-size log "
        f"(`{os.path.relpath(args.data, ROOT)}`, {rows:,} rows × 15 columns). "
        f"Polars {polars.__version__}, pandas {pandas.__version__}, Python {platform.python_version()}.",
        "",
        f"Medians of {args.repeats} runs per tool, interleaved. Times are of the operation alone, inside the "
        "process (the load is its own row). Peak memory is the whole process's maximum resident set "
        "(load plus operation). A ratio above 1× means RecScript is that many times faster.",
        "",
        "| operation | RecScript | polars | pandas | vs polars | vs pandas | peak MB RecScript / polars / pandas |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r, p, d, rm, pm, dm in results:
        mem = " / ".join("—" if m is None else f"{m:.0f}" for m in (rm, pm, dm))
        lines.append(f"| {name} | {fmt_seconds(r)} | {fmt_seconds(p)} | {fmt_seconds(d)} | "
                     f"{fmt_ratio(r, p)} | {fmt_ratio(r, d)} | {mem} |")
    lines.append("")
    write(args.out, lines)
    print(f"wrote {os.path.relpath(args.out, ROOT)}", flush=True)

    if not args.no_recommenders:
        import recommenders
        lines += recommenders.section(args.data, args.probabilities, args.rec_work, args.repeats)
        write(args.out, lines)
        print(f"wrote the recommender section of {os.path.relpath(args.out, ROOT)}")

    if not args.no_classifiers:
        import classifiers
        lines += [""] + classifiers.section(args.data, args.probabilities, args.rec_work, args.repeats)
        write(args.out, lines)
        print(f"wrote the classifier section of {os.path.relpath(args.out, ROOT)}")

    if not args.no_neural:
        import neural
        peer_only = not neural.available()
        if peer_only:
            print(neural.ABSENT.format(repl=REPL) + ": the neural section measures Keras alone", flush=True)
        lines += [""] + neural.section(args.data, args.rec_work, args.repeats, peer_only=peer_only)
        write(args.out, lines)
        print(f"wrote the neural recommender section of {os.path.relpath(args.out, ROOT)}")


def write(path, lines):
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(lines))
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
