"""What every import of a statutory return shares: the problems it reports, the error that
rejects a file, and reading CSV files that may be large or malformed.

An import validates everything before it writes anything. Each problem names the file, where in
it (row number or element path), the field and a plain message, so that the person who
produced the file can mend every row in one go rather than one per attempt.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

# Reports and the import history keep this many problems; the count is always exact.
PROBLEMS_KEPT = 500


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.file}, {self.where}" if self.where else self.file
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ImportRejected(Exception):
    """The file cannot be imported as it stands; nothing was written."""

    def __init__(self, problems: list[Problem], count: int | None = None):
        self.problems = problems[:PROBLEMS_KEPT]
        self.count = len(problems) if count is None else count
        super().__init__(f"{self.count} problem(s), the first: {problems[0] if problems else ''}")


@dataclass
class Problems:
    """Collects problems, keeping the first ``PROBLEMS_KEPT`` but counting all of them."""

    kept: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, file: str, where: str, field_name: str, message: str) -> None:
        self.count += 1
        if len(self.kept) < PROBLEMS_KEPT:
            self.kept.append(Problem(file, where, field_name, readable(message)))

    def __bool__(self) -> bool:
        return self.count > 0

    def reject_if_any(self) -> None:
        if self.count:
            raise ImportRejected(self.kept, self.count)


# A message quotes the value it is about, which may be a megabyte long or hold characters that
# PostgreSQL cannot store (NUL): the history keeps the message, so it is kept short and storable.
MESSAGE_LIMIT = 400


def readable(text: str) -> str:
    """``text`` with NUL and other control characters shown as U+FFFD and, if too long for a
    message, its middle cut out (the end of a message says what to do, so it stays)."""
    text = "".join("\ufffd" if (ord(ch) < 32 and ch not in "\t\n") or ch == "\x7f" else ch for ch in text)
    if len(text) > MESSAGE_LIMIT:
        text = text[: MESSAGE_LIMIT // 2] + " … " + text[-(MESSAGE_LIMIT // 2) :]
    return text


IMPORT_STATES = ("created", "updated", "unchanged")


@dataclass
class Tally:
    """Records created, updated and left unchanged, per kind of record; for an export, also its
    entry in the history (``exchange``), which holds what the DfE's rules found."""

    kinds: dict[str, dict[str, int]] = field(default_factory=dict)
    exchange: object | None = field(default=None, compare=False, repr=False)

    def add(self, kind: str, what: str, number: int = 1) -> None:
        if kind not in self.kinds:
            # An import shows all three, zeros included; an export counts what it wrote.
            self.kinds[kind] = {"created": 0, "updated": 0, "unchanged": 0} if what in IMPORT_STATES else {}
        counts = self.kinds[kind]
        counts[what] = counts.get(what, 0) + number

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {kind: dict(counts) for kind, counts in self.kinds.items()}


def parse_dmy(value: str) -> date:
    """A DD/MM/YYYY date as the DfE's CSV returns write them; ValueError otherwise."""
    value = value.strip()
    if len(value) != 10 or value[2] != "/" or value[5] != "/":
        raise ValueError(value)
    return datetime.strptime(value, "%d/%m/%Y").date()  # noqa: DTZ007 - a calendar date, no time


def format_dmy(day: date | None) -> str:
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_iso(value: str) -> date:
    """An xs:date (YYYY-MM-DD) as the CIN census XML writes them; ValueError otherwise."""
    return date.fromisoformat(value.strip())


# An old Mac line ending (CR alone) ends a line too; CRLF is one line ending, not two.
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


class CsvTable:
    """A CSV file read a row at a time (so a national file never sits in memory whole), with
    its header checked first. Rows are dicts keyed by the expected column names; ``row_number``
    is the line a spreadsheet would show, the header being row 1."""

    def __init__(self, source: Path | io.BufferedIOBase, *, name: str, columns: Iterable[str]):
        self.name = name
        self.columns = tuple(columns)
        self.source = source

    def _lines(self, raw) -> Iterator[str]:
        """The file's lines as text, decoded one line at a time, so that a byte that is not
        UTF-8 is reported at its own row. Lines end only at CR, LF or CRLF, as CSV's do: a text
        decoder's readline would also end one at a Unicode line or paragraph separator (U+2028,
        U+0085 ...) inside a value, splitting its row in two and numbering the rest wrongly."""
        # utf-8-sig drops the byte-order mark Excel writes; strict errors so that a file saved
        # in another encoding is reported, not silently mangled.
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        for line in raw:  # a binary file's lines end at LF only
            for part in _LONE_CR.split(decoder.decode(line)):
                if part:
                    yield part
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail

    def rows(self, problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (row number, row). A malformed file adds one problem and stops."""
        raw = open(self.source, "rb") if isinstance(self.source, Path) else self.source  # noqa: SIM115
        try:
            reader = csv.reader(self._lines(raw), strict=True)
            try:
                header = next(reader, None)
            except (UnicodeDecodeError, csv.Error) as error:
                problems.add(self.name, "row 1", "", _unreadable(error))
                return
            if header is None or not any(cell.strip() for cell in header):
                problems.add(
                    self.name, "", "", "The file is empty: it should start with a row of column names."
                )
                return
            header = [cell.strip().upper() for cell in header]
            missing = [column for column in self.columns if column not in header]
            unexpected = [column for column in header if column not in self.columns]
            if missing or unexpected:
                parts = []
                if missing:
                    parts.append("missing " + ", ".join(missing))
                if unexpected:
                    parts.append("not expected " + ", ".join(unexpected))
                problems.add(
                    self.name,
                    "row 1",
                    "",
                    f"The columns are not those of this table ({'; '.join(parts)}). "
                    f"Expected: {', '.join(self.columns)}.",
                )
                return
            positions = [header.index(column) for column in self.columns]
            width = len(header)
            row_number = 1
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except (UnicodeDecodeError, csv.Error) as error:
                    problems.add(self.name, f"row {row_number + 1}", "", _unreadable(error))
                    return
                row_number += 1
                if not cells or not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != width:
                    problems.add(
                        self.name,
                        f"row {row_number}",
                        "",
                        f"The row has {len(cells)} values where the header has {width} columns.",
                    )
                    continue
                yield (
                    row_number,
                    {
                        column: cells[position].strip()
                        for column, position in zip(self.columns, positions, strict=True)
                    },
                )
        finally:
            if isinstance(self.source, Path):
                raw.close()


def _unreadable(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return (
            "The file is not in UTF-8 text (it may be a spreadsheet or saved in another encoding). "
            "Save it as 'CSV UTF-8' and try again."
        )
    return f"The file is not valid CSV ({error})."


# A cell starting with one of these is read by Excel (and LibreOffice) as a formula, which can
# run commands or send data away when a council officer opens the file (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """``value`` as text that a spreadsheet shows as it is: one that would start a formula gets a
    single quote in front (OWASP's advice), which the spreadsheet shows and does not run."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeCsvWriter:
    """``csv.writer`` with every cell passed through ``csv_cell``. Every CSV file the service
    writes is written with this (a test fails on any other CSV writer in the code)."""

    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[Iterable[str]]) -> int:
    """Write a CSV table with Windows line endings, as the DfE's tools expect; returns the rows."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = SafeCsvWriter(handle, lineterminator="\r\n")
        writer.writerow(list(columns))
        for row in rows:
            writer.writerow(list(row))
            count += 1
    return count


def tally_lines(tally: Tally) -> list[str]:
    """One line per kind of record, e.g. 'children: 3 created, 1 updated, 0 unchanged'."""
    return [
        f"{kind}: " + ", ".join(f"{number} {what}" for what, number in counts.items())
        for kind, counts in tally.as_dict().items()
    ]


def rejection_lines(rejected: ImportRejected) -> list[str]:
    """Every problem kept, one a line, then a summary line."""
    lines = [str(problem) for problem in rejected.problems]
    if rejected.count > len(rejected.problems):
        lines.append(f"... and {rejected.count - len(rejected.problems)} more.")
    lines.append(f"Rejected: {rejected.count} problem(s). Nothing was imported.")
    return lines
