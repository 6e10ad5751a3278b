"""Does every page print the same on every machine?

Each page's cells (the code a reader copies) run, uncached, in fresh
interpreters under several OpenBLAS kernels (``OPENBLAS_CORETYPE``) and BLAS
thread counts, and with NumPy's own SIMD loops (exp, log, tanh, sin, sums)
limited to what an AVX2 or a baseline x86-64 CPU has
(``NPY_DISABLE_CPU_FEATURES``). Every variant's printed output must equal that of the first
variant, the build's own setting (the machine's default kernel, one thread).
A reader's laptop picks another kernel and, with NumPy's defaults, uses every
core, so a page whose digits move between these runs would show its reader
something the site does not.

    python -m tools.crosscheck                  # every page, the default variants
    python -m tools.crosscheck ex4_8 --figures  # one page, also compare its SVGs
    python -m tools.crosscheck --kernels default,Nehalem --threads 1,2,4
    python -m tools.crosscheck --builds default,default:serial,default:warm,Prescott

Exit status 1 when any printed output differs (figures are only reported:
an SVG may legitimately move in its last rounded digit). With ``--builds``, the
site is built from fresh copies of the working tree (strict; no caches, or this
tree's caches for ``KERNEL:warm``) once per named build, and each tree is
compared with the first file by file: under the same kernel every file must be
byte-identical (two clean builds: the parallel and the serial one; or a clean
and a warm one); under another kernel every
HTML page, the search index and the sitemap must be, and figures and the
notebooks that embed them are reported. A kernel the CPU
cannot run is reported and skipped (OpenBLAS falls back to another one, so
the run would only repeat another variant).
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys

from tools.bundle import ROOT

KERNELS = ("default", "Haswell", "Sandybridge", "Prescott")
THREADS = (1, 2)
SIMD = ("avx2", "baseline")  # NumPy's own SIMD code as on older x86-64 CPUs
# OpenBLAS reports some kernels under another name (Prescott runs as "Katmai").
ALIASES = {"Prescott": {"Katmai", "Prescott"}}
BLAS_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def simd_disable(level: str) -> str:
    """``NPY_DISABLE_CPU_FEATURES`` for NumPy's own SIMD code (exp, log, sin, tanh,
    sums...) as on an older CPU: 'avx2' drops the AVX-512 targets, 'baseline' every
    dispatched target. '' for 'default'."""
    if level == "default":
        return ""
    from numpy._core._multiarray_umath import __cpu_dispatch__

    drop = {"avx2": [t for t in __cpu_dispatch__ if "512" in t or t == "X86_V4"],
            "baseline": list(__cpu_dispatch__)}
    if level not in drop:
        raise ValueError(f"SIMD level must be default, avx2 or baseline, not {level!r}")
    return " ".join(drop[level])


def variant_env(kernel: str, threads: int, simd: str = "default") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("NPY_DISABLE_CPU_FEATURES", None)
    if simd_disable(simd):
        env["NPY_DISABLE_CPU_FEATURES"] = simd_disable(simd)
    if kernel != "default":
        env["OPENBLAS_CORETYPE"] = kernel
    for var in BLAS_VARS:
        env[var] = str(threads)
    env["MPLBACKEND"] = "Agg"
    return env


def _worker(pages: list[str], figures: bool) -> dict:
    """Run ``pages`` here (no cache) and return what each cell printed and drew."""
    from tools import pagerun

    out = {"corename": pagerun.corename(), "pages": {}}
    for page in pages:
        run = pagerun.prepare(page)
        pagerun._execute(run, render=figures)
        out["pages"][page] = {c.name: {"stdout": c.stdout,
                                       "svg": hashlib.sha256(c.svg.encode()).hexdigest()
                                       if c.svg else ""}
                              for c in run.cells}
    return out


def run_variant(pages: list[str], kernel: str, threads: int, simd: str,
                figures: bool) -> dict:
    cmd = [sys.executable, "-m", "tools.crosscheck", "--worker", *pages]
    if figures:
        cmd.append("--figures")
    proc = subprocess.run(cmd, cwd=ROOT, env=variant_env(kernel, threads, simd),
                          capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"{kernel}/{threads} threads/NumPy SIMD {simd} failed:\n"
                           f"{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def compare(reference: dict, other: dict) -> tuple[list[str], list[str]]:
    """(printed-output differences, figure differences) of ``other`` against ``reference``."""
    printed, drawn = [], []
    for page, cells in reference["pages"].items():
        for name, ref in cells.items():
            got = other["pages"][page][name]
            if got["stdout"] != ref["stdout"]:
                diff = difflib.unified_diff(ref["stdout"].splitlines(),
                                            got["stdout"].splitlines(), "reference",
                                            "this variant", lineterm="", n=0)
                printed.append(f"{page}:{name}\n" + "\n".join(diff))
            if got["svg"] != ref["svg"]:
                drawn.append(f"{page}:{name}")
    return printed, drawn


def fresh_copy(dest, root=ROOT, keep_cache=False):
    """The working tree as a fresh clone would have it: no caches, no build output
    (with ``keep_cache``, the working tree's ``.cache`` is copied too). Copied rather
    than ``git clone``d, so uncommitted work is built too."""
    import shutil

    skip = [".git", "site", ".venv", "venv", "__pycache__", ".pytest_cache", "*.pyc"]
    # (the one-page check's bare Python in .cache/kernel-env is no build cache)
    ignore = shutil.ignore_patterns(*skip, *(["kernel-env"] if keep_cache else [".cache"]))
    shutil.copytree(root, dest, ignore=ignore, symlinks=True)
    return dest


def compare_trees(a, b) -> list[tuple[str, str]]:
    """``(path, what differs)`` for every file that differs between two directory
    trees or exists in one only."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = [(f, "only in the first build") for f in sorted(files_a - files_b)]
    out += [(f, "only in the second build") for f in sorted(files_b - files_a)]
    for rel in sorted(files_a & files_b):
        x, y = (a / rel).read_bytes(), (b / rel).read_bytes()
        if x != y:
            at = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            out.append((rel, f"sizes {len(x)} / {len(y)}, first difference at byte {at}: "
                             f"{x[max(0, at - 40):at + 40]!r} vs {y[max(0, at - 40):at + 40]!r}"))
    return out


BUILD_MODES = ("", "serial", "warm")


def parse_build(spec: str) -> tuple[str, str]:
    """``KERNEL``, ``KERNEL:serial`` or ``KERNEL:warm`` -> (kernel, mode)."""
    kernel, _, mode = spec.partition(":")
    if not kernel or mode not in BUILD_MODES:
        raise ValueError(f"a build is KERNEL, KERNEL:serial or KERNEL:warm (e.g. "
                         f"default:serial), not {spec!r}")
    return kernel, mode


def compare_builds(specs: list[str]) -> int:
    """Builds of fresh copies of the working tree, each compared with the first.

    ``KERNEL`` is a clean build (no caches: every page runs, every figure and
    notebook is made anew) with the pages and notebooks in a process pool of at
    least two workers (checked in its log); ``KERNEL:serial`` a clean build without
    a pool; ``KERNEL:warm`` a build that starts from the working tree's own
    ``.cache`` (page, highlighting, segmentation and notebook caches, as a
    developer's rebuild does).

    Two builds under the same kernel must be byte-identical in every file: the
    determinism check, and that the pool, or the caches, change nothing. Under
    another kernel every page, the search index and the sitemap must be identical;
    figures and notebooks are reported. Returns 1 on any failing difference.
    """
    import tempfile
    from pathlib import Path

    builds = [parse_build(s) for s in specs]
    with tempfile.TemporaryDirectory(prefix="nndl-builds-") as tmp:
        trees = []
        for i, (kernel, mode) in enumerate(builds):
            src = fresh_copy(Path(tmp) / f"src-{i}", keep_cache=mode == "warm")
            out = Path(tmp) / f"site-{i}"
            env = variant_env(kernel, 1)
            env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
            env["NO_MKDOCS_2_WARNING"] = "1"
            env["NNDL_BUILD_JOBS"] = "1" if mode == "serial" else str(max(2, os.cpu_count() or 1))
            proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                                   "-d", str(out)], cwd=src, env=env, capture_output=True,
                                  text=True)
            if proc.returncode:
                raise RuntimeError(f"build {specs[i]} failed:\n{proc.stderr[-3000:]}")
            ran = re.search(r"ran (\d+) page\(s\), (\d+) from cache.*\((.*)\)", proc.stderr)
            if not ran:
                raise RuntimeError(f"build {specs[i]}: no page-run line in its log")
            print(f"build {specs[i]}: {ran.group(0)}")
            if mode == "" and "a pool of" not in ran.group(3):
                raise RuntimeError(f"build {specs[i]} ran without a process pool")
            if mode != "warm" and ran.group(2) != "0":
                raise RuntimeError(f"build {specs[i]} was not clean: {ran.group(0)}")
            trees.append(out)
        n_files = sum(1 for p in trees[0].rglob("*") if p.is_file())
        failed = False
        for i in range(1, len(trees)):
            same_kernel = builds[i][0] == builds[0][0]
            differ = compare_trees(trees[0], trees[i])
            tolerated = [] if same_kernel else [d for d in differ
                                                if d[0].endswith((".svg", ".ipynb"))]
            failing = [d for d in differ if d not in tolerated]
            failed |= bool(failing)
            rule = "every file must be identical" if same_kernel else \
                "pages, search index and sitemap must be identical"
            print(f"builds {specs[0]} and {specs[i]} ({rule}): {n_files} files, "
                  f"{len(failing)} failing difference(s), {len(tolerated)} figure/notebook "
                  f"difference(s) reported")
            for rel, what in failing + tolerated:
                print(f"    {rel}: {what}")
    return int(failed)


def main(argv: list[str] | None = None) -> int:
    from tools import pagerun

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", nargs="*", help="e.g. ex4_8 (default: every page)")
    ap.add_argument("--kernels", default=",".join(KERNELS),
                    help="OPENBLAS_CORETYPE values; 'default' is the machine's own")
    ap.add_argument("--threads", default=",".join(map(str, THREADS)))
    ap.add_argument("--simd", default=",".join(SIMD),
                    help="extra variants (default kernel, 1 thread) with NumPy's own SIMD "
                         "code limited: avx2, baseline ('' for none)")
    ap.add_argument("--figures", action="store_true", help="also render and compare SVGs")
    ap.add_argument("--builds", metavar="B1,B2[,...]",
                    help="instead: builds of the whole site from fresh copies, each "
                         "compared with the first; a build is KERNEL (clean, process pool), "
                         "KERNEL:serial (clean, no pool) or KERNEL:warm (from this tree's "
                         ".cache), e.g. default,default:serial,default:warm,Prescott")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.builds:
        specs = args.builds.split(",")
        try:
            [parse_build(spec) for spec in specs]
        except ValueError as err:
            ap.error(str(err))
        if len(specs) < 2:
            ap.error("--builds takes two builds or more, e.g. default,default:serial")
        return compare_builds(specs)
    pages = args.pages or pagerun.page_names()
    if args.worker:
        print(json.dumps(_worker(pages, args.figures)))
        return 0
    variants = [(k, int(t), "default") for k in args.kernels.split(",")
                for t in args.threads.split(",")]
    variants += [(variants[0][0], variants[0][1], s) for s in args.simd.split(",") if s]
    for *_, simd in variants:
        simd_disable(simd)  # a clear error before anything runs
    with futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        jobs = [pool.submit(run_variant, pages, *v, args.figures) for v in variants]
        results = [j.result() for j in jobs]
    (k0, t0, _), reference = variants[0], results[0]
    print(f"reference: {k0} kernel ({reference['corename']}), {t0} thread(s); "
          f"pages: {' '.join(pages)}")
    failed = False
    for (kernel, threads, simd), result in zip(variants[1:], results[1:]):
        label = f"{kernel} ({result['corename']}), {threads} thread(s)"
        if simd != "default":
            label += f", NumPy SIMD limited to {simd}"
        if kernel != "default" and result["corename"] not in ALIASES.get(kernel, {kernel}):
            print(f"- {label}: skipped, this CPU does not run that kernel")
            continue
        printed, drawn = compare(reference, result)
        failed |= bool(printed)
        print(f"- {label}: {len(printed)} cell(s) print differently"
              + (f", {len(drawn)} figure(s) differ: {', '.join(drawn)}" if drawn else ""))
        for d in printed:
            print("    " + d.replace("\n", "\n    "))
    print("FAILED: printed output depends on the machine" if failed
          else "OK: every variant prints the same")
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
