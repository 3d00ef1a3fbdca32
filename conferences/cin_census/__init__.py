"""The DfE CIN census (child protection module): import and export.

``import_cin_census`` and ``export_cin_census`` are the two entry points; the management
commands and the managers' upload page call them and nothing else."""

from conferences.cin_census.exporter import export_cin_census
from conferences.cin_census.importer import import_cin_census

__all__ = ["export_cin_census", "import_cin_census"]
