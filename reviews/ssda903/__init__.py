"""SSDA903 (children looked after) return: import and export. See importer.py and exporter.py."""

from reviews.ssda903.exporter import export_903
from reviews.ssda903.importer import import_903

__all__ = ["export_903", "import_903"]
