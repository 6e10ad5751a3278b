"""Fixtures shared by the tests of the built site."""

import importlib.metadata as metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import browser_support as bs
from run_once import locked, shared_dir

ROOT = Path(__file__).resolve().parent.parent


def build_site(out: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of this repository into ``out``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d",
                           str(out)], cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id):
    """The site, built once per test run with the README's strict build.

    Under pytest-xdist the workers share one build: the first to take the lock
    builds, the others wait for it and reuse the result.
    """
    shared = shared_dir(tmp_path_factory, worker_id)
    out, log = shared / "site", shared / "site-build.log"
    with locked(shared / "site.lock"):
        if not log.exists():
            proc = build_site(out)
            log.write_text(f"{proc.returncode}\n{proc.stderr}", encoding="utf-8")
    code, stderr = log.read_text(encoding="utf-8").split("\n", 1)
    assert code == "0", stderr[-4000:]
    assert "WARNING" not in stderr, stderr
    return out


@pytest.fixture(scope="session")
def served_site(tmp_path_factory, worker_id, site):
    """(directory, URL): the site built for http://127.0.0.1:<port>/nndl/ (SITE_URL, as
    the Pages workflow does, and a fixed SOURCE_DATE_EPOCH), once per test run,
    after ``site`` (so that it reuses that build's page cache)."""
    shared = shared_dir(tmp_path_factory, worker_id)
    out, log = shared / "site-subpath", shared / "site-subpath.json"
    with locked(shared / "site-subpath.lock"):
        if not log.exists():
            base = f"http://127.0.0.1:{bs.free_port()}{bs.SUBPATH}"
            proc = bs.build(bs.ROOT, out, site_url=base)
            log.write_text(json.dumps({"returncode": proc.returncode, "stderr": proc.stderr,
                                       "base": base}), encoding="utf-8")
    info = json.loads(log.read_text(encoding="utf-8"))
    assert info["returncode"] == 0, info["stderr"][-4000:]
    assert "WARNING" not in info["stderr"], info["stderr"]
    return out, info["base"]


# ------------------------------------------------- a reader's bare Python ----

KERNEL_ROOTS = ["numpy", "matplotlib", "ipykernel"]


def _closure(roots):
    """Names of the installed distributions that ``roots`` need (extras ignored)."""
    seen, todo = {}, list(roots)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a dependency for another platform or Python version
        seen[key] = dist
        for req in dist.requires or []:
            if "extra ==" not in req:
                todo.append(re.split(r"[ ;<>=!~\[(]", req, maxsplit=1)[0])
    return seen


def _make_kernel_env(env: Path):
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env / "venv")],
                   check=True)
    target = Path(subprocess.run(
        [str(env / "venv" / "bin" / "python"), "-c",
         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    here = Path(sysconfig.get_paths()["purelib"])
    for dist in _closure(KERNEL_ROOTS).values():
        for rel in dist.files or []:
            src = here / rel
            if src.is_file() and not str(rel).startswith(".."):
                dst = target / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
    spec = env / "kernels" / "minimal"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        # -I: no PYTHON* variables, no user site, not the working directory. The
        # deprecation warnings Python hides by default are shown, so that the notebook
        # test, which fails on anything a cell writes to stderr, sees them too.
        # (ImportWarning and ResourceWarning stay hidden here; the copied script's
        # imports are also run under `python -W error` by tests/test_pages.py.)
        "argv": [str(env / "venv" / "bin" / "python"), "-I",
                 "-W", "always::DeprecationWarning", "-W", "always::PendingDeprecationWarning",
                 "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "NumPy + Matplotlib only", "language": "python"}))


def _kernel_env_key() -> str:
    """A name for the kernel environment: the versions it copies and how it is made."""
    import hashlib

    import inspect

    made = inspect.getsource(_make_kernel_env) + inspect.getsource(_closure)
    dists = sorted(f"{k}=={d.version}" for k, d in _closure(KERNEL_ROOTS).items())
    return "env-" + hashlib.sha256((sys.version + made + " ".join(dists)).encode()).hexdigest()[:12]


@pytest.fixture(scope="session")
def kernel_env(tmp_path_factory, worker_id) -> Path:
    """A reader's bare Python: a virtual environment (``kernel_env / "venv"``) with
    only NumPy, Matplotlib and ipykernel (and what they need), copied from this one,
    and a kernelspec ``minimal`` for it under ``kernel_env / "kernels"``. Made once
    per test run; pytest-xdist workers share it. ``NNDL_KERNEL_ENV`` names a folder
    that keeps it between runs instead (``python -m tools.checkpage`` uses
    ``.cache/kernel-env``, remade when this environment's packages change)."""
    kept = os.environ.get("NNDL_KERNEL_ENV")
    shared = shared_dir(tmp_path_factory, worker_id)
    env = Path(kept) / _kernel_env_key() if kept else shared / "kernel-env"
    env.parent.mkdir(parents=True, exist_ok=True)
    with locked(env.parent / f"{env.name}.lock"):
        if not (env / "kernels" / "minimal" / "kernel.json").is_file():
            shutil.rmtree(env, ignore_errors=True)
            _make_kernel_env(env)
    return env


@pytest.fixture(scope="session")
def bare_python(kernel_env) -> str:
    """The interpreter of ``kernel_env``: NumPy and Matplotlib, nothing of this project."""
    return str(kernel_env / "venv" / "bin" / "python")


@pytest.fixture(scope="session")
def built_pages(request):
    """The page cache as the session's site build left it (when the session builds
    the site), so that a test reading a page's outputs (``pagerun.run_page``) does not
    run the page a second time while the build runs it. Under ``python -m tools.checkpage`` (``NNDL_NOTEBOOK_DIR``
    set) that command has run the page already, and no site is built."""
    if os.environ.get("NNDL_NOTEBOOK_DIR"):
        return
    # only when this session builds the site anyway (not in a run of the numeric tests
    # alone, which then runs the page itself, once)
    if any("site" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("site")
