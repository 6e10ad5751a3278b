"""Fixtures shared by the tests of the built site."""

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
def site(tmp_path_factory):
    """The site, built once per test session with the README's strict build."""
    out = tmp_path_factory.mktemp("site")
    proc = build_site(out)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "WARNING" not in proc.stderr, proc.stderr
    return out
