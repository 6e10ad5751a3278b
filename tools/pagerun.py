"""Run a page's steps exactly as the page shows them, and cache what they print and draw.

A page script ``snippets/pages/exN_M.py`` is split into cells by lines
``# %% name``. The first cell, ``setup``, imports from ``snippets``; on the page
(and here) it is replaced by the standalone helper code ``tools.bundle`` makes
from those imports, so what runs is byte-for-byte what a reader copies.
Every cell then runs in one namespace; its stdout is kept, and a Figure left
as the cell's last expression is rendered to SVG. Any exception or warning
fails the run.

Results are cached in ``.cache/pages/`` under a hash of the exact code that
runs (the page script, the helper code, the runner and the library versions)
and of the numerical environment (CPU architecture, BLAS, its kernel and thread
settings), so an unchanged page is not run again, a page whose helpers changed
is, and a cache filled under one BLAS setting is never served under another.

Run one page in a terminal: ``python -m tools.pagerun ex4_2``.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import io
import json
import os
import re
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tools.bundle import ROOT, BundleError, bundle

PAGES_DIR = ROOT / "snippets" / "pages"
CACHE_DIR = ROOT / ".cache" / "pages"
CELL_MARK = re.compile(r"^# %% ([a-z0-9][a-z0-9_-]*)\s*$")
# Page directives in docs/N-M.md: [[helpers]], [[run NAME]], [[run NAME | alt text]]
DIRECTIVE = re.compile(r"^\[\[(helpers|run)(?: ([a-z0-9_-]+))?(?: \| (.+?))?\]\]\s*$")
# The editions of the site: the Chinese one (what the page scripts run) and the English one.
EDITIONS = ("zh", "en")
# A page whose figures have text sets their language in its setup cell with this line;
# the English edition's copy of the page shows it with "en".
LANG_LINE = 'LANG = "{}"  # the language of the figures\' text: "zh" or "en"'
CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


class PageError(RuntimeError):
    """A page script is malformed or one of its cells failed."""


@dataclass
class Cell:
    name: str
    code: str
    stdout: str = ""
    svg: str = ""
    seconds: float = 0.0          # the whole cell, figure rendering included
    render_seconds: float = 0.0   # turning its Figure into SVG (figure_to_svg)
    svg_en: str = ""              # the same figure drawn with LANG = "en"


@dataclass
class PageRun:
    page: str                  # e.g. "ex4_2"
    key: str
    helpers: str
    cells: list[Cell] = field(default_factory=list)
    cached: bool = False
    seconds: float = 0.0

    def cell(self, name: str) -> Cell:
        for c in self.cells:
            if c.name == name:
                return c
        raise PageError(f"{self.page}: no cell named {name!r}")

    def script(self) -> str:
        """Everything a reader copies from the page, in order, as one script."""
        return "\n\n".join([self.helpers] + [c.code for c in self.cells[1:]]) + "\n"

    def edition(self, lang: str) -> "PageRun":
        """This run as the ``lang`` edition's page shows it.

        The English page is the same run: every cell's code and output are the
        Chinese page's, except the setup cell's ``LANG`` line, and each figure is
        the one its cell's last expression drew with ``LANG = "en"``."""
        if lang not in EDITIONS:
            raise ValueError(f"lang must be one of {EDITIONS}, not {lang!r}")
        if lang == "zh":
            return self
        helpers = self.helpers.replace(LANG_LINE.format("zh"), LANG_LINE.format(lang))
        cells = [Cell(c.name, helpers if i == 0 else c.code, c.stdout, c.svg_en,
                      c.seconds, c.render_seconds) for i, c in enumerate(self.cells)]
        return PageRun(self.page, self.key, helpers, cells, self.cached, self.seconds)


def page_names() -> list[str]:
    return sorted(p.stem for p in PAGES_DIR.glob("ex*.py"))


def split_cells(page: str, text: str) -> list[Cell]:
    cells: list[Cell] = []
    preamble: list[str] = []
    for line in text.splitlines():
        m = CELL_MARK.match(line)
        if m:
            cells.append(Cell(m.group(1), ""))
        elif cells:
            cells[-1].code += line + "\n"
        else:
            preamble.append(line)
    if ast.parse("\n".join(preamble)).body and not _only_docstring("\n".join(preamble)):
        raise PageError(f"{page}: code before the first '# %% name' line")
    names = [c.name for c in cells]
    if not cells or names[0] != "setup":
        raise PageError(f"{page}: the first cell must be '# %% setup'")
    if len(set(names)) != len(names):
        raise PageError(f"{page}: cell names repeat: {names}")
    for c in cells:
        c.code = c.code.strip("\n") + "\n"
    return cells


def check_lang(page: str, cells: list[Cell]) -> None:
    """The rules that let one run serve both editions: the cells hold no Chinese
    (text a figure draws lives in its function's table in ``snippets/``), and a
    page that uses ``LANG`` sets it once, in its setup cell, with ``LANG_LINE``."""
    for c in cells:
        if CJK.search(c.code):
            line = next(ln for ln in c.code.splitlines() if CJK.search(ln))
            raise PageError(f"{page}: cell {c.name!r} has Chinese text ({line.strip()!r}); "
                            f"the cells are shared by both editions: put a figure's text "
                            f"in its function's table (snippets.plotting.figure_text)")
    uses = any(re.search(r"\bLANG\b", c.code) for c in cells[1:])
    sets = [ln for c in cells for ln in c.code.splitlines() if re.match(r"\s*LANG\s*=", ln)]
    if uses and (sets != [LANG_LINE.format("zh")] or LANG_LINE.format("zh") not in
                 cells[0].code.splitlines()):
        raise PageError(f"{page}: a page whose cells use LANG sets it once, in its setup "
                        f"cell, with the line {LANG_LINE.format('zh')!r}; found {sets}")


def _only_docstring(src: str) -> bool:
    body = ast.parse(src).body
    return len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)


def helpers_for(page: str, setup: str) -> str:
    """Standalone code for the setup cell: helper definitions, then its other lines."""
    requests, imports, rest = [], [], []
    lines = setup.splitlines()
    for node in ast.parse(setup).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("snippets."):
            requests += [(node.module[len("snippets."):], a.name) for a in node.names]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append("\n".join(lines[node.lineno - 1:node.end_lineno]))
        else:
            rest.append("\n".join(lines[node.lineno - 1:node.end_lineno]))
    try:
        code = bundle(requests, imports)
    except BundleError as err:
        raise PageError(f"{page}: {err}") from err
    header = (f"# Helpers for this page, generated from snippets/ (the repository's "
              f"snippets/pages/{page}.py imports them).\n")
    return header + code + ("\n\n" + "\n".join(rest) + "\n" if rest else "")


def _versions() -> str:
    import matplotlib
    import numpy
    # the runner itself and the SVG renderer it calls are part of every page's output
    runner = "".join(p.read_text() for p in (ROOT / "tools" / "pagerun.py",
                                             ROOT / "tools" / "bundle.py",
                                             ROOT / "snippets" / "plotting.py"))
    return f"{sys.version_info[:2]} numpy {numpy.__version__} mpl {matplotlib.__version__} " \
           + hashlib.sha256(runner.encode()).hexdigest() + " " + blas_environment()


def blas_environment() -> str:
    """Everything besides the code that could change what a page prints: the CPU
    architecture, the BLAS library, the kernel it runs and its thread settings.

    The pages are written to print the same under all of these (``tools.crosscheck``
    proves it in CI); keying the cache by them as well means that a cache filled
    under one setting is never served under another, should a page slip.
    """
    import platform

    import numpy

    blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
    threads = [os.environ.get(v, "") for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                               "MKL_NUM_THREADS")]
    return (f"{platform.machine()} {blas.get('name')} {blas.get('version')} "
            f"kernel={corename()} threads={','.join(threads)}")


def corename() -> str:
    """The OpenBLAS kernel NumPy's BLAS runs in this process ('' if not OpenBLAS)."""
    import ctypes
    import glob

    import numpy

    libs = os.path.join(os.path.dirname(numpy.__path__[0]), "numpy.libs")
    for lib in glob.glob(os.path.join(libs, "libscipy_openblas*")):
        dll = ctypes.CDLL(lib)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename"):
            fn = getattr(dll, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return fn().decode()
    return ""


def prepare(page: str) -> PageRun:
    path = PAGES_DIR / f"{page}.py"
    if not path.is_file():
        raise PageError(f"no page script {path.relative_to(ROOT)}")
    cells = split_cells(page, path.read_text(encoding="utf-8"))
    check_lang(page, cells)
    helpers = helpers_for(page, cells[0].code)
    cells[0].code = helpers
    blob = json.dumps([_versions(), [(c.name, c.code) for c in cells]])
    return PageRun(page, hashlib.sha256(blob.encode()).hexdigest()[:16], helpers, cells)


def _execute(run: PageRun, render: bool = True) -> None:
    """Run every cell in one fresh namespace, capturing stdout and figures.

    With ``render=False`` a figure is built but not rendered to SVG (faster, for
    checks of printed output only)."""
    from matplotlib.figure import Figure

    from snippets.plotting import figure_to_svg

    style = build_style()
    _fresh_process_state()
    namespace = {"__name__": f"page_{run.page}"}
    start = time.perf_counter()
    for cell in run.cells:
        t0 = time.perf_counter()
        tree = ast.parse(cell.code, filename=f"<{run.page}:{cell.name}>")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        out = io.StringIO()
        with warnings.catch_warnings(), contextlib.redirect_stdout(out):
            warnings.simplefilter("error")
            style()
            try:
                exec(compile(tree, f"<{run.page}:{cell.name}>", "exec"), namespace)
                value = None
                if last is not None:
                    expr = ast.Expression(last.value)
                    value = eval(compile(expr, f"<{run.page}:{cell.name}>", "eval"), namespace)
            except Exception as err:
                raise PageError(f"{run.page}: cell {cell.name!r} raised "
                                f"{type(err).__name__}: {err}") from err
        if isinstance(value, Figure):
            t1 = time.perf_counter()
            cell.svg = figure_to_svg(value) if render else ""
            cell.render_seconds = round(time.perf_counter() - t1, 3)
            # (drawn without rendering too, so that every run checks the English call)
            cell.svg_en = _english_figure(run, cell, last, namespace, value, render)
        elif value is not None:
            raise PageError(f"{run.page}: cell {cell.name!r} ends in an expression "
                            f"({type(value).__name__}); print() it or end with a Figure")
        cell.stdout = out.getvalue()
        cell.seconds = round(time.perf_counter() - t0, 3)
    run.seconds = round(time.perf_counter() - start, 3)


def _english_figure(run: PageRun, cell: Cell, last: ast.Expr, namespace: dict, zh,
                    render: bool = True) -> str:
    """The English edition's SVG of a figure cell: its last expression evaluated
    again with ``LANG = "en"`` (a figure call only draws, so nothing else changes;
    the English notebook's run in a fresh kernel checks that every output is the
    same), or the Chinese figure itself on a page without ``LANG``. Either way it
    may contain no CJK character, and the call may change none of the page's
    variables (``state_fingerprint``, before and after). ``""`` without ``render``."""
    from matplotlib.figure import Figure

    from snippets.plotting import figure_to_svg

    where = f"<{run.page}:{cell.name}>"
    fig = zh
    if "LANG" in namespace:
        try:
            before = state_fingerprint(namespace)
        except TypeError as err:
            raise PageError(f"{run.page}: cell {cell.name!r}: {err}; the build checks "
                            f"that the English figure call changes no variable") from err
        namespace["LANG"] = "en"
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()) as out:
                warnings.simplefilter("error")
                fig = eval(compile(ast.Expression(last.value), where, "eval"), namespace)
        except Exception as err:
            raise PageError(f"{run.page}: cell {cell.name!r} with LANG = 'en' raised "
                            f"{type(err).__name__}: {err}") from err
        finally:
            namespace["LANG"] = "zh"
        if out.getvalue():
            raise PageError(f"{run.page}: cell {cell.name!r}: the figure call printed "
                            f"something; a figure cell's last expression only draws")
        if not isinstance(fig, Figure):
            raise PageError(f"{run.page}: cell {cell.name!r} with LANG = 'en' gave "
                            f"{type(fig).__name__}, not a Figure")
        if state_fingerprint(namespace) != before:
            raise PageError(f"{run.page}: cell {cell.name!r}: drawing the figure again "
                            f"(LANG = 'en') changed the page's variables (a generator "
                            f"drawn from, an array or object changed): a figure cell's "
                            f"last expression may only draw, or the two editions would "
                            f"not show the same run")
    # drawn first, so that tick labels exist (without render, only the text set so far)
    svg = figure_to_svg(fig) if render else ""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        if CJK.search(text.get_text()):
            raise PageError(f"{run.page}: cell {cell.name!r}: the English figure has the "
                            f"text {text.get_text()!r}; give its function a 'lang' "
                            f"argument and an English entry in its text table")
    return svg


def state_fingerprint(namespace: dict) -> str:
    """A hash of the state a page's later cells could read: its variables, followed
    into containers, objects' attributes (``__dict__`` and every ``__slots__``),
    class attributes, functions' defaults and closures, partials and bound methods'
    objects; arrays by their bytes (and masks), generators of random numbers by
    their state; plus NumPy's and ``random``'s global generators. Not followed:
    modules, code and Matplotlib artists. An object it cannot read (a Python
    generator expression, say) is a ``TypeError``, not a silent pass.

    The build takes it before and after the English edition's second call of a
    figure cell's last expression: equal means that call changed nothing the next
    cells see, so both editions show the same run. (It cannot see what the first,
    Chinese, call changed; that call is the page's own, which every reader runs.)

    >>> import numpy as np
    >>> ns = {"rng": np.random.default_rng(0), "x": [np.zeros(2)]}
    >>> a = state_fingerprint(ns); _ = ns["rng"].random(); a == state_fingerprint(ns)
    False
    >>> a = state_fingerprint(ns); ns["x"][0][1] = 1.0; a == state_fingerprint(ns)
    False
    >>> a = state_fingerprint(ns); ns["x"][0][1] = 1.0; a == state_fingerprint(ns)
    True
    >>> state_fingerprint({"g": (i for i in range(3))})
    Traceback (most recent call last):
    ...
    TypeError: cannot read the state of a generator (in g)
    """
    import collections
    import functools
    import random
    import types

    import numpy as np
    from matplotlib.artist import Artist

    digest = hashlib.sha256()
    seen: dict[int, object] = {}    # (kept alive, so that no id is reused meanwhile)
    skip = (types.ModuleType, types.CodeType, types.BuiltinFunctionType, Artist)
    plain = (int, float, complex, str, bytes, bool, type(None), np.generic, range, slice)
    own = namespace.get("__name__")     # functions and classes the page itself defines
    todo = [("(globals)", np.random.get_state(legacy=False)), ("(globals)", random.getstate())]
    todo += [(k, v) for k, v in sorted(namespace.items(), key=lambda kv: kv[0], reverse=True)
             if k not in ("__builtins__", "__name__", "LANG")]
    while todo:
        where, obj = todo.pop()
        if isinstance(obj, skip):
            continue
        if isinstance(obj, plain):
            digest.update(repr(obj).encode())
            continue
        if id(obj) in seen:
            digest.update(b"<seen>")
            continue
        seen[id(obj)] = obj
        digest.update(type(obj).__qualname__.encode())
        parts: list = []
        if isinstance(obj, np.ndarray):
            digest.update(f"{obj.dtype.str}{obj.shape}".encode())
            if obj.dtype == object:
                parts = list(obj.ravel())
            else:
                digest.update(np.ascontiguousarray(obj).tobytes())
            if isinstance(obj, np.ma.MaskedArray):
                parts.append(np.ma.getmaskarray(obj))
        elif isinstance(obj, np.random.Generator):
            parts = [obj.bit_generator.state]
        elif isinstance(obj, np.random.BitGenerator):
            parts = [obj.state]
        elif isinstance(obj, np.random.RandomState):
            parts = [obj.get_state(legacy=False)]
        elif isinstance(obj, random.Random):
            parts = [obj.getstate()]
        elif isinstance(obj, dict):
            keys = sorted(obj, key=repr)
            digest.update(repr(keys).encode())
            parts = [obj[k] for k in keys]
        elif isinstance(obj, (list, tuple, collections.deque)):
            parts = list(obj)
        elif isinstance(obj, (set, frozenset)):
            parts = sorted(obj, key=repr)
        elif isinstance(obj, (bytearray, memoryview)):
            digest.update(bytes(obj))
        elif isinstance(obj, functools.partial):
            parts = [obj.func, obj.args, obj.keywords]
        elif isinstance(obj, types.MethodType):
            parts = [obj.__self__, obj.__func__]
        elif isinstance(obj, types.FunctionType):
            if obj.__module__ == own:   # (a library's functions hold no page state)
                cells = [c.cell_contents for c in obj.__closure__ or ()
                         if _filled(c)]
                parts = [obj.__defaults__, obj.__kwdefaults__, cells]
        elif isinstance(obj, type):
            if obj.__module__ == own:
                parts = [v for k, v in sorted(vars(obj).items()) if not k.startswith("__")]
        else:
            slots = [name for cls in type(obj).__mro__ for name in getattr(cls, "__slots__", ())
                     if isinstance(name, str)]
            if hasattr(obj, "__dict__"):
                parts.append(vars(obj))
            parts += [getattr(obj, name, None) for name in slots if name != "__dict__"]
            if not hasattr(obj, "__dict__") and not slots:
                try:
                    reduced = obj.__reduce_ex__(4)
                except TypeError as err:
                    raise TypeError(f"cannot read the state of a {type(obj).__name__} "
                                    f"(in {where or 'the page'})") from err
                if isinstance(reduced, str):      # a module-level singleton
                    digest.update(reduced.encode())
                else:
                    parts = list(reduced[1:])
        todo.extend((where, part) for part in reversed(parts))
    return digest.hexdigest()


def _filled(cell) -> bool:
    """Whether a closure cell holds a value yet (an empty one raises on reading)."""
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def _fresh_process_state() -> None:
    """Undo what an earlier page run in this process may have changed globally, so
    that a page prints and draws the same whichever pages ran before it here (in a
    worker or in the serial build) as in a reader's fresh Python: Matplotlib's
    settings, NumPy's print options and floating-point error handling."""
    import matplotlib
    import numpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")    # rcdefaults() warns about deprecated keys
        matplotlib.rcdefaults()
    matplotlib.use("Agg")
    numpy.set_printoptions(**NUMPY_PRINT_DEFAULTS)
    numpy.seterr(**NUMPY_ERR_DEFAULTS)


NUMPY_PRINT_DEFAULTS = {"edgeitems": 3, "threshold": 1000, "floatmode": "maxprec",
                        "precision": 8, "suppress": False, "linewidth": 75, "nanstr": "nan",
                        "infstr": "inf", "sign": "-", "formatter": None, "legacy": False,
                        "override_repr": None}
NUMPY_ERR_DEFAULTS = {"all": "warn", "under": "ignore"}


def run_page(page: str, use_cache: bool = True) -> PageRun:
    """Run (or load from the cache) one page; Matplotlib is imported only to run."""
    run = prepare(page)
    if not (use_cache and _load_cached(run)):
        _execute(run)
        _store(run)
    return run


def _load_cached(run: PageRun) -> bool:
    cache = CACHE_DIR / f"{run.page}.json"
    if not cache.is_file():
        return False
    data = json.loads(cache.read_text(encoding="utf-8"))
    if data.get("key") != run.key:
        return False
    run.cells = [Cell(**c) for c in data["cells"]]
    run.seconds, run.cached = data["seconds"], True
    return True


def _store(run: PageRun) -> None:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cache = CACHE_DIR / f"{run.page}.json"
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")  # concurrent builds never share a temp file
    tmp.write_text(json.dumps({"key": run.key, "seconds": run.seconds,
                               "cells": [asdict(c) for c in run.cells]}), encoding="utf-8")
    tmp.replace(cache)


def build_jobs() -> int:
    """How many processes the build runs pages (and renders notebooks) in:
    ``NNDL_BUILD_JOBS`` if set (1 = everything in the build's own process, in
    page order), else one per core this process may use."""
    value = os.environ.get("NNDL_BUILD_JOBS", "")
    if not value:
        if hasattr(os, "sched_getaffinity"):   # the cores this process may use
            return len(os.sched_getaffinity(0)) or 1
        return os.cpu_count() or 1
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"NNDL_BUILD_JOBS must be a positive integer, not {value!r}")
    return int(value)


@contextlib.contextmanager
def worker_pool(jobs: int):
    """A pool of ``jobs`` fresh interpreters (``spawn``, as on macOS and Windows:
    no state is inherited from the build), or ``None`` when ``jobs`` is 1."""
    if jobs <= 1:
        yield None
        return
    import concurrent.futures
    import multiprocessing

    pool = concurrent.futures.ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker, initargs=(str(ROOT),))
    try:
        yield pool
    except BaseException:
        # Ctrl-C or a failure: stop the workers now rather than finish queued pages
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _init_worker(root: str) -> None:
    if root not in sys.path:
        sys.path.insert(0, root)
    import tools  # noqa: F401  (pins BLAS threads as the build does, before NumPy loads)


def execute_in_worker(run: PageRun) -> PageRun:
    """Pool task: run a prepared page and return it with its outputs."""
    _execute(run)
    return run


def load_cached(pages: list[str]) -> tuple[dict[str, PageRun], list[PageRun]]:
    """Prepare ``pages``: ``(the cached runs by page, the prepared runs still to do)``."""
    runs, todo = {}, []
    for page in pages:
        run = prepare(page)
        if _load_cached(run):
            runs[page] = run
        else:
            todo.append(run)
    return runs, todo


def submit(todo: list[PageRun], pool) -> dict:
    """Hand the runs ``todo`` to ``pool``: ``{page: future}``; without a pool,
    ``{page: run}``, to be run by ``finish_page`` in this process.

    The largest pages (by the seconds of their last run) go first, so the pool's
    last task is a short one; what runs where never changes a page's output,
    since every page runs in a fresh namespace with its own seeded generators.
    """
    if pool is None:
        return {run.page: run for run in todo}
    todo = sorted(todo, key=lambda r: -_last_seconds(r.page))
    return {run.page: pool.submit(execute_in_worker, run) for run in todo}


def finish_page(pending_item) -> PageRun:
    """The finished run of one ``submit`` entry, stored in the page cache."""
    if isinstance(pending_item, PageRun):
        _execute(pending_item)
        run = pending_item
    else:
        run = pending_item.result()
    _store(run)
    return run


def _last_seconds(page: str) -> float:
    try:
        return float(json.loads((CACHE_DIR / f"{page}.json").read_text("utf-8"))["seconds"])
    except (OSError, ValueError, KeyError):
        return 0.0


@functools.cache
def build_style():
    """The plotting style of the site build: the house style plus the bundled CJK font.

    Returns ``apply_style``, which the runner calls before every cell.
    """
    import matplotlib
    from matplotlib import font_manager

    from snippets.plotting import apply_style

    matplotlib.use("Agg")
    font = cjk_font_path()
    if font.name not in {Path(f.fname).name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(font))
    return apply_style


def cjk_font_path() -> Path:
    import pylopdf_fonts_zh_cn

    path = Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf"
    if not path.is_file():
        raise PageError(f"CJK font missing: {path}")
    return path


if __name__ == "__main__":
    for name in sys.argv[1:] or page_names():
        result = run_page(name, use_cache=False)
        for c in result.cells[1:]:
            print(f"# %% {c.name}  ({c.seconds:.2f} s)\n{c.code}")
            print("".join(f"#> {line}\n" for line in c.stdout.splitlines()), end="")
            if c.svg:
                print(f"#> [figure, {len(c.svg) / 1024:.1f} KiB SVG]")
