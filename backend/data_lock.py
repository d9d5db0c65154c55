"""One `rungs run` per data folder: its embedded Redis socket and database are that process's own."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from backend.settings import ConfigurationError, usable_data_dir


@contextmanager
def holding(data_dir: Path) -> Iterator[None]:
    """Hold `rungs.lock` in the data folder for as long as the block runs.

    The operating system lets go of the lock when the process ends, however it ends, so a
    lock left by a crash never stands in the way. The file itself stays: removing it would let
    a process that opened the old file lock it while another locks a new one.
    """
    path = data_dir / "rungs.lock"
    if not path.exists():
        usable_data_dir(data_dir)
    try:
        opened = path.open("a+")
    except OSError as error:
        raise ConfigurationError(f"cannot open {path} ({error.strerror or error})") from None
    with opened as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise ConfigurationError(
                f"{data_dir} is in use by `rungs run` ({holder}); stop that one first, "
                "or give this one a DATA_DIR of its own"
            ) from None
        lock.truncate(0)
        lock.write(f"process {os.getpid()}\n")
        lock.flush()
        yield
