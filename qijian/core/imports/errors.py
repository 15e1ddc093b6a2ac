"""Problems found in an uploaded table: file-level refusals and row-and-column issues."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
LEVEL_LABELS = {ERROR: "错误", WARNING: "警告"}


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (wrong format, encoding, headers, size). Message in Chinese."""

    def __init__(self, message: str, *, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column

    def describe(self) -> str:
        where = f"第{self.row}行" if self.row else ""
        where += f"“{self.column}”列" if self.column else ""
        return f"{where}:{self.message}" if where else self.message


class InvalidRowsError(Exception):
    """Raised after the last row when some row had an error: rolls the whole load back."""


@dataclass(frozen=True, slots=True)
class RowIssue:
    row: int
    column: str
    message: str
    level: str = ERROR

    def describe(self) -> str:
        return f"第{self.row}行“{self.column}”列:{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message, "level": self.level}


@dataclass
class Issues:
    """The issues of one import, in the order found."""

    items: list[RowIssue] = field(default_factory=list)
    error_count: int = 0

    def error(self, row: int, column: str, message: str) -> None:
        self.items.append(RowIssue(row, column, message, ERROR))
        self.error_count += 1

    def warning(self, row: int, column: str, message: str) -> None:
        self.items.append(RowIssue(row, column, message, WARNING))

    def extend(self, items: list[RowIssue]) -> None:
        self.items.extend(items)
        self.error_count += sum(1 for issue in items if issue.level == ERROR)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def warning_count(self) -> int:
        return len(self.items) - self.error_count

    def by_row(self) -> dict[int, list[RowIssue]]:
        out: dict[int, list[RowIssue]] = {}
        for issue in self.items:
            out.setdefault(issue.row, []).append(issue)
        return out
