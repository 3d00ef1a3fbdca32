"""The SSDA903 code lists the reviews app validates against, by collection year (named by the
year it ends: 2017 is 2016-17), kept in the ``Code`` table.

Where each year comes from:

- **2016-17 to 2023-24** (2017 to 2024): the DfE's published specifications, as liiatools 0.2.0
  ships them (``liiatools/spec/s903/SSDA903_schema_<year>.yml``), copied unchanged under
  ``reviews/ssda903/spec/`` with their licence (see the README there for why they are copied).
  A code is valid in one of these years if and only if that year's file lists it.
- **2024-25 to 2026-27** (2025 to 2027): the DfE's own validation rules, the csc-validator-be-903
  package, one ruleset a year: ``reviews/ssda903/spec/dfe_rules_codes_<year>.yml``, written from
  the installed package by ``extract_dfe_codes.py`` there (the product never imports the
  package: it lives in the validators' own environment). A code is valid in one of these years
  if and only if that year's file lists it. Years after the newest ruleset use the newest, until
  the package ships a newer one (run the script again and add its year to ``DFE_RULES_YEARS``).
- **2003-04 to 2015-16** (before 2017): the table ``CODES`` below, which this project kept by hand
  from the DfE's SSDA903 guidance of those years before the published specifications were used;
  there is no machine-readable list for them. ``CODES`` also holds every code's label (neither
  the specifications nor the rules name the codes), shown on the pages.

Loaded by the data migration 0002 and again after every ``migrate`` (and after a test flush,
which empties tables), which makes the table exactly what these sources say.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import yaml

from iro_service.timescales.dates import collection_year

SPEC_DIR = Path(__file__).resolve().parent / "ssda903" / "spec"
SPEC_YEARS = range(2017, 2025)
FIRST_SPEC_YEAR = SPEC_YEARS[0]
# The years of the files extract_dfe_codes.py wrote from the DfE's rulesets.
DFE_RULES_YEARS = range(2025, 2028)
# The newest year any source covers: its codes stay valid in the years after it.
LATEST_SPEC_YEAR = DFE_RULES_YEARS[-1]

# Codes the DfE's rules end part-way through a collection year, where the lists above go by
# whole years: {(list, code): the last day a placement may be in it}. P2: rule 217t of the
# 2023-24 ruleset, "Placement type 'P2' is not a valid placement type from 28 October 2023",
# fails a P2 episode that ends after 28 October 2023 or is still open; so one that starts
# after that day always fails. It holds in that collection year alone: the 2024-25 ruleset
# deletes rule 217t and its rule 146 lists P2 again, until 2025-26's drops it. H5 and Z1 end
# with a whole year (rule 146 of 2025-26 no longer lists them): no rule gives them a day.
LAST_DAYS = {("PLACE", "P2"): date(2023, 10, 28)}

# Where each list of the Code table is in the specification: (table, column).
SPEC_COLUMNS = {
    "RNE": ("Episodes", "RNE"),
    "LS": ("Episodes", "LS"),
    "CIN": ("Episodes", "CIN"),
    "PLACE": ("Episodes", "PLACE"),
    "PLACE_PROVIDER": ("Episodes", "PLACE_PROVIDER"),
    "REC": ("Episodes", "REC"),
    "REASON_PLACE_CHANGE": ("Episodes", "REASON_PLACE_CHANGE"),
    "REVIEW_CODE": ("Reviews", "REVIEW_CODE"),
}

# (list, code, label, first_year, last_year): the label of every code, and the years before
# FIRST_SPEC_YEAR in which it was valid (first_year None: it was not; last_year None: it still was
# in 2015-16). Years from FIRST_SPEC_YEAR on come from the published specifications and the DfE
# rules files alone.
CODES = [
    ("RNE", "S", "Started to be looked after", 2004, None),
    ("RNE", "L", "Change of legal status only", 2004, None),
    ("RNE", "P", "Change of placement only", 2004, None),
    ("RNE", "T", "Change of legal status and placement", 2004, None),
    ("RNE", "B", "Change of legal status and placement provider only", 2004, None),
    ("RNE", "U", "Change of placement provider only", 2004, None),
    ("LS", "C1", "Interim care order", 2004, None),
    ("LS", "C2", "Full care order", 2004, None),
    ("LS", "D1", "Freeing order granted", 2004, None),
    ("LS", "E1", "Placement order granted", 2004, None),
    ("LS", "V2", "Single period of accommodation under section 20", 2004, None),
    ("LS", "V3", "Accommodated under an agreed series of short-term breaks, single placements", 2004, None),
    ("LS", "V4", "Accommodated under an agreed series of short-term breaks, multiple placements", 2004, None),
    ("LS", "L1", "Under police protection and in local authority accommodation", 2004, None),
    ("LS", "L2", "Emergency protection order", 2004, None),
    ("LS", "L3", "Under child assessment order and in local authority accommodation", 2004, None),
    ("LS", "J1", "Remanded to local authority accommodation or youth detention accommodation", 2004, None),
    ("LS", "J2", "Placed in local authority accommodation under PACE", 2004, None),
    ("LS", "J3", "Sentenced to CYPA 1969 supervision order with residence requirement", 2004, None),
    ("CIN", "N1", "Abuse or neglect", 2004, None),
    ("CIN", "N2", "Child's disability", 2004, None),
    ("CIN", "N3", "Parental illness or disability", 2004, None),
    ("CIN", "N4", "Family in acute stress", 2004, None),
    ("CIN", "N5", "Family dysfunction", 2004, None),
    ("CIN", "N6", "Socially unacceptable behaviour", 2004, None),
    ("CIN", "N7", "Low income", 2004, None),
    ("CIN", "N8", "Absent parenting", 2004, None),
    ("CIN", "N9", "Cases other than children in need", 2004, None),
    ("PLACE", "A3", "Placed for adoption with parental consent with current foster carer", 2004, None),
    ("PLACE", "A4", "Placed for adoption with parental consent not with current foster carer", 2004, None),
    ("PLACE", "A5", "Placed for adoption with placement order with current foster carer", 2004, None),
    ("PLACE", "A6", "Placed for adoption with placement order not with current foster carer", 2004, None),
    (
        "PLACE",
        "H5",
        "Semi-independent living accommodation not subject to children's homes regulations",
        2004,
        None,
    ),
    ("PLACE", "K1", "Secure children's homes", 2004, None),
    ("PLACE", "K2", "Children's homes subject to children's homes regulations", 2004, None),
    # K3 starts in 2024-25 and takes over from H5, which ends with 2024-25. Its label is the
    # package's words: rule 371 of 2024-25 checks K3 as "supported accomodation not subject to
    # children's homes regulations" where 2023-24's checked H5 as "semi-independent living
    # accommodation ...", and its ingress.py says "Supported accomodation has the placement
    # code K3".
    ("PLACE", "K3", "Supported accommodation", None, None),
    ("PLACE", "P1", "Placed with own parents or other person with parental responsibility", 2004, None),
    ("PLACE", "P2", "Independent living, for example in a flat or lodgings", 2004, None),
    ("PLACE", "P3", "Residential employment", 2004, None),
    ("PLACE", "R1", "Residential care home", 2004, None),
    (
        "PLACE",
        "R2",
        "NHS or health trust or other establishment providing medical or nursing care",
        2004,
        None,
    ),
    ("PLACE", "R3", "Family centre or mother and baby unit", 2004, None),
    ("PLACE", "R5", "Young offender institution or prison", 2004, None),
    (
        "PLACE",
        "S1",
        "All residential schools, except where dual-registered as a school and children's home",
        2004,
        None,
    ),
    ("PLACE", "T0", "All types of temporary move", 2016, None),
    ("PLACE", "T1", "Temporary periods in hospital", 2016, None),
    ("PLACE", "T2", "Temporary absences of the child on holiday", 2016, None),
    ("PLACE", "T3", "Temporary accommodation whilst normal foster carer is on holiday", 2016, None),
    ("PLACE", "T4", "Temporary accommodation of seven days or less", 2016, None),
    ("PLACE", "U1", "Foster placement with relative or friend, long-term fostering", 2004, None),
    (
        "PLACE",
        "U2",
        "Foster placement with relative or friend who is also an approved adopter (FFA)",
        2004,
        None,
    ),
    ("PLACE", "U3", "Foster placement with relative or friend, not long-term or FFA", 2004, None),
    ("PLACE", "U4", "Foster placement with other foster carer, long-term fostering", 2004, None),
    (
        "PLACE",
        "U5",
        "Foster placement with other foster carer who is also an approved adopter (FFA)",
        2004,
        None,
    ),
    ("PLACE", "U6", "Foster placement with other foster carer, not long-term or FFA", 2004, None),
    ("PLACE", "Z1", "Other placements", 2004, None),
    # Z11 to Z14 start in 2025-26, when Z1 ends. Neither the package nor the liiatools
    # specifications name them: the package only shows they divide Z1 (rule 503D accepts an open
    # Z1 episode of 2024-25 going on as one of them, and rule 178 gives them no provider, as it
    # gave Z1 none). Until the DfE's 2025-26 guidance wording is copied in, each says just that.
    ("PLACE", "Z11", "Other placements (Z11)", None, None),
    ("PLACE", "Z12", "Other placements (Z12)", None, None),
    ("PLACE", "Z13", "Other placements (Z13)", None, None),
    ("PLACE", "Z14", "Other placements (Z14)", None, None),
    ("PLACE_PROVIDER", "PR0", "Parent or other person with parental responsibility", 2004, None),
    ("PLACE_PROVIDER", "PR1", "Own provision by the council", 2004, None),
    ("PLACE_PROVIDER", "PR2", "Other local authority provision", 2004, None),
    ("PLACE_PROVIDER", "PR3", "Other public provision", 2004, None),
    ("PLACE_PROVIDER", "PR4", "Private provision", 2004, None),
    ("PLACE_PROVIDER", "PR5", "Voluntary or third sector provision", 2004, None),
    ("REC", "X1", "Episode ceases, child remains looked after", 2004, None),
    ("REC", "E11", "Adopted: application for an adoption order unopposed", 2004, None),
    ("REC", "E12", "Adopted: consent dispensed with by the court", 2004, None),
    ("REC", "E2", "Died", 2004, None),
    ("REC", "E3", "Care taken over by another local authority in the UK", 2004, None),
    (
        "REC",
        "E4A",
        "Returned home to live with parents or relatives as part of the care planning process",
        2015,
        None,
    ),
    (
        "REC",
        "E4B",
        "Returned home to live with parents or relatives not as part of the care planning process",
        2015,
        None,
    ),
    (
        "REC",
        "E13",
        "Left care to live with parents or relatives: care order or placement order revoked",
        2004,
        None,
    ),
    ("REC", "E41", "Residence order or child arrangements order granted", 2004, None),
    # E43 and E44 were split into E45 to E48 (relative or friend, or not) from 2018-19.
    ("REC", "E43", "Special guardianship order made to former foster carers", 2004, None),
    ("REC", "E44", "Special guardianship order made to carers other than former foster carers", 2004, None),
    (
        "REC",
        "E45",
        "Special guardianship order made to former foster carers who are a relative or friend",
        None,
        None,
    ),
    (
        "REC",
        "E46",
        "Special guardianship order made to former foster carers other than a relative or friend",
        None,
        None,
    ),
    (
        "REC",
        "E47",
        "Special guardianship order made to carers, not former foster carers, who are a relative or friend",
        None,
        None,
    ),
    (
        "REC",
        "E48",
        "Special guardianship order made to carers, not former foster carers, other than relative or friend",
        None,
        None,
    ),
    (
        "REC",
        "E5",
        "Moved into independent living arrangement and no longer looked after: formalised support",
        2004,
        None,
    ),
    (
        "REC",
        "E6",
        "Moved into independent living arrangement and no longer looked after: no formalised support",
        2004,
        None,
    ),
    ("REC", "E7", "Transferred to residential care funded by adult social care", 2004, None),
    ("REC", "E8", "Period of being looked after ceased for any other reason", 2004, None),
    ("REC", "E9", "Sentenced to custody", 2004, None),
    ("REC", "E14", "Accommodation on remand ended", 2004, None),
    ("REC", "E15", "Age assessment determined child is aged 18 or over", 2004, None),
    ("REC", "E16", "Child moved abroad", 2004, None),
    ("REC", "E17", "Aged 18 (or over) and remained with current carers (staying put)", 2004, None),
    ("REASON_PLACE_CHANGE", "CARPL", "Change to, or implementation of, the care plan", 2016, None),
    ("REASON_PLACE_CHANGE", "CLOSE", "Resignation or closure of provision", 2016, None),
    ("REASON_PLACE_CHANGE", "ALLEG", "Allegation (section 47)", 2016, None),
    ("REASON_PLACE_CHANGE", "STAND", "Standards of care concern", 2016, None),
    ("REASON_PLACE_CHANGE", "APPRR", "Approval removed", 2016, None),
    ("REASON_PLACE_CHANGE", "CREQB", "Carer requests placement end due to child's behaviour", 2016, None),
    (
        "REASON_PLACE_CHANGE",
        "CREQO",
        "Carer requests placement end, other than due to child's behaviour",
        2016,
        None,
    ),
    ("REASON_PLACE_CHANGE", "CHILD", "Child requests placement end", 2016, None),
    ("REASON_PLACE_CHANGE", "LAREQ", "Responsible or area authority requests placement end", 2016, None),
    ("REASON_PLACE_CHANGE", "PLACE", "Change in the status of the placement only", 2016, None),
    ("REASON_PLACE_CHANGE", "CUSTOD", "Custody arrangement", None, None),
    ("REASON_PLACE_CHANGE", "OTHER", "Other", 2016, None),
    ("REVIEW_CODE", "PN0", "Child aged under 4 at the time of the review", 2004, None),
    ("REVIEW_CODE", "PN1", "Child physically attends and speaks for him or herself", 2004, None),
    (
        "REVIEW_CODE",
        "PN2",
        "Child physically attends and an advocate speaks on his or her behalf",
        2004,
        None,
    ),
    (
        "REVIEW_CODE",
        "PN3",
        "Child attends and conveys his or her view symbolically (non-verbally)",
        2004,
        None,
    ),
    ("REVIEW_CODE", "PN4", "Child physically attends but does not speak for him or herself", 2004, None),
    (
        "REVIEW_CODE",
        "PN5",
        "Child does not attend physically but briefs an advocate to speak for him or her",
        2004,
        None,
    ),
    (
        "REVIEW_CODE",
        "PN6",
        "Child does not attend but conveys his or her feelings by another method",
        2004,
        None,
    ),
    (
        "REVIEW_CODE",
        "PN7",
        "Child does not attend nor are the child's views conveyed to the review",
        2004,
        None,
    ),
]


def code_list_labels() -> dict[str, dict[str, str]]:
    """Every code's label, by list, for the pages (``ReviewsConfig.code_lists``). A code keeps its
    label from year to year, so the years do not matter here."""
    labels: dict[str, dict[str, str]] = {}
    for list_name, code, label, _first, _last in CODES:
        labels.setdefault(list_name, {})[code] = label
    return labels


@functools.cache
def spec_column_map(year: int) -> dict:
    """The ``column_map`` of the published specification for ``year`` (2017 to 2024), read once
    per process."""
    with (SPEC_DIR / f"SSDA903_schema_{year}.yml").open(encoding="utf-8") as spec:
        return yaml.load(spec, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["column_map"]  # nosec B506


def spec_codes(year: int, table: str, column: str) -> list[str]:
    """The codes the specification for ``year`` lists for ``table``'s ``column``, in its order."""
    return [str(entry["code"]) for entry in spec_column_map(year)[table][column]["category"]]


@functools.cache
def dfe_rules_lists(year: int) -> dict:
    """The ``lists`` of ``dfe_rules_codes_<year>.yml`` (2025 to 2027): {list: {rule, ruleset,
    message, codes}}, read once per process."""
    with (SPEC_DIR / f"dfe_rules_codes_{year}.yml").open(encoding="utf-8") as source:
        return yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["lists"]  # nosec B506


def year_codes(year: int, list_name: str) -> list[str]:
    """The codes of ``list_name`` valid in the collection year ``year`` (2017 on), from whichever
    source covers that year."""
    if year in DFE_RULES_YEARS:
        return [str(code) for code in dfe_rules_lists(year)[list_name]["codes"]]
    table, column = SPEC_COLUMNS[list_name]
    return spec_codes(year, table, column)


def _year_ranges(years: set[int]) -> list[tuple[int, int | None]]:
    """Contiguous runs of ``years``; a run reaching the latest year a source covers stays open."""
    ranges: list[tuple[int, int | None]] = []
    for year in sorted(years):
        if ranges and ranges[-1][1] == year - 1:
            ranges[-1] = (ranges[-1][0], year)
        else:
            ranges.append((year, year))
    return [(first, None if last == LATEST_SPEC_YEAR else last) for first, last in ranges]


@functools.cache
def code_rows() -> tuple[tuple[str, str, str, int, int | None], ...]:
    """Every row of the Code table: (list, code, label, first_year, last_year)."""
    labels: dict[tuple[str, str], str] = {}
    years: dict[tuple[str, str], set[int]] = {}
    for list_name, code, label, first, last in CODES:
        labels[(list_name, code)] = label
        held = years.setdefault((list_name, code), set())
        if first is not None:
            held.update(range(first, min(last or FIRST_SPEC_YEAR - 1, FIRST_SPEC_YEAR - 1) + 1))
    for year in range(FIRST_SPEC_YEAR, LATEST_SPEC_YEAR + 1):
        for list_name in SPEC_COLUMNS:
            for code in year_codes(year, list_name):
                if (list_name, code) not in labels:
                    raise ValueError(f"{list_name} {code} (valid in {year}) has no label in CODES.")
                years[(list_name, code)].add(year)
    return tuple(
        (list_name, code, labels[(list_name, code)], first, last)
        for (list_name, code), held in years.items()
        for first, last in _year_ranges(held)
    )


@functools.cache
def _years_valid() -> dict[tuple[str, str], tuple[tuple[int, int | None], ...]]:
    held: dict[tuple[str, str], tuple[tuple[int, int | None], ...]] = {}
    for list_name, code, _label, first, last in code_rows():
        held[(list_name, code)] = (*held.get((list_name, code), ()), (first, last))
    return held


def ended_before(list_name: str, code: str, on: date) -> date | None:
    """The last day of ``code`` (``LAST_DAYS``) if it is in the collection year of ``on`` and
    before ``on``: the code is in that year's list but may not be used on ``on``. Else None."""
    last_day = LAST_DAYS.get((list_name, code))
    if last_day is not None and collection_year(last_day) == collection_year(on) and on > last_day:
        return last_day
    return None


def code_valid(list_name: str, code: str, year: int) -> bool:
    """Whether ``code`` is in ``list_name`` in the collection year ``year``, from the sources
    alone (for code that writes rows without the database's Code table, as the synthetic data)."""
    return any(
        first <= year and (last is None or year <= last)
        for first, last in _years_valid().get((list_name, code), ())
    )


def code_lists_load(code_model) -> int:
    """Make ``code_model``'s rows exactly ``code_rows()``: add the missing, correct the label or
    last year of the changed, delete the ones no source has. Safe to run any number of times, and
    by two processes at once (a row both add is added once). Returns the number of rows touched."""
    wanted = {(list_name, code, first): (label, last) for list_name, code, label, first, last in code_rows()}
    held = {
        (list_name, code, first): (label, last, pk)
        for list_name, code, first, label, last, pk in code_model.objects.values_list(
            "list_name", "code", "first_year", "label", "last_year", "pk"
        )
    }
    stale = [pk for key, (_label, _last, pk) in held.items() if key not in wanted]
    code_model.objects.filter(pk__in=stale).delete()
    changed = []
    for key, (label, last, pk) in held.items():
        if key in wanted and wanted[key] != (label, last):
            changed.append(code_model(pk=pk, label=wanted[key][0], last_year=wanted[key][1]))
    code_model.objects.bulk_update(changed, ["label", "last_year"])
    added = code_model.objects.bulk_create(
        [
            code_model(list_name=list_name, code=code, label=label, first_year=first, last_year=last)
            for (list_name, code, first), (label, last) in wanted.items()
            if (list_name, code, first) not in held
        ],
        ignore_conflicts=True,
    )
    return len(stale) + len(changed) + len(added)


def code_lists_sync(sender=None, **kwargs) -> None:
    """post_migrate: make sure the code lists are there and up to date."""
    from reviews.models import Code

    code_lists_load(Code)
