"""Measure booklet builds against the single pass and against Typst, in one run on one machine.

    python bench/run.py 300            # every scenario, a Markdown table on stdout
    python bench/run.py 1000 --rss     # only the cold build, for its peak memory

Each scenario runs `python -m booklet build` as a child process on a synthetic corpus from
bench/corpus.py, timed by wall clock; peak RSS is the largest sum over the process and its
workers, sampled every 20 ms. The scenarios run in --repeat rounds (3 by default), each round
all of them in order from the same corpus; a scenario's median time is reported, each target is
checked on the medians, and every round's own ratio is shown beside it.
Needs the `bench` extra for (g): pip install -e '.[bench]'.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes. Only the tree is read
    (each thread's children list): scanning all of /proc every 20 ms took a millisecond a time,
    CPU that a build keeping both cores busy pays for and a single-core build does not."""
    page = os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * page
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except (OSError, ValueError, IndexError):  # gone meanwhile
            continue
    return total


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall time and peak tree RSS of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{out.decode()}{err.decode()}")
    return elapsed, peak


def pdf_pages(path: Path) -> int:
    import pikepdf
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def booklet(folder: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "booklet", "build", "-p", str(folder), "-o", str(output), *extra]


def typst_command(folder: Path, output: Path) -> list[str]:
    """(g): the same parsed content compiled by Typst through a minimal template."""
    script = f"""
import json, sys, typst
sys.path.insert(0, {str(ROOT)!r})
from booklet.api import load, prepare
booklet = prepare(load({str(folder)!r}))
data = {{"title": booklet.config.title, "fields": [
    {{"title": f.title, "professions": [
        {{"title": p.title, "overview": list(p.overview), "fit_heading": p.fit_heading, "fit": list(p.fit),
          "reality": list(p.reality), "majors": list(p.majors), "employers": list(p.employers)}}
        for p in f.profiles]}} for f in booklet.fields]}}
work = {str(output.parent)!r}
open(work + "/booklet.json", "w").write(json.dumps(data))
open(work + "/booklet.typ", "w").write(open({str(ROOT / 'bench' / 'booklet.typ')!r}).read())
typst.compile(work + "/booklet.typ", output={str(output)!r}, font_paths=[{str(ROOT / 'fonts')!r}])
"""
    return [sys.executable, "-c", script]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="professions in the synthetic corpus")
    parser.add_argument("--rss", action="store_true", help="only the cold build, for its peak memory")
    parser.add_argument("--keep", type=Path, help="keep the corpus and outputs in this folder")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each scenario; the median time is reported (default 3)")
    args = parser.parse_args()

    # As an installed package would have it (pip compiles at install; an editable install does not).
    compileall.compile_dir(ROOT / "booklet", quiet=1)
    work = args.keep or Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    corpus = work / f"corpus-{args.n}"
    shutil.rmtree(corpus, ignore_errors=True)
    write_corpus(args.n, corpus)
    out = work / "out"
    out.mkdir(exist_ok=True)
    cache = corpus / ".booklet-cache"
    pristine = work / "pristine-source"
    shutil.rmtree(pristine, ignore_errors=True)
    shutil.copytree(corpus / "source", pristine)

    def cold(repetition):
        shutil.rmtree(cache, ignore_errors=True)

    def edit_one(repetition):
        # Each round edits one paragraph of another profile, near the middle of the booklet.
        sources = sorted((corpus / "source").rglob("*.txt"))
        edited = sources[len(sources) // 2 + repetition]
        text = edited.read_text(encoding="utf-8")
        first_paragraph = text.split("\n")[4]
        edited.write_text(text.replace(first_paragraph, first_paragraph + " Kalimat tambahan untuk uji.", 1),
                          encoding="utf-8")

    def add_one(repetition):
        # Each round adds one profile, in the middle of the alphabet ("Manajer ...").
        donor = sorted((corpus / "source").rglob("*.txt"))[0]
        text = donor.read_text(encoding="utf-8")
        title = f"Manajer Menengah Tambahan {repetition + 1}"
        (donor.parent / f"manajer-menengah-tambahan-{repetition + 1}.txt").write_text(
            text.replace(text.split("\n")[0], title, 1), encoding="utf-8")

    field = sorted(p.name for p in (corpus / "source").iterdir())[0]
    # (label, command, output, set-up before each run), in the order one round runs them.
    scenarios = [("(b) cold build", booklet(corpus, out / "b.pdf"), out / "b.pdf", cold)]
    if not args.rss:
        scenarios = [
            ("(a) single pass (baseline)", booklet(corpus, out / "a.pdf", "--single-pass"), out / "a.pdf", None),
            *scenarios,
            ("(c) no-change rebuild", booklet(corpus, out / "c.pdf"), out / "c.pdf", None),
            ("(d) one paragraph edited", booklet(corpus, out / "d.pdf"), out / "d.pdf", edit_one),
            ("(e) one profile added", booklet(corpus, out / "e.pdf"), out / "e.pdf", add_one),
            (f"(f) --only {field}, cold", booklet(corpus, out / "f.pdf", "--only", field), out / "f.pdf", cold),
        ]
        try:
            import typst  # noqa: F401
            scenarios.append(("(g) Typst, same content", typst_command(corpus, out / "g.pdf"), out / "g.pdf", None))
        except ImportError:
            print("(g) skipped: the typst package is not installed (pip install -e '.[bench]')", file=sys.stderr)

    # Rounds, not each scenario three times in a row: this machine's speed drifts by a tenth or
    # more within minutes, and a ratio is only fair between runs made close together. Each round
    # starts from the same corpus.
    times = {label: [] for label, *_ in scenarios}
    peaks = {label: [] for label, *_ in scenarios}
    for repetition in range(args.repeat):
        shutil.rmtree(corpus / "source")
        shutil.copytree(pristine, corpus / "source")
        for label, command, pdf, before in scenarios:
            if before:
                before(repetition)
            elapsed, peak = measure(command)
            times[label].append(elapsed)
            peaks[label].append(peak)
            print(f"round {repetition + 1} {label}: {elapsed:.2f} s, {peak / 2**20:.0f} MB", file=sys.stderr)
    rows = [{"scenario": label, "seconds": statistics.median(times[label]), "min": min(times[label]),
             "max": max(times[label]), "rss_mb": max(peaks[label]) / 2**20, "pages": pdf_pages(pdf),
             "size_kb": pdf.stat().st_size / 1024, "runs": times[label]} for label, _, pdf, _ in scenarios]

    base = rows[0]["seconds"]
    print(f"N = {args.n} professions; {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d')}; median of {args.repeat} runs\n")
    print("| scenario | time (s) | runs (min-max) | ratio to (a) | peak RSS (MB) | pages | PDF size (KB) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['scenario']} | {row['seconds']:.2f} | {row['min']:.2f}-{row['max']:.2f} | {row['seconds'] / base:.2f} | "
              f"{row['rss_mb']:.0f} | {row['pages']} | {row['size_kb']:.0f} |")
    if not args.rss and len(rows) >= 6:
        by = {row["scenario"][:3]: row for row in rows}

        def per_round(top, bottom):
            return [t / b for t, b in zip(by[top]["runs"], by[bottom]["runs"])]

        checks = [
            ("(b) <= 0.4 x (a)", by["(b)"]["seconds"] / by["(a)"]["seconds"], 0.4, per_round("(b)", "(a)")),
            ("(c) <= 1 s", by["(c)"]["seconds"], 1.0, by["(c)"]["runs"]),
            ("(e) <= 0.15 x (a)", by["(e)"]["seconds"] / by["(a)"]["seconds"], 0.15, per_round("(e)", "(a)")),
            ("(f) <= 0.12 x (b)", by["(f)"]["seconds"] / by["(b)"]["seconds"], 0.12, per_round("(f)", "(b)")),
            ("size (b) <= 1.2 x (a)", by["(b)"]["size_kb"] / by["(a)"]["size_kb"], 1.2, []),
        ]
        if "(g)" in by:
            checks.append(("(d) <= (g)", by["(d)"]["seconds"] / by["(g)"]["seconds"], 1.0, per_round("(d)", "(g)")))
        print()
        print("| target | medians | each round | met |")
        print("|---|---:|---|---|")
        for label, value, limit, rounds in checks:
            print(f"| {label} | {value:.3f} | {', '.join(f'{r:.3f}' for r in rounds)} | "
                  f"{'met' if value <= limit else 'NOT met'} |")
    json.dump(rows, open(work / "results.json", "w"), indent=1)


if __name__ == "__main__":
    main()
