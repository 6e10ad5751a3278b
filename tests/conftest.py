"""Fixtures shared by the tests of the built site."""

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent   # the run's common temp dir
    out, log = shared / "site", shared / "site-build.log"
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            proc = build_site(out)
            log.write_text(f"{proc.returncode}\n{proc.stderr}", encoding="utf-8")
    code, stderr = log.read_text(encoding="utf-8").split("\n", 1)
    assert code == "0", stderr[-4000:]
    assert "WARNING" not in stderr, stderr
    return out
