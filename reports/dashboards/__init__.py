"""The dashboards: managers' performance tiles, targets and comparators, trends, drill-down to the
records behind every figure, IRO caseloads, business support's backlog and each IRO's own page.
Every number comes from the figures service (``reports.figures``) or the apps' selectors; none
is computed here."""
