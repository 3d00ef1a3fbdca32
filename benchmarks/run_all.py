"""``make bench``: run the benchmark scripts of this folder and write docs/benchmarks.md.

    .venv/bin/python benchmarks/run_all.py [--output docs/benchmarks.md] [--repeat 7]

Each script runs as its own process on its own throw-away database (they make them), one after
the other. The document says which machine and when, then gives every figure: the figures
catalogue as a table of medians with their spread (minimum to maximum), the other scripts' own
printed figures as they printed them. A figure measured on a machine shared with other work is
slower and noisier than on a quiet one: the load average at the start is recorded for that."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess  # nosec B404: runs this folder's own scripts
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# (title, script and arguments): the scripts that need nothing but a PostgreSQL server (the annual
# report's loads the demo county into its own database). The dashboards' benchmark needs the demo
# county loaded and is run by hand (see its docstring).
SCRIPTS = [
    ("SSDA903 import and export, county size", ["bench_903.py", "--size", "county"]),
    ("CIN census import and export", ["bench_cin_census.py"]),
    ("Kernel: access log and child lists", ["bench_kernel.py"]),
    ("Annual report on the demo county", ["bench_annual_report.py", "--repeat", "2"]),
]


def _machine() -> list[str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    load = os.getloadavg()
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {memory} of memory, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        f"- Load average at the start: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} "
        f"(a load above the core count means other jobs shared the machine)",
    ]


def _run(arguments: list[str]) -> tuple[str, float, int]:
    started = time.monotonic()
    done = subprocess.run(  # nosec B603: a fixed list of this folder's scripts
        [sys.executable, str(HERE / arguments[0]), *arguments[1:]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    output = done.stdout + (f"\n{done.stderr}" if done.returncode else "")
    return output.strip(), time.monotonic() - started, done.returncode


def _figures_table(results: dict) -> list[str]:
    lines = [
        f"County preset: {results['children']:,} children over ten years; "
        f"{results['figures_in_catalogue']} figures in the catalogue. Milliseconds: median "
        "(minimum to maximum) of the runs.",
        "",
        "| period | what | median ms | spread ms | runs |",
        "| --- | --- | ---: | --- | ---: |",
    ]
    for period, found in results["periods"].items():
        for key, label in (
            ("whole_catalogue", "whole catalogue (every figure)"),
            ("headline_through_registry", "headline figures through the registry"),
            ("headline_by_hand_sql", "headline figures as hand-written SQL"),
        ):
            row = found[key]
            lines.append(
                f"| {period} | {label} | {row['median_ms']:,.1f} | {row['min_ms']:,.1f} to "
                f"{row['max_ms']:,.1f} | {row['runs']} |"
            )
    lines.append("")
    for period, found in results["periods"].items():
        agree = "agree" if not found["disagreements"] else f"DISAGREE: {found['disagreements']}"
        lines.append(
            f"- {period}: registry / hand-written SQL = **{found['ratio_registry_to_hand_sql']}x** "
            f"(medians of the same run); the values {agree}."
        )
    return lines


# What was measured by hand (the national load) stands below this line in the document, and
# make bench keeps it as it is.
BY_HAND = "<!-- Measured by hand: make bench keeps everything below this line. -->"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--repeat", type=int, default=7)
    arguments = parser.parse_args()

    lines = ["# Benchmarks", "", "Written by `make bench` (benchmarks/run_all.py).", "", *_machine(), ""]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        printed, seconds, code = _run(
            ["bench_figures.py", "--own-database", "--repeat", str(arguments.repeat), "--json", str(out)]
        )
        lines += ["## Figures catalogue against hand-written SQL (benchmarks/bench_figures.py)", ""]
        if code == 0:
            lines += _figures_table(json.loads(out.read_text()))
        else:
            lines += ["It failed:", "", "```", printed, "```"]
        lines += ["", f"Whole script, the county load included: {seconds:.0f} s.", ""]
    for title, script in SCRIPTS:
        printed, seconds, code = _run(script)
        lines += [f"## {title} (benchmarks/{' '.join(script)})", "", "```", printed, "```", ""]
        lines += [f"{'Failed' if code else 'Whole script'}: {seconds:.0f} s.", ""]
    output = Path(arguments.output)
    kept = ""
    if output.exists() and BY_HAND in output.read_text(encoding="utf-8"):
        kept = BY_HAND + output.read_text(encoding="utf-8").split(BY_HAND, 1)[1]
    output.write_text("\n".join(lines) + "\n" + kept, encoding="utf-8")
    print(f"Wrote {arguments.output}")


if __name__ == "__main__":
    main()
