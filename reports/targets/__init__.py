"""Targets and comparators: what managers set beside each figure, per reporting year. The
dashboards and the annual report read them through ``reports.targets.selectors``; they are
changed only through ``reports.targets.services``."""
