"""Figures about children in care (docs/figures.md, "Children in care" table).

Each figure is one database aggregate over a queryset from ``reviews.selectors`` (or two, for
the caseload per FTE): conditional counts with FILTER, comparing the cached due-date columns the
reviews app keeps, so the number of queries never depends on the number of children or reviews.
The drill-down functions return the rows behind a figure as plain dicts.

The figures live in the modules of this package, one per part of the table: ``population``,
``reviews``, ``iro_service`` and ``legal`` (Cafcass and legal advice); what they share is in
``_common``. They register in the order they are imported below, which is the order of the table.
"""

# The order of these imports is the registry's order, and so docs/figures.md's.
# isort: off
from reports.figures.cic import population  # noqa: F401 - registers its figures
from reports.figures.cic import reviews  # noqa: F401 - registers its figures
from reports.figures.cic import iro_service  # noqa: F401 - registers its figures
from reports.figures.cic import legal  # noqa: F401 - registers its figures

# isort: on
