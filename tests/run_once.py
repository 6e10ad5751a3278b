"""Work done once per test run and shared by the pytest-xdist workers: a directory
they all see, and a lock that lets one of them do the work while the others wait."""

import contextlib
import fcntl
from pathlib import Path


def shared_dir(tmp_path_factory, worker_id) -> Path:
    """A directory all pytest-xdist workers of this run share."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@contextlib.contextmanager
def locked(path: Path):
    """Hold an exclusive lock on ``path`` (one worker at a time)."""
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
