"""The figures service: every performance figure of docs/figures.md, computed in one place.

Importing this package registers every figure; read them through ``reports.selectors``.
"""

from reports.figures import cic, consultations, cp, hsb, people, qa  # noqa: F401 - registers the figures they define
from reports.figures.base import REGISTRY, Figure, FigureQuery, FigureQueryError

__all__ = ["REGISTRY", "Figure", "FigureQuery", "FigureQueryError"]
