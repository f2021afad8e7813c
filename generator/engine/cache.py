"""The build cache in ``<site>/.dateline-cache/``: keys, load and store.

Every cache file starts with a header naming the cache format, the key it was written for
(Dateline's version and source, the settings the data depends on) and a digest of its
payload. A file whose header, key or digest does not match — another Dateline, another
site, a truncated write, a stray edit — is ignored and rebuilt, never trusted. Payloads are
pickles of plain data (tuples, strings, dates), written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.machinery
import os
import pickle
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from generator import __version__
from generator.errors import ContentError

#: The libraries whose output a build keeps: a reinstall or upgrade of any of them invalidates
#: the cache. Found without importing them, which would cost a no-change build more than the
#: rest of it.
LIBRARIES = ("markdown", "cmarkgfm", "pygments", "yaml", "jinja2", "markupsafe", "PIL")

MAGIC = b"DATELINE-CACHE 1\n"
_DIGEST_SIZE = 32


def digest(*parts: Any) -> str:
    """A stable hex digest of plain values (``hash()`` changes from run to run)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Dateline's version and the digest of its own source, so a changed Dateline (even an
    unreleased edit) never reads what an older one cached; plus the installed files of the
    libraries that shape the output."""
    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    for name in LIBRARIES:
        spec = importlib.machinery.PathFinder.find_spec(name)
        if spec is not None and spec.origin is not None:
            st = os.stat(spec.origin)
            h.update(f"{name} {spec.origin} {st.st_size} {st.st_mtime_ns}".encode())
    package = Path(__file__).parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def store(path: str | os.PathLike[str], key: str, data: Any) -> None:
    """Write ``data`` under ``key``, atomically: a reader sees the old file or the new one.
    Makes the folder when it is missing."""
    payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    header = MAGIC + key.encode() + b"\n" + hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest()
    folder, name = os.path.split(path)
    # Named for its writer (a process, a thread), so no other writer opens it meanwhile: cheaper
    # than tempfile's random names, which a cold build would pay for every article's body.
    temp = os.path.join(folder, f".tmp-{name}-{os.getpid()}-{threading.get_ident()}")
    try:
        with _created(temp, folder) as file:
            file.write(header)
            file.write(payload)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _created(path: str, folder: str) -> BinaryIO:
    """``path`` opened for writing; its ``folder`` is made only when missing, as it is only
    before the first file (or after a user deleted the cache)."""
    try:
        return open(path, "wb")
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        return open(path, "wb")


def load(path: str | os.PathLike[str], key: str) -> Any | None:
    """What ``store`` wrote under ``key``, or None when the file is missing, foreign or corrupt."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    prefix = MAGIC + key.encode() + b"\n"
    if not data.startswith(prefix):
        return None
    start = len(prefix) + _DIGEST_SIZE
    expected, payload = data[len(prefix) : start], data[start:]
    if hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest() != expected:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # a payload that passed the digest but not unpickling: still not trusted
        return None


# -- plain forms of what is cached ---------------------------------------------------------------


def plain_errors(errors: Iterable[ContentError]) -> tuple[tuple[str, int, str], ...]:
    return tuple((str(e.path), e.line, e.message) for e in errors)


def errors_from(values: Iterable[tuple[str, int, str]]) -> tuple[ContentError, ...]:
    return tuple(ContentError(Path(path), line, message) for path, line, message in values)
