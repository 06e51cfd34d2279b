"""Benchmark: one ICB-sized night through `carelens load`, against a bare DuckDB read_csv.

Generates one daily ODE-1 package for each of 610 providers (about 0.6 million event rows;
shared/reference/figures.md "Scale"), then measures in the same run:

- the floor: DuckDB `read_csv` of the same CSV files into one table per entity, nothing else;
- end to end: `carelens load` in a fresh process into a new warehouse (contracts, references,
  versions, current state, great-expectations checks, Data Docs, atomic publish);

and prints rows per second, the ratio of the two times and the peak memory of the load.
Usage: python benchmarks/load.py [--providers N] [--repeat N] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb

from data_contracts.ode1 import entity_for_file
from pipelines.synthetic import generate_night

DAY = date(2026, 10, 14)


def _csv_files(inbox: Path) -> dict[str, list[str]]:
    files: dict[str, list[str]] = defaultdict(list)
    for path in sorted(inbox.rglob("*.csv")):
        entity = entity_for_file(path.name)
        if entity is not None and (path.parent / "manifest.json").exists():
            files[entity.name].append(str(path))
    return files


def bare_read(inbox: Path, workdir: Path) -> tuple[float, int]:
    """Seconds to read every package CSV into one DuckDB table per entity, and rows read."""
    target = workdir / "bare.duckdb"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(target))
    con.execute("set enable_progress_bar = false")
    rows = 0
    for entity, paths in _csv_files(inbox).items():
        # The floor: every file of an entity shares the header, so the reader is told the
        # columns instead of sniffing each of thousands of files (sniffing took 112 s).
        with open(paths[0], encoding="utf-8") as first:
            columns = dict.fromkeys(first.readline().strip().split(","), "VARCHAR")
        con.execute(
            f"create table {entity} as select * from read_csv($paths, header = true, "
            "auto_detect = false, columns = $columns, delim = ',', quote = '\"', "
            "escape = '\"')",
            {"paths": paths, "columns": columns},
        )
        rows += con.execute(f"select count(*) from {entity}").fetchall()[0][0]
    con.execute("checkpoint")
    con.close()
    return time.perf_counter() - started, rows


def full_load(inbox: Path, workdir: Path) -> tuple[float, int, int, str]:
    """Seconds for `carelens load` in a new process, peak RSS in KiB of the load process and
    of its checks worker, and the one-line summary."""
    warehouse = workdir / "warehouse" / "carelens.duckdb"
    for leftover in warehouse.parent.glob("*"):
        if leftover.is_file():
            leftover.unlink()
    env = {**os.environ, "CARELENS_PSEUDONYM_KEY": "benchmark-key-0123456789abcdef"}
    code = (
        "import resource, sys; from carelens.cli import main; sys.argv = sys.argv[1:];"
        "\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('peak_kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
    )
    command = [
        sys.executable,
        "-c",
        code,
        "carelens",
        "load",
        str(inbox),
        "--warehouse",
        str(warehouse),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    _, peak, worker_peak = next(
        line.split() for line in done.stderr.splitlines() if line.startswith("peak_kib")
    )
    return seconds, int(peak), int(worker_peak), done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=610)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carelens-bench-") as tmp:
        workdir = Path(tmp)
        inbox = workdir / "inbox"
        started = time.perf_counter()
        summary = generate_night(out_dir=inbox, seed=2026, providers=args.providers, day=DAY)
        generated = time.perf_counter() - started
        bare_times, load_times, peaks, worker_peaks = [], [], [], []
        rows, message = 0, ""
        for _ in range(args.repeat):
            seconds, rows = bare_read(inbox, workdir)
            bare_times.append(seconds)
            seconds, peak, worker_peak, message = full_load(inbox, workdir)
            load_times.append(seconds)
            peaks.append(peak)
            worker_peaks.append(worker_peak)
    bare, load = statistics.median(bare_times), statistics.median(load_times)
    result = {
        "providers": args.providers,
        "rows": rows,
        "generate_seconds": round(generated, 2),
        "bare_read_seconds": round(bare, 2),
        "load_seconds": round(load, 2),
        "ratio_load_to_bare_read": round(load / bare, 2),
        "rows_per_second_end_to_end": round(rows / load),
        "peak_memory_mib": round(max(peaks) / 1024),
        "peak_memory_checks_worker_mib": round(max(worker_peaks) / 1024),
        "repeats": args.repeat,
        "cpu_count": os.cpu_count(),
        "load_summary": message,
        "generator_summary": summary.describe(),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
