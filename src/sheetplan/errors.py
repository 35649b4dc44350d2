"""What can go wrong, as values (data problems) and as exceptions (the run cannot go on).

Exit codes live here and only here; the CLI maps exceptions to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import ClassVar


class ExitStatus(IntEnum):
    OK = 0
    PROBLEMS = 1
    """Data errors found by `check`, or a structural problem: nothing was written."""
    USAGE = 2
    """Click's own code for a wrong command line."""
    FILE = 3
    """The operating system refused: permission, disk full, a file locked by another program."""
    INTERNAL = 4
    """A bug in sheetplan: one line, and the traceback with --debug."""


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class DataProblem:
    """One problem in the user's data, located as precisely as the data allows.

    `sheet` and `column` are the names as they stand in the user's workbook; `row` is the
    spreadsheet row number (1-based); `code` is a stable identifier for scripts; `message`
    is already in the workbook's language."""

    severity: Severity
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    found: str | None = None

    def sort_key(self) -> tuple:
        return (self.severity.rank, self.sheet or "", self.row or 0, self.column or "", self.code)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "found": self.found,
            "message": self.message,
        }


class SheetplanError(Exception):
    """Base of the errors that stop a command, each with a one-line message for the user."""

    exit_code: ClassVar[int] = ExitStatus.PROBLEMS


class InputError(SheetplanError):
    """The user's workbook cannot be used: not a workbook, or a required sheet or column missing."""

    exit_code: ClassVar[int] = ExitStatus.PROBLEMS


class ExportProblem(InputError):
    """A platform export cannot be imported (unknown layout, empty, unreadable): one line,
    the file name first, saying what was found and what to do."""


class UsageError(SheetplanError):
    """The command line asks for something sheetplan will not do (a file that exists without
    --force, a name without a workbook extension, -o that is not a folder for several plans)."""

    exit_code: ClassVar[int] = ExitStatus.USAGE


class FileError(SheetplanError):
    """Reading or writing a file failed for a reason outside the workbook's content."""

    exit_code: ClassVar[int] = ExitStatus.FILE


@dataclass(frozen=True)
class MoreLikeThis:
    """Where a list of problems was cut: `count` more of the same kind as `last`."""

    last: DataProblem
    count: int


def cut_per_kind(problems, limit: int | None) -> list[DataProblem | MoreLikeThis]:
    """The problems in order, each kind (severity, code, sheet) cut after `limit` with one
    MoreLikeThis where the cut falls: a log pasted over itself reads as one problem to fix,
    not 97,000 lines (None: every problem)."""
    if limit is None:
        return list(problems)
    shown: list[DataProblem | MoreLikeThis] = []
    seen: dict[tuple, int] = {}
    cut_at: dict[tuple, int] = {}
    for problem in problems:
        kind = (problem.severity, problem.code, problem.sheet)
        count = seen[kind] = seen.get(kind, 0) + 1
        if count <= limit:
            shown.append(problem)
            if count == limit:
                cut_at[kind] = len(shown)
    for kind, at in sorted(cut_at.items(), key=lambda item: -item[1]):
        if seen[kind] > limit:
            shown.insert(at, MoreLikeThis(shown[at - 1], seen[kind] - limit))
    return shown
