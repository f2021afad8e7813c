"""The errors Dateline reports to its users.

DatelineError          anything the user can fix; printed without a traceback
├── ContentError       one problem at one place in one file: ``path:line: message``
├── SourceUnreadable   a file the build found but then could not read: ``path: message``
└── BuildFailed        a build that stopped; carries every ContentError found
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class DatelineError(Exception):
    """A problem the user can fix; its message is what we print."""


# Not frozen: raising an exception through a generator-based context manager sets its
# __traceback__, which a frozen dataclass refuses (FrozenInstanceError instead of the error).
@dataclass(unsafe_hash=True)
class ContentError(DatelineError):
    path: Path
    line: int
    message: str
    page: str | None = None  # the URL of the page being rendered, for a template's error

    def __str__(self) -> str:
        during = f" (while rendering {self.page})" if self.page is not None else ""
        return f"{self.path}:{self.line}: {self.message}{during}"


class SourceUnreadable(DatelineError):
    """A source file listed at the start of a build that could not be read later on: most
    often deleted or renamed meanwhile (an editor saving, a checkout), which is no fault
    of the file, so the next build will do. Named like OSError's fields, which it replaces:
    an OSError from a build is otherwise taken for a failed write."""

    def __init__(self, filename: str, strerror: str, vanished: bool) -> None:
        super().__init__(filename, strerror, vanished)
        self.filename = filename
        self.strerror = strerror
        self.vanished = vanished

    @classmethod
    def of(cls, error: OSError) -> SourceUnreadable:
        vanished = isinstance(error, (FileNotFoundError, NotADirectoryError))
        return cls(os.fsdecode(error.filename), error.strerror or str(error), vanished)

    def __str__(self) -> str:
        if self.vanished:
            return f"{self.filename}: {self.strerror}; it changed or disappeared while building; build again"
        return f"{self.filename}: cannot read it: {self.strerror}"


class BuildFailed(DatelineError):
    """Raised with every error found, so one run reports them all."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = tuple(sorted(errors, key=lambda e: (str(e.path), e.line, e.message)))
        super().__init__("\n".join(str(e) for e in self.errors))
