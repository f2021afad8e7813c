"""The errors Dateline reports to its users.

DatelineError          anything the user can fix; printed without a traceback
├── ContentError       one problem at one place in one file: ``path:line: message``
└── BuildFailed        a build that stopped; carries every ContentError found
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class DatelineError(Exception):
    """A problem the user can fix; its message is what we print."""


@dataclass(frozen=True)
class ContentError(DatelineError):
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class BuildFailed(DatelineError):
    """Raised with every error found, so one run reports them all."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = tuple(sorted(errors, key=lambda e: (str(e.path), e.line, e.message)))
        super().__init__("\n".join(str(e) for e in self.errors))
