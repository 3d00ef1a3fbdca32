"""Importing the child protection module of a CIN census file.

What each element becomes:

- ``Child`` (matched by ``LAchildID`` = ``Child.local_child_id``): the child, with UPN (or the
  UPNunknown code), date or expected date of birth, sex (``Sex`` M/F/U as it is, the element
  from 2024-25, or ``GenderCurrent`` 1/2/0/9 -> M/F/U/U, the one before; whichever the file
  holds), ethnicity and disabilities. A child who is in no household gets a one-child family
  (reference ``CIN-<LAchildID>``), because conferences are for a family.
- ``CINdetails``: a ``CinEpisode`` (referral, source, primary need, closure, NFA, episode-level
  DateOfInitialCPC), kept so that the export can repeat them.
- ``Section47``: a ``Section47Enquiry`` from ``S47ActualStartDate``. The census does not give the
  strategy discussion; the enquiry is recorded against a strategy discussion dated on the s47
  start (the latest it can have been), so that the initial conference counts from it.
- each ``DateOfInitialCPC``: a held initial conference (pre-birth when the child was not yet
  born), linked to its section 47 enquiry, with no chair (the census does not say who chaired).
- ``ChildProtectionPlans``: a ``ChildProtectionPlan`` starting on ``CPPstartDate`` (at the initial
  conference on that date, if there is one) and ending on ``CPPendDate`` (at the review on that
  date, if there is one; end reason "not recorded (imported)"); categories from
  ``LatestCategoryOfAbuse`` (MUL: more than one, not itemised), ``InitialCategoryOfAbuse`` and
  ``NumberOfPreviousCPP`` kept on the plan (0 accepted).
- each ``CPPreviewDate``: a held review conference (the plan's first is the 1st review).

Matching, so that importing the same file twice changes nothing: children by LAchildID,
enquiries by child and start date, conferences by child, date and initial-or-review, plans by
child and start date, episodes by child and referral date. Values that differ are updated.

Everything is checked before anything is written; any problem rejects the whole file.

The steps live in the modules of this package: ``reader`` reads and checks the file,
``wanted`` works out from each child's elements the records the file describes, ``writer``
matches them with what is held and writes them; this module runs them (``import_cin_census``)
and makes the checks that need the database.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from lxml import etree

from conferences.cin_census.reader import ChildIn, read_children
from conferences.cin_census.writer import CHUNK, _batches, _write
from conferences.models import ChildProtectionPlan
from iro_service.audit.models import ExchangeFormat
from iro_service.audit.services import data_import_run
from iro_service.core.dfe import CIN_CENSUS, dfe_rules_run, file_texts, validator_python
from iro_service.core.formats import long_date
from iro_service.core.imports import Problems, Tally


class _DryRun(Exception):
    """Raised inside the transaction to roll back a dry run once its counts are known."""

    def __init__(self, tally: Tally):
        self.tally = tally


def import_cin_census(
    source: Path | io.IOBase, *, name: str, dry_run: bool = False, user=None, exchange=None
) -> Tally:
    """Import the child protection module of the CIN census file ``source`` (a path, or a binary
    file object such as an upload; ``name`` is the file name used in messages), all or nothing.

    Returns the records created, updated and unchanged per kind. Raises ``ImportRejected`` with
    every problem found when anything is wrong; nothing is then written. ``dry_run`` checks the
    file and works out the counts, then writes nothing. Every run, rejected ones included, is
    kept in the import history (``DataExchange``)."""
    return data_import_run(
        data_format=ExchangeFormat.CIN_CENSUS,
        files=[name],
        dry_run=dry_run,
        user=user,
        run=lambda: _import(source, name=name, dry_run=dry_run, user=user),
        exchange=exchange,
        dfe_check=lambda: _dfe_check(source, name=name),
    )


def _dfe_check(source: Path | io.IOBase, *, name: str):
    """The DfE's rules of the census's own collection year (its header's <Year>), run on the
    file as it came. A file whose year cannot be read is not checked: the project's own
    checks say what is wrong with it."""
    if validator_python() is None:  # switched off: the file need not be read again
        return None
    text = file_texts({name: source})[name]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
        year = int(root.findtext(".//{*}CollectionDetails/{*}Year") or "")
    except (etree.XMLSyntaxError, ValueError):
        return None
    return dfe_rules_run(return_kind=CIN_CENSUS, year=year, files={name: text})


def _import(source: Path | io.IOBase, *, name: str, dry_run: bool, user) -> Tally:
    problems = Problems()
    try:
        with transaction.atomic():
            children = list(read_children(source, name=name, problems=problems))
            _check_against_database(children, problems=problems, name=name)
            problems.reject_if_any()
            try:
                tally = _write(children, user=user)
            except (IntegrityError, ValidationError) as error:
                # A safety net: the checks above should leave nothing for the database to
                # refuse, but if they missed something the person still gets a message.
                problems.add(name, "", "", f"The file could not be saved: {error}")
                problems.reject_if_any()
            if dry_run:
                raise _DryRun(tally)
    except _DryRun as run:
        tally = run.tally
    return tally


# --- checks that need the database ----------------------------------------------------------


def _check_against_database(children: list[ChildIn], *, problems: Problems, name: str) -> None:
    """Plans already held for a child must not overlap the file's plans (those with the same
    start date are the same plan, and will be updated)."""
    for chunk in _batches(children, CHUNK):
        held = defaultdict(list)
        rows = ChildProtectionPlan.objects.filter(child__local_child_id__in=[c.child_id for c in chunk])
        for child_id, start, end in rows.values_list("child__local_child_id", "start_date", "end_date"):
            held[child_id].append((start, end))
        for child in chunk:
            starts = {plan.start for plan in child.plans}
            for start, end in held.get(child.child_id, []):
                if start in starts:
                    continue
                for plan in child.plans:
                    if (end is None or end > plan.start) and (plan.end is None or plan.end > start):
                        held_span = f"from {long_date(start)}" + (
                            f" to {long_date(end)}" if end else " (still open)"
                        )
                        problems.add(
                            name,
                            plan.where,
                            "CPPstartDate",
                            f"The plan starting {long_date(plan.start)} overlaps the plan "
                            f"{held_span} already "
                            "recorded for this child: one child's plans cannot overlap. Correct the dates "
                            "in the file or in the child's record.",
                        )
