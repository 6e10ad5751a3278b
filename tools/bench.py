"""Build and test benchmark: prints a Markdown table of where the time goes.

Run from the repository root with the project's environment:

    .venv/bin/python -m tools.bench            # 3 repetitions
    .venv/bin/python -m tools.bench --runs 5 --skip-install

Everything runs in fresh clones of the current commit (``git clone``) in a
temporary directory, so caches start empty and the working tree is untouched.
Measured, each over several runs (min / median / max):

* clean build (empty caches: every page run, every figure rendered, every
  notebook written and rendered), with the CPU time of its processes, and the
  rebuild with nothing changed;
* the median time to render a figure to SVG (``figure_to_svg``) and of a whole
  figure cell (drawing and rendering);
* the rebuild after editing one exercise's ``snippets`` module, with which pages
  and notebooks were redone;
* the README's test command (install excluded; in a fresh clone each run, so
  that its caches start empty; browser tests required) with the CPU time of all
  processes it made (Linux), and, once, the install itself; then the one-page
  check (``tools.checkpage``) of the page with the most claim tests, run a second
  time as in an edit loop (the first run makes its bare Python), as a share of it;
* the cost of the parts: MkDocs + Material with no plugins on the same pages,
  the search index with jieba, the page cells (experiments and figures), and
  mkdocs-jupyter's notebook rendering;
* per page: HTML, figures and page-specific files, raw and gzip; per figure, the
  SVG size.

With ``--baseline REF`` the same figures are measured on a fresh clone of commit
REF too, alternating with the current commit within each run, and the table
gives both with the ratio current / baseline (min / median / max over the runs):
machines here differ by 2x in speed, so only same-run ratios compare.

It times; it asserts nothing (timed tests on a noisy machine would be flaky).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
       "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}


LAST_CPU = [0.0]   # CPU seconds (user + system) of the last ``sh`` command and its children


def sh(cmd: list[str], cwd: Path, env=None) -> tuple[float, str]:
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env or ENV)
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return dt, proc.stdout + proc.stderr


def clone(dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
    return dest


def build(repo: Path, *extra: str) -> tuple[float, str]:
    return sh([PY, "-m", "mkdocs", "build", "--strict", *extra], repo)


def machine_cpu_seconds() -> float | None:
    """CPU time used so far by every process of the machine (Linux ``/proc/stat``:
    user + nice + system + irq + softirq + steal), or None elsewhere. Unlike a child's
    rusage it counts grandchildren that are not waited for, such as Chromium's."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_tests(repo: Path) -> tuple[float, float | None]:
    """The README's test command (install excluded) in ``repo``, a fresh clone, so that
    its caches start empty as on a new machine; browser tests required. Wall seconds
    and machine CPU seconds."""
    cpu0 = machine_cpu_seconds()
    wall, _ = sh([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"], repo,
                 {**ENV, "NNDL_REQUIRE_BROWSER": "1"})
    cpu1 = machine_cpu_seconds()
    return wall, (cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None)


def stats(xs: list[float]) -> str:
    return f"{min(xs):.2f} / {statistics.median(xs):.2f} / {max(xs):.2f}"


def kib(n: float) -> str:
    return f"{n / 1024:.1f}"


def plain_config(repo: Path, with_search: bool) -> Path:
    """mkdocs.yml without hooks and plugins (optionally with search only)."""
    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^plugins:\n(?:[ ].*\n|\n)*?(?=^\S)", "plugins: []\n" if not with_search
                  else "plugins:\n  - search:\n      lang: zh\n", text, flags=re.M)
    text = re.sub(r"^hooks:\n(?:  - .*\n)+", "", text, flags=re.M)
    path = repo / ("mkdocs-search.yml" if with_search else "mkdocs-plain.yml")
    path.write_text(text, encoding="utf-8")
    return path


def page_weights(site: Path) -> list[tuple[str, int, int, int, int]]:
    """(page, html raw, html gz, page-specific files raw, gz) per content page."""
    rows = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix() or "/"
        if rel.startswith(("search", "assets")):
            continue
        data = html.read_bytes()
        extra = []
        if re.fullmatch(r"\d-\d", rel):
            extra = list((site / "figures" / rel).glob("*.svg"))
        if rel.startswith("notebooks/"):
            extra = list(html.parent.glob("*.ipynb"))
        ex_raw = sum(p.stat().st_size for p in extra)
        ex_gz = sum(len(gzip.compress(p.read_bytes(), 9)) for p in extra)
        rows.append((rel, len(data), len(gzip.compress(data, 9)), ex_raw, ex_gz))
    return rows


def cell_costs(repo: Path) -> tuple[float, float, float]:
    """Seconds spent in the page cells: experiments, figures, and in total."""
    exp = fig = 0.0
    for path in (repo / ".cache" / "pages").glob("*.json"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["svg"]:
                fig += cell["seconds"]
            else:
                exp += cell["seconds"]
    return exp, fig, exp + fig


def notebook_render_cost(repo: Path) -> float:
    code = ("import time, glob\nfrom mkdocs_jupyter import convert\nt=time.perf_counter()\n"
            "for nb in sorted(glob.glob('.cache/notebooks/notebooks/*.ipynb')):\n"
            "    convert.nb2html(nb, execute=False)\nprint(time.perf_counter()-t)")
    return float(sh([PY, "-c", code], repo)[1].strip().splitlines()[-1])


def measure(repo: Path, tests_repo: Path | None) -> tuple[dict[str, float], str]:
    """One run of every timed figure on the fresh clone ``repo`` (and the test command
    on the fresh clone ``tests_repo``); also says what the one-module edit redid."""
    m: dict[str, float] = {}
    m["clean build"], _ = build(repo)
    m["clean build, CPU-seconds"] = LAST_CPU[0]
    m["rebuild, nothing changed"], _ = build(repo)
    m["cells: experiments"], m["cells: figures"], _ = cell_costs(repo)
    renders = figure_seconds(repo, "render_seconds")
    if renders:
        m["median SVG render (figure_to_svg), s"] = statistics.median(renders.values())
    m["median figure cell (drawing + SVG), s"] = statistics.median(
        figure_seconds(repo).values())
    m["notebooks: mkdocs-jupyter rendering"] = notebook_render_cost(repo)
    module = sorted((repo / "snippets").glob("ex*.py"))[-1]
    text = module.read_text(encoding="utf-8")
    module.write_text(re.sub(r'(def \w+\([^)]*\):\n    """)', r"\1(edited) ", text, count=1),
                      encoding="utf-8")
    m["rebuild after editing one exercise module"], log = build(repo)
    ran = re.search(r"ran (\d+) page\(s\), (\d+) from cache", log)
    misses = re.findall(r"Cache miss, writing: .*?/(notebooks/[^/\s]+\.ipynb)", log)
    redo = (f"edited `snippets/{module.name}`: pages re-run {ran.group(1) if ran else '?'}, "
            f"from cache {ran.group(2) if ran else '?'}; notebooks re-rendered: "
            f"{', '.join(misses) or 'none'}")
    m["MkDocs + Material, no plugins"] = build(
        repo, "-f", str(plain_config(repo, False)), "-d", "site-plain")[0]
    m["MkDocs + Material + search"] = build(
        repo, "-f", str(plain_config(repo, True)), "-d", "site-search")[0]
    m["rebuild / plain MkDocs + search build"] = (m["rebuild, nothing changed"]
                                                  / m["MkDocs + Material + search"])
    if tests_repo is not None:
        wall, cpu = run_tests(tests_repo)
        m["README test command, wall"] = wall
        if cpu is not None:
            m["README test command, CPU-seconds of all processes"] = cpu
        if (tests_repo / "tools" / "checkpage.py").is_file():
            page = CHECK_PAGE
            sh([PY, "-m", "tools.checkpage", page], tests_repo)   # makes .cache/kernel-env
            m[f"one-page check (tools.checkpage {page}), wall"] = sh(
                [PY, "-m", "tools.checkpage", page], tests_repo)[0]
            m["one-page check / README test command"] = (
                m[f"one-page check (tools.checkpage {page}), wall"] / wall)
    return m, redo


CHECK_PAGE = "ex4_3"   # the page with the most claim-test time


def clone_at(dest: Path, ref: str | None) -> Path:
    clone(dest)
    if ref:
        subprocess.run(["git", "-C", str(dest), "checkout", "-q", ref], check=True)
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-install", action="store_true")
    ap.add_argument("--skip-tests", action="store_true")
    ap.add_argument("--baseline", metavar="REF", action="append", default=[],
                    help="also measure commit REF, alternating with the current commit in "
                         "the same run, and print current/baseline ratios (may be given "
                         "more than once)")
    ap.add_argument("--test-runs", type=int, metavar="N",
                    help="run the test command in the first N runs only (default: all)")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    test_runs = args.runs if args.test_runs is None else args.test_runs
    tmp = Path(tempfile.mkdtemp(prefix="nndl-bench-"))
    labels = ["current"] + args.baseline
    refs = {"current": None, **{ref: ref for ref in args.baseline}}
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in labels}
    redo = ""
    for i in range(args.runs):
        # alternate the order so that neither side always runs on a warmer machine
        for label in (labels if i % 2 == 0 else labels[::-1]):
            name = re.sub(r"\W", "_", label)
            repo = clone_at(tmp / f"{name}-run{i}", refs[label])
            tests_repo = (clone_at(tmp / f"{name}-tests{i}", refs[label])
                          if not args.skip_tests and i < test_runs else None)
            m, text = measure(repo, tests_repo)
            runs[label].append(m)
            if label == "current":
                redo = text
            shutil.rmtree(tmp / f"{name}-tests{i}", ignore_errors=True)
    install = None
    if not args.skip_install:
        install = sh(["bash", "-c", "python3 -m venv .venv-bench && .venv-bench/bin/pip install "
                      "-q -r requirements.txt"], tmp / "current-run0")[0]
    print(f"## Build and test benchmark ({os.cpu_count()} cores, {args.runs} runs; "
          "min / median / max)\n")
    cur = runs["current"]
    keys = list(dict.fromkeys(k for m in cur for k in m))
    for ref in args.baseline:
        base = runs[ref]
        print(f"baseline: `{ref}`; ratio = current / baseline of the same run\n")
        print("| figure | current | baseline | ratio |\n|---|---|---|---|")
        for key in keys:
            pairs = [(c[key], b[key]) for c, b in zip(cur, base) if key in c and key in b]
            if pairs:
                print(f"| {key} | {stats([c for c, _ in pairs])} | "
                      f"{stats([b for _, b in pairs])} | {stats([c / b for c, b in pairs])} |")
            else:
                print(f"| {key} | {stats([c[key] for c in cur if key in c])} | – | – |")
        print()
    if not args.baseline:
        print("| figure | seconds |\n|---|---|")
        for key in keys:
            print(f"| {key} | {stats([c[key] for c in cur if key in c])} |")
    if install is not None:
        print(f"\ninstall requirements.txt into an empty venv (1 run, pip cache warm): "
              f"{install:.1f} s")
    print(f"\n{redo}\n")
    site = tmp / "current-run0" / "site"
    print("| page | HTML KiB | gzip | figures / notebook KiB | gzip |\n|---|---|---|---|---|")
    for rel, raw, gz, ex_raw, ex_gz in page_weights(site):
        print(f"| {rel} | {kib(raw)} | {kib(gz)} | {kib(ex_raw)} | {kib(ex_gz)} |")
    svgs = sorted(site.glob("figures/*/*.svg"))
    sizes = [p.stat().st_size for p in svgs]
    print(f"\nSVG figures: {len(svgs)}; size min / median / max KiB: "
          f"{kib(min(sizes))} / {kib(statistics.median(sizes))} / {kib(max(sizes))}\n")
    print("| figure | KiB | render seconds |\n|---|---|---|")
    seconds = figure_seconds(tmp / "current-run0")
    for p, n in zip(svgs, sizes):
        rel = p.relative_to(site).as_posix()
        print(f"| {rel} | {kib(n)} | {seconds.get(rel, float('nan')):.3f} |")
    if seconds:
        print(f"\nmedian figure cell (drawing + SVG): {statistics.median(seconds.values()):.3f} s")
    shutil.rmtree(tmp, ignore_errors=True)


def figure_seconds(repo: Path, field: str = "seconds") -> dict[str, float]:
    """Seconds of each figure cell of the last build in ``repo``, by its site path:
    the whole cell (``seconds``) or its SVG rendering (``render_seconds``, recorded
    since the pool build; empty for older commits)."""
    out = {}
    for path in (repo / ".cache" / "pages").glob("*.json"):
        page = path.stem[2:].replace("_", "-")
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["svg"] and field in cell:
                out[f"figures/{page}/{cell['name']}.svg"] = cell[field]
    return out


if __name__ == "__main__":
    main()
