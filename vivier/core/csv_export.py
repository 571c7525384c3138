"""CSV exports for French Excel: ";" separator, a BOM, and cells that never run as formulas."""

import csv
from collections.abc import Iterable
from typing import Any

# Spreadsheets run a cell starting with these as a formula (CSV injection): quote it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file whose write returns what it is given, for csv.writer in a streaming response."""

    def write(self, value: str) -> str:
        return value


class ExcelCsv:
    """Formats CSV lines one at a time, for a streaming response."""

    def __init__(self) -> None:
        self._writer = csv.writer(_Echo(), delimiter=";")

    def header(self, names: Iterable[str]) -> str:
        """The first line, with the BOM that makes Excel read UTF-8."""
        return "\ufeff" + self._writer.writerow(list(names))

    def row(self, values: Iterable[Any]) -> str:
        """One line, every cell made safe."""
        return self._writer.writerow([safe_cell(value) for value in values])
