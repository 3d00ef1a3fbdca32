"""The tables of the dashboards, as one shape that the page draws and the downloads write, so a
download holds exactly the rows of the page. CSV through the kernel's ``SafeCsvWriter``; Excel
through openpyxl, with dates as dates and numbers as numbers. In both, a cell of text that would
start a spreadsheet formula (=, +, -, @) is neutralised with a leading quote."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import HttpResponse
from django.utils.text import slugify

from iro_service.core.imports import FORMULA_STARTS, SafeCsvWriter, csv_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Cell:
    """One cell: its value (a date, a number, text or None) and, on the page, a link."""

    value: object
    url: str | None = None

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)

    @property
    def text(self) -> str:
        value = self.value
        if value is None:
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, date):
            return f"{value.day} {value:%b %Y}"
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return str(value)


def cell(value, url: str | None = None) -> Cell:
    """A cell, reading an ISO date string (as the figures' drill-down rows give) as a date."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        value = date.fromisoformat(value)
    return Cell(value, url)


@dataclass
class Table:
    """A table of a dashboard page: ``name`` is its key in the download link, ``caption`` says
    what it is, ``child_ids`` the children its rows show (for the access log)."""

    name: str
    caption: str
    headers: Sequence[str]
    rows: list[list[Cell]] = field(default_factory=list)
    numeric: Sequence[bool] = ()
    child_ids: list[int] = field(default_factory=list)
    # A table shown a page at a time: the GOV.UK pagination items (``pagination_links``).
    pagination: dict | None = None

    def __post_init__(self):
        if not self.numeric:
            self.numeric = [
                bool(self.rows)
                and all(row[i].numeric or row[i].value is None for row in self.rows)
                and any(row[i].numeric for row in self.rows)
                for i in range(len(self.headers))
            ]

    @property
    def columns(self):
        return list(zip(self.headers, self.numeric, strict=True))


def _excel_value(value):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime | date | int | float) or value is None:
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    text = str(value)
    # openpyxl writes a string starting with = as a formula: neutralise it as in the CSV.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv(table: Table, *, heading: Sequence[str]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel opens it as UTF-8
    writer = SafeCsvWriter(out)
    for line in heading:
        writer.writerow([line])
    writer.writerow([])
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([c.value.isoformat() if isinstance(c.value, date) else c.text for c in row])
    return out.getvalue().encode("utf-8")


def table_xlsx(table: Table, *, heading: Sequence[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = slugify(table.name)[:31] or "table"
    for line in heading:
        sheet.append([_excel_value(line)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([_excel_value(h) for h in table.headers])
    header_row = sheet.max_row
    for column in range(1, len(table.headers) + 1):
        sheet.cell(row=header_row, column=column).font = Font(bold=True)
    for row in table.rows:
        sheet.append([_excel_value(c.value) for c in row])
        for column, c in enumerate(row, start=1):
            if isinstance(c.value, date):
                sheet.cell(row=sheet.max_row, column=column).number_format = "DD/MM/YYYY"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for column_cells in sheet.iter_cols(min_row=header_row, max_row=sheet.max_row):
        width = max((len(str(c.value)) for c in column_cells if c.value is not None), default=8)
        sheet.column_dimensions[column_cells[0].column_letter].width = min(60, max(10, width + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_download(table: Table, *, fmt: str, heading: Sequence[str], filename: str) -> HttpResponse:
    """The table as a CSV or Excel download; ``heading`` names the figure, period and filters."""
    if fmt == "csv":
        response = HttpResponse(table_csv(table, heading=heading), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(table, heading=heading), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.{fmt}"'
    return response


__all__ = ["FORMATS", "Cell", "Table", "cell", "csv_cell", "table_download"]
