#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""report.py OUTDIR: the markdown report of tests/bench/run.sh.

OUTDIR holds what run.sh left: rows.tsv (one line per timed command: N, P,
group, name, role, peer, peak RSS in KiB), N-P-GROUP-ROUND.json from
hyperfine, notes and machine. The times of one command are pooled over the
rounds before the median is taken. With run.sh --baseline, the rows of the
other build (role baseline, named "NAME (baseline)") are left out of the
tables and give each ipcx row a "× baseline" column instead.
"""
import glob
import json
import os
import re
import statistics
import sys
from collections import defaultdict

# What finding the processes adds to a listing: the difference of two rows
RESOLUTION = "resolution: (list -o +PIDS) − (list)"
BASELINE = " (baseline)"
DERIVED = [(RESOLUTION, "ipcx list -o +PIDS", "ipcx list"),
           (RESOLUTION + BASELINE, "ipcx list -o +PIDS" + BASELINE, "ipcx list" + BASELINE)]

# (what, ipcx row, row it is compared with, at most this ratio, by)
TARGETS = [
    ("`ipcx list sysv` ≤ 1.0× cat floor", "ipcx list sysv", "floor:sysv", 1.0, "time"),
    ("`--json` ≤ 1.0× floor", "ipcx list sysv --json", "floor:sysv", 1.0, "time"),
    ("`ipcx list posix` ≤ 1.2× `ls -l`", "ipcx list posix", "floor:posix", 1.2, "time"),
    ("`ipcx list -o +PIDS` ≤ 1.0× maps floor", "ipcx list -o +PIDS", "floor:procs", 1.0, "time"),
    ("resolution cost ≤ 1.0× maps floor", RESOLUTION, "floor:procs", 1.0, "time"),
    ("`ipcx rm --all shm` ≤ 0.8× `ipcrm --all=shm`", "ipcx rm --all shm", "ipcrm --all=shm", 0.8, "time"),
    ("RSS `ipcx list shm --json` ≤ 0.5× `lsipc -m --json`",
     "ipcx list shm --json", "lsipc -m --json", 0.5, "rss"),
]


def load_times(out):
    """{(n, p, group, name): [seconds...]} pooled over the rounds"""
    times = defaultdict(list)
    for path in glob.glob(os.path.join(out, "*.json")):
        m = re.match(r"(\d+)-(\d+)-(\w+)-\d+\.json$", os.path.basename(path))
        if not m:
            continue
        n, p, group = int(m[1]), int(m[2]), m[3]
        with open(path) as f:
            for res in json.load(f)["results"]:
                times[(n, p, group, res["command"])] += res["times"]
    return times


def load_rows(out):
    """rows in the order run.sh timed them: dicts with their median ms"""
    times = load_times(out)
    rows = []
    path = os.path.join(out, "rows.tsv")
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            n, p, group, name, role, peer, rss = line.rstrip("\n").split("\t")
            key = (int(n), int(p), group, name)
            if not times.get(key):
                continue
            rows.append(dict(n=key[0], p=key[1], group=group, name=name,
                             role=role, peer=peer,
                             ms=statistics.median(times[key]) * 1000,
                             rss=int(rss) / 1024 if rss else None))
    return rows


def add_derived(rows):
    """rows that are the difference of two timed rows of one N and P"""
    for name, plus, minus in DERIVED:
        for r in list(rows):
            if r["name"] != plus:
                continue
            base = next((b for b in rows if b["name"] == minus and
                         (b["n"], b["p"], b["group"]) == (r["n"], r["p"], r["group"])), None)
            if base:
                rows.append(dict(r, name=name, role="derived", peer="",
                                 ms=r["ms"] - base["ms"], rss=None))
    return rows


def fmt(v, digits=2, suffix=""):
    return "" if v is None else f"{v:.{digits}f}{suffix}"


def ratio(a, b):
    return a / b if a is not None and b else None


def section(rows, notes):
    by_name = {r["name"]: r for r in rows}
    floors = {r["group"]: r for r in rows if r["role"] == "floor"}
    baseline = any(r["name"].endswith(BASELINE) for r in rows)
    print("| group | command | median ms | × peer | × floor | peak RSS MiB |"
          + (" × baseline |" if baseline else ""))
    print("|---|---|--:|--:|--:|--:|" + ("--:|" if baseline else ""))
    for r in rows:
        if r["name"].endswith(BASELINE):
            continue
        peer = by_name.get(r["peer"])
        floor = floors.get(r["group"])
        vs_peer = ratio(r["ms"], peer and peer["ms"])
        vs_floor = None if r["role"] == "floor" else ratio(r["ms"], floor and floor["ms"])
        print(f"| {r['group']} | `{r['name']}` | {r['ms']:.2f} | "
              f"{fmt(vs_peer, suffix='×')}{' `' + r['peer'] + '`' if vs_peer else ''} | "
              f"{'floor' if r['role'] == 'floor' else fmt(vs_floor, suffix='×')} | "
              f"{fmt(r['rss'], 1)} |" + (f" {vs_baseline(r, by_name)} |" if baseline else ""))
    print()
    print("Targets: " + "; ".join(target(by_name, floors, t) for t in TARGETS) + ".")
    for line in notes:
        print(f"- note: {line}")
    print()


def vs_baseline(r, by_name):
    """this build's time over the baseline's (its ms in parentheses), peak RSS likewise"""
    other = by_name.get(r["name"] + BASELINE)
    if not other:
        return ""
    text = f"{fmt(ratio(r['ms'], other['ms']), suffix='×')} ({other['ms']:.2f})"
    rss = ratio(r["rss"], other["rss"])
    return text + (f", RSS {rss:.2f}×" if rss else "")


def target(by_name, floors, t):
    what, name, other, limit, by = t
    mine = by_name.get(name)
    theirs = floors.get(other[6:]) if other.startswith("floor:") else by_name.get(other)
    key = "ms" if by == "time" else "rss"
    r = ratio(mine and mine[key], theirs and theirs[key])
    if r is None:
        return f"{what}: n/a"
    return f"{what}: **{'met' if r <= limit else 'missed'}** ({r:.2f}×)"


def growth(rows):
    """ms per 1000 System V objects (3 N) of ipcx list sysv and its floor"""
    cells = {}
    for r in rows:
        if r["group"] == "sysv" and r["role"] in ("floor", "ipcx") and r["name"] != "ipcx list sysv --json":
            cells[(r["p"], r["n"], r["role"])] = r["ms"] / (3 * r["n"] / 1000)
    sizes = sorted({k[1] for k in cells})
    if len(sizes) < 2:
        return
    print("### Growth: ms per 1000 System V objects (3×N), `ipcx list sysv` (cat floor)")
    print()
    print("| P | " + " | ".join(f"N={n}" for n in sizes) + " |")
    print("|--:|" + "--:|" * len(sizes))
    for p in sorted({k[0] for k in cells}):
        print(f"| {p} | " + " | ".join(
            f"{fmt(cells.get((p, n, 'ipcx')), 3)} ({fmt(cells.get((p, n, 'floor')), 3)})"
            for n in sizes) + " |")
    print()


def read_lines(out, name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def main():
    out = sys.argv[1]
    rows = add_derived(load_rows(out))
    notes = read_lines(out, "notes")
    print("## ipcx benchmark")
    print()
    for line in read_lines(out, "machine"):
        print(f"{line}  ")
    print()
    done = set()
    for n, p in sorted({(r["n"], r["p"]) for r in rows}):
        print(f"### N={n} objects of each kind, P={p} helper processes")
        print()
        tag = f"N={n} P={p}: "
        section([r for r in rows if (r["n"], r["p"]) == (n, p)],
                [l[len(tag):] for l in notes if l.startswith(tag)])
        done.add(tag)
    growth(rows)
    # notes of no table: a whole N and P that failed, or none at all
    for line in notes:
        if line[:line.find(": ") + 2] not in done:
            print(f"- note: {line}")


if __name__ == "__main__":
    main()
