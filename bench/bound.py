"""The floor two cores put under a cold build: how fast (b) and (f) could be at best.

    python bench/bound.py 300

A cold build cannot do less than render every profession once, and no command can render
before Python has started and one process has loaded WeasyPrint. This measures those costs on
the synthetic corpus of bench/corpus.py and the single pass (a) beside them, and prints the
floor of (b) and (f) (every other cost taken as zero, the cores perfectly shared) against the
targets of bench/run.py. A profession's CPU is measured both ways it is rendered: in parts of
eight (the fast build) and all in one document (the single pass), to show they cost the same;
the front matter and index once each, with literal page numbers (as the fast build renders them).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import write_corpus  # noqa: E402
from bench.run import booklet, measure  # noqa: E402

SAMPLE = 96  # professions rendered to measure one (the whole corpus would take a minute more)


def render_cpu(folder: Path, sample: int, field: str) -> tuple[float, float, float, int, float]:
    """CPU seconds per profession rendered in parts of eight and in one document; of the
    front matter and index with literal page numbers, for the whole booklet and for `--only
    field` (whose professions are counted), each rendered once."""
    code = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from pathlib import Path
from booklet.api import load, prepare
from booklet.layout import PartLayout, render_html
from booklet.limits import _limit_worker, run_limited
from booklet.parts import _render
_limit_worker(8192)  # the settings a render worker has (its collector's thresholds)
root = Path({str(folder)!r})
booklet = prepare(load(root))
sample = booklet.profiles[:{sample}]
def html(profiles):
    return render_html(booklet, root, parts=[p.key for p in profiles], part=PartLayout())
_render(html(booklet.profiles[-1:]), root)  # the first render's warm-up is not a profession's
parts = [sample[i:i + 8] for i in range(0, len(sample), 8)]
started = time.process_time()
for part in parts:
    run_limited(_render, html(part), root, None, tuple(p.anchor for p in part))
in_parts = (time.process_time() - started) / len(sample)
started = time.process_time()
run_limited(_render, html(sample), root)
in_one = (time.process_time() - started) / len(sample)
def front_and_index(booklet):
    page_of, page = {{}}, 9
    for profile in booklet.profiles:
        page_of[profile.key] = page
        page += 2
    page_of |= {{"index": page, "contents": 3}}
    anchors = tuple(p.anchor for p in booklet.profiles)
    started = time.process_time()
    for parts, layout in ((["front"], PartLayout(start_left=False, stubs=(*anchors, "indeks"))),
                          (["index", "back"], PartLayout(stubs=anchors))):
        run_limited(_render, render_html(booklet, root, parts=parts, page_of=page_of, part=layout), root)
    return time.process_time() - started
subset = prepare(load(root, only=({field!r},)))
print(in_parts, in_one, front_and_index(booklet), len(subset.profiles), front_and_index(subset))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    in_parts, in_one, whole_front, subset_count, subset_front = out.split()
    return float(in_parts), float(in_one), float(whole_front), int(subset_count), float(subset_front)


def start_seconds() -> tuple[float, float]:
    """Median wall time of starting Python with booklet's command loaded, and of loading
    WeasyPrint on top of it (what a render process must do before its first render)."""
    def timed(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - started
    command = statistics.median(timed("import booklet.cli") for _ in range(5))
    with_weasyprint = statistics.median(timed("import booklet.cli, booklet.render") for _ in range(5))
    return command, with_weasyprint - command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="professions in the synthetic corpus")
    parser.add_argument("--sample", type=int, default=SAMPLE, help=f"professions rendered to measure one (default {SAMPLE})")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    work = Path(tempfile.mkdtemp(prefix="booklet-bound-"))
    try:
        corpus = work / "corpus"
        write_corpus(args.n, corpus)
        single_pass, _ = measure(booklet(corpus, work / "a.pdf", "--single-pass"))
        shutil.rmtree(corpus / ".booklet-cache", ignore_errors=True)
        cold, _ = measure(booklet(corpus, work / "b.pdf"))
        field = sorted(p.name for p in (corpus / "source").iterdir())[0]  # as bench/run.py's (f)
        in_parts, in_one, whole_front, first_field, subset_front = render_cpu(corpus, min(args.sample, args.n), field)
        command, weasyprint = start_seconds()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    floor_b = command + weasyprint + (args.n * in_parts + whole_front) / cores
    floor_f = command + weasyprint + (first_field * in_parts + subset_front) / cores
    print(f"N = {args.n}, {cores} cores; {time.strftime('%Y-%m-%d')}\n")
    print("| measured | value |")
    print("|---|---:|")
    print(f"| (a) single pass, wall | {single_pass:.2f} s |")
    print(f"| (b) cold build, wall | {cold:.2f} s |")
    print(f"| a profession's CPU, in parts of eight (fast build) | {in_parts * 1000:.1f} ms |")
    print(f"| a profession's CPU, in one document (single pass) | {in_one * 1000:.1f} ms |")
    print(f"| front matter and index, whole booklet, CPU | {whole_front:.2f} s |")
    print(f"| front matter and index, --only {field}, CPU | {subset_front:.2f} s |")
    print(f"| Python started with booklet's command loaded | {command:.2f} s |")
    print(f"| WeasyPrint loaded on top of it | {weasyprint:.2f} s |")
    print()
    print("| floor (start + one WeasyPrint load + (professions + front and index) / cores) | seconds | target | met at best |")
    print("|---|---:|---:|---|")
    print(f"| (b), {args.n} professions | {floor_b:.2f} = {floor_b / single_pass:.3f} x (a) | "
          f"<= {0.4 * single_pass:.2f} (0.4 x (a)) | {'yes' if floor_b <= 0.4 * single_pass else 'no'} |")
    print(f"| (f), --only {field}, {first_field} professions | {floor_f:.2f} = {floor_f / cold:.3f} x (b) | "
          f"<= {0.12 * cold:.2f} (0.12 x (b)) | {'yes' if floor_f <= 0.12 * cold else 'no'} |")


if __name__ == "__main__":
    main()
