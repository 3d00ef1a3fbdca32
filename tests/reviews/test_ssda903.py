"""SSDA903 import and export against a small return worked out by hand.

The return, 2016-17 (bank holidays that matter: 30 May 2016, Christmas and Boxing Day 2016):

  A1: boy born 1 Jun 2010. In care from Tue 3 May 2016 (C2), placement change on 1 Sep 2016
      (X1 then P), still in care on 31 Mar 2017.
      1st review due 20 working days after 3 May = Wed 1 Jun 2016 (30 May skipped).
        Held Fri 27 May 2016: on time. PN1.
      2nd due 3 months after = Sat 27 Aug 2016. Held Wed 10 Aug: on time. PN7.
      3rd due 6 months after = Fri 10 Feb 2017. Held Tue 14 Feb 2017: LATE. PN5.
      Next due 14 Aug 2017.
  A2: girl born 15 Jan 2015 (under 4 all year: PN0). In care Fri 10 Jun 2016 (V2) to
      Tue 20 Dec 2016 (E11, adopted).
      1st review due 20 working days after = Fri 8 Jul 2016. Held Tue 5 Jul: on time. PN0.
      2nd due 3 months after = Wed 5 Oct 2016. Held Tue 4 Oct: on time. PN0.
  A3: young woman born 3 Mar 2001, a mother (her child born 1 Feb 2017). In care from Wed 1 Feb
      2017 (V2), no review yet: 1st due 20 working days later = Wed 1 Mar 2017, overdue at
      31 Mar 2017.

Figures for 2016-17, by hand:
  in care at 31 Mar 2017: A1, A3 = 2; of them under s20 (V2): A3 = 1.
  periods started: 3; ended: A2 = 1.
  reviews held: 3 + 2 = 5; on time 4 of 5 = 80.0%; late 1.
  participation (PN0 excluded): A1's PN1, PN5 took part, PN7 did not: 2 of 3 = 66.7%.
  reviews overdue at 31 Mar 2017: A3 = 1.
"""

from __future__ import annotations

import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iro_service.audit.models import DataExchange, ExchangeOutcome
from iro_service.core.imports import ImportRejected
from iro_service.people.models import Child
from reviews.models import Episode, LacReview, PeriodOfCare, ReviewPart
from reviews.services import period_due_dates_refresh
from reviews.ssda903 import export_903, import_903
from reviews.ssda903.tables import EPISODES_COLUMNS, HEADER_COLUMNS, REVIEWS_COLUMNS

pytestmark = pytest.mark.django_db

HEADER_ROWS = [
    ["A1", "1", "01/06/2010", "WBRI", "", "", ""],
    ["A2", "2", "15/01/2015", "MWBA", "A12345678901B", "", ""],
    ["A3", "2", "03/03/2001", "WBRI", "UN2", "1", "01/02/2017"],
]
EPISODE_ROWS = [
    ["A1", "03/05/2016", "S", "C2", "N1", "U1", "PR1", "01/09/2016", "X1", "", "AB1 2CD", "AB3 4EF", ""],
    ["A1", "01/09/2016", "P", "C2", "N1", "U3", "PR1", "", "", "CARPL", "AB1 2CD", "AB5 6GH", ""],
    ["A2", "10/06/2016", "S", "V2", "N2", "U1", "PR1", "20/12/2016", "E11", "", "", "", ""],
    ["A3", "01/02/2017", "S", "V2", "N4", "U1", "PR1", "", "", "", "", "", "SC123456"],
]
REVIEW_ROWS = [
    ["A1", "01/06/2010", "27/05/2016", "PN1"],
    ["A1", "01/06/2010", "10/08/2016", "PN7"],
    ["A1", "01/06/2010", "14/02/2017", "PN5"],
    ["A2", "15/01/2015", "05/07/2016", "PN0"],
    ["A2", "15/01/2015", "04/10/2016", "PN0"],
]


def _csv(columns, rows) -> str:
    return "\r\n".join(",".join(row) for row in [list(columns), *rows]) + "\r\n"


def write_return(folder: Path, header=None, episodes=None, reviews=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "header.csv").write_text(_csv(HEADER_COLUMNS, HEADER_ROWS if header is None else header))
    (folder / "episodes.csv").write_text(
        _csv(EPISODES_COLUMNS, EPISODE_ROWS if episodes is None else episodes)
    )
    (folder / "reviews.csv").write_text(_csv(REVIEWS_COLUMNS, REVIEW_ROWS if reviews is None else reviews))
    return folder


def files_in(folder: Path) -> dict[str, Path]:
    return {name: folder / name for name in ("header.csv", "episodes.csv", "reviews.csv")}


def run_import(folder: Path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_903", str(folder), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_the_care_history(tmp_path):
    out, _ = run_import(write_return(tmp_path / "in"))
    assert "children: 3 created, 0 updated, 0 unchanged" in out
    assert "periods of care: 3 created" in out
    assert "episodes: 4 created" in out
    assert "reviews: 5 created" in out
    a1 = Child.objects.get(local_child_id="A1")
    assert (a1.sex, str(a1.date_of_birth), a1.first_name) == ("M", "2010-06-01", "")
    assert a1.full_name == "Child A1 (name not recorded)"
    a3 = Child.objects.get(local_child_id="A3")
    assert (a3.upn, a3.is_mother, str(a3.mother_child_dob)) == ("UN2", True, "2017-02-01")
    period = PeriodOfCare.objects.get(child=a1)
    assert (str(period.start_date), period.end_date) == ("2016-05-03", None)
    assert [e.reason_ceased for e in period.episodes.order_by("start_date")] == ["X1", ""]
    reviews = list(LacReview.objects.filter(child=a1).order_by("review_date"))
    # Due dates by hand (module docstring): 1 Jun 2016, 27 Aug 2016, 10 Feb 2017.
    assert [str(r.due_date) for r in reviews] == ["2016-06-01", "2016-08-27", "2017-02-10"]
    assert [r.sequence for r in reviews] == [1, 2, 3]
    assert all(r.chair_id is None for r in reviews)
    assert str(PeriodOfCare.objects.get(child=a1).next_review_due) == "2017-08-14"
    # Each review has one part, on its date.
    assert ReviewPart.objects.filter(review__child=a1, part_number=1).count() == 3
    assert DataExchange.objects.get().outcome == ExchangeOutcome.IMPORTED


def test_imported_due_dates_are_those_the_refresh_service_gives(tmp_path):
    run_import(write_return(tmp_path / "in"))
    columns = ["due_date", "sw_report_due", "decisions_due", "record_due", "next_review_due", "sequence"]
    before = list(LacReview.objects.order_by("pk").values_list(*columns))
    periods_before = list(
        PeriodOfCare.objects.order_by("pk").values_list("next_review_due", "first_review_due")
    )
    for period in PeriodOfCare.objects.all():
        period_due_dates_refresh(period=period)
    assert list(LacReview.objects.order_by("pk").values_list(*columns)) == before
    assert (
        list(PeriodOfCare.objects.order_by("pk").values_list("next_review_due", "first_review_due"))
        == periods_before
    )


def test_figures_after_import_match_the_hand_worked_values(tmp_path):
    run_import(write_return(tmp_path / "in"))
    out = StringIO()
    keys = "cic_at_end,cic_started,cic_ceased,cic_s20_at_end,lac_reviews_held,lac_reviews_on_time,"
    keys += "lac_reviews_late,lac_participation,lac_reviews_overdue_at_end"
    call_command("figures", "--start", "2016-04-01", "--end", "2017-03-31", "--keys", keys, stdout=out)
    result = json.loads(out.getvalue())["figures"]
    assert result["cic_at_end"]["value"] == 2
    assert result["cic_started"]["value"] == 3
    assert result["cic_ceased"]["value"] == 1
    assert result["cic_s20_at_end"]["value"] == 1
    assert result["lac_reviews_held"]["value"] == 5
    assert (result["lac_reviews_on_time"]["numerator"], result["lac_reviews_on_time"]["denominator"]) == (
        4,
        5,
    )
    assert result["lac_reviews_late"]["value"] == 1
    assert (result["lac_participation"]["numerator"], result["lac_participation"]["denominator"]) == (2, 3)
    assert result["lac_reviews_overdue_at_end"]["value"] == 1


def test_reimporting_the_same_return_changes_nothing(tmp_path):
    folder = write_return(tmp_path / "in")
    run_import(folder)
    counts = [model.objects.count() for model in (Child, PeriodOfCare, Episode, LacReview, ReviewPart)]
    history = Child.history.count() + LacReview.history.count()
    out, _ = run_import(folder)
    assert "children: 0 created, 0 updated, 3 unchanged" in out
    assert "reviews: 0 created, 0 updated, 5 unchanged" in out
    assert [
        model.objects.count() for model in (Child, PeriodOfCare, Episode, LacReview, ReviewPart)
    ] == counts
    assert Child.history.count() + LacReview.history.count() == history


def test_reimport_updates_what_changed_and_keeps_history(tmp_path):
    run_import(write_return(tmp_path / "first"))
    episodes = [list(row) for row in EPISODE_ROWS]
    episodes[1][5] = "U4"  # A1's second placement corrected
    reviews = [list(row) for row in REVIEW_ROWS]
    reviews[2][3] = "PN4"  # A1's third review: a different code
    out, _ = run_import(write_return(tmp_path / "second", episodes=episodes, reviews=reviews))
    assert "episodes: 0 created, 1 updated, 3 unchanged" in out
    assert "reviews: 0 created, 1 updated, 4 unchanged" in out
    episode = Episode.objects.get(period__child__local_child_id="A1", start_date="2016-09-01")
    assert episode.placement == "U4"
    assert [h.placement for h in episode.history.order_by("history_date")] == ["U3", "U4"]
    assert (
        LacReview.objects.get(child__local_child_id="A1", review_date="2017-02-14").participation_code
        == "PN4"
    )


def test_a_later_year_adds_to_the_history(tmp_path):
    """The next year's return repeats A1's open episode and adds a review: the period is kept."""
    run_import(write_return(tmp_path / "2017"))
    period_pk = PeriodOfCare.objects.get(child__local_child_id="A1").pk
    write_return(
        tmp_path / "2018",
        header=[HEADER_ROWS[0]],
        episodes=[EPISODE_ROWS[1]],
        reviews=[["A1", "01/06/2010", "10/08/2017", "PN1"]],
    )
    out, _ = run_import(tmp_path / "2018")
    assert "reviews: 1 created" in out
    review = LacReview.objects.get(child__local_child_id="A1", review_date="2017-08-10")
    # 4th review of the period, due 6 months after 14 Feb 2017 = 14 Aug 2017: on time.
    assert (review.period_id, review.sequence, str(review.due_date)) == (period_pk, 4, "2017-08-14")


# --- validation --------------------------------------------------------------------------------

CASES = [
    # (table, row index, column, bad value, problem file, row, field, words in the message)
    ("header", 0, "SEX", "X", "header.csv", "row 2", "SEX", "not a SEX code"),
    ("header", 0, "DOB", "2010-06-01", "header.csv", "row 2", "DOB", "not a date"),
    ("header", 0, "DOB", "01/06/2099", "header.csv", "row 2", "DOB", "in the future"),
    ("header", 0, "ETHNIC", "XXXX", "header.csv", "row 2", "ETHNIC", "not a DfE ethnicity code"),
    ("header", 1, "UPN", "123", "header.csv", "row 3", "UPN", "not a UPN"),
    ("header", 0, "MC_DOB", "01/01/2016", "header.csv", "row 2", "MC_DOB", "MOTHER is not 1"),
    ("header", 1, "CHILD", "A1", "header.csv", "row 3", "CHILD", "already on row 2"),
    ("episodes", 0, "LS", "ZZ", "episodes.csv", "row 2", "LS", "not a LS code in the 2016-17 collection"),
    ("episodes", 0, "RNE", "", "episodes.csv", "row 2", "RNE", "RNE is blank"),
    (
        "episodes",
        0,
        "DEC",
        "01/04/2016",
        "episodes.csv",
        "row 2",
        "DEC",
        "ends (01/04/2016) before it starts",
    ),
    ("episodes", 0, "REC", "", "episodes.csv", "row 2", "REC", "REC is blank but the episode has ended"),
    ("episodes", 2, "REC", "Q9", "episodes.csv", "row 4", "REC", "not a REC code"),
    ("episodes", 1, "DECOM", "02/09/2016", "episodes.csv", "row 3", "DECOM", "must start that day"),
    ("episodes", 1, "RNE", "S", "episodes.csv", "row 3", "RNE", "RNE S starts a period of care"),
    ("episodes", 2, "REC", "X1", "episodes.csv", "row 4", "REC", "but no episode follows it"),
    ("episodes", 3, "CHILD", "ZZ9", "episodes.csv", "row 5", "CHILD", "not in header.csv"),
    (
        "episodes",
        0,
        "DECOM",
        "01/01/2010",
        "episodes.csv",
        "row 2",
        "DECOM",
        "before the child's date of birth",
    ),
    ("reviews", 0, "CHILD", "NOBODY", "reviews.csv", "row 2", "CHILD", "Unknown child"),
    ("reviews", 0, "REVIEW_CODE", "PN9", "reviews.csv", "row 2", "REVIEW_CODE", "not a code PN0 to PN7"),
    ("reviews", 0, "REVIEW_CODE", "PN0", "reviews.csv", "row 2", "REVIEW_CODE", "PN0 is for a child under 4"),
    ("reviews", 3, "REVIEW_CODE", "PN1", "reviews.csv", "row 5", "REVIEW_CODE", "under 4"),
    (
        "reviews",
        0,
        "REVIEW",
        "01/04/2016",
        "reviews.csv",
        "row 2",
        "REVIEW",
        "before the child came into care",
    ),
    ("reviews", 4, "REVIEW", "21/12/2016", "reviews.csv", "row 6", "REVIEW", "left care on 20/12/2016"),
    ("reviews", 0, "DOB", "02/06/2010", "reviews.csv", "row 2", "DOB", "differs from the date of birth"),
]


@pytest.mark.parametrize(
    ("table", "index", "column", "value", "file", "where", "field", "words"),
    CASES,
    ids=[f"{case[0]}-{case[2]}-{case[7][:24]}" for case in CASES],
)
def test_each_problem_is_reported_with_file_row_and_field(
    tmp_path, table, index, column, value, file, where, field, words
):
    tables = {"header": HEADER_ROWS, "episodes": EPISODE_ROWS, "reviews": REVIEW_ROWS}
    columns = {"header": HEADER_COLUMNS, "episodes": EPISODES_COLUMNS, "reviews": REVIEWS_COLUMNS}[table]
    rows = [list(row) for row in tables[table]]
    rows[index][columns.index(column)] = value
    folder = write_return(tmp_path / "in", **{table: rows})
    with pytest.raises(ImportRejected) as caught:
        import_903(files_in(folder))
    matching = [p for p in caught.value.problems if (p.file, p.where, p.field) == (file, where, field)]
    assert matching, [str(p) for p in caught.value.problems]
    assert any(words in p.message for p in matching), [p.message for p in matching]


def test_one_bad_row_among_good_ones_writes_nothing(tmp_path):
    episodes = [list(row) for row in EPISODE_ROWS]
    episodes[3][4] = "N99"  # A3's category of need does not exist
    folder = write_return(tmp_path / "in", episodes=episodes)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_903", str(folder), stdout=out, stderr=err)
    assert caught.value.returncode == 1
    assert "episodes.csv, row 5, CIN: 'N99' is not a CIN code" in err.getvalue()
    assert "Rejected: 1 problem(s). Nothing was imported." in err.getvalue()
    assert [model.objects.count() for model in (Child, PeriodOfCare, Episode, LacReview)] == [0, 0, 0, 0]
    run = DataExchange.objects.get()
    assert (run.outcome, run.problem_count, run.problems[0]["field"]) == ("rejected", 1, "CIN")


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    header = [list(row) for row in HEADER_ROWS]
    header[0][1] = "7"
    header[1][3] = "NOPE"
    reviews = [list(row) for row in REVIEW_ROWS]
    reviews[0][3] = "XX"
    with pytest.raises(ImportRejected) as caught:
        import_903(files_in(write_return(tmp_path / "in", header=header, reviews=reviews)))
    assert {(p.file, p.field) for p in caught.value.problems} >= {
        ("header.csv", "SEX"),
        ("header.csv", "ETHNIC"),
        ("reviews.csv", "REVIEW_CODE"),
    }


def test_dry_run_checks_and_writes_nothing_but_the_history(tmp_path):
    out, _ = run_import(write_return(tmp_path / "in"), "--dry-run")
    assert "children: 3 created" in out
    assert "nothing written (dry run)" in out
    assert Child.objects.count() == 0
    assert DataExchange.objects.get().outcome == ExchangeOutcome.CHECKED


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe binary", "not in UTF-8"),
        (b"CHILD,SEX,DOB,ETHNIC\r\nA1,1,01/06/2010,WBRI\r\n", "missing UPN, MOTHER, MC_DOB"),
        (
            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nA1,1,01/06/2010,WBRI,,,\r\n".encode("utf-16"),
            "not in UTF-8",
        ),
        (b'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"A1,1,01/06/2010\r\n', "not valid CSV"),
    ],
    ids=["empty", "binary", "wrong-columns", "utf16", "unterminated-quote"],
)
def test_a_malformed_file_is_one_clear_problem(tmp_path, content, words):
    folder = write_return(tmp_path / "in")
    (folder / "header.csv").write_bytes(content)
    with pytest.raises(ImportRejected) as caught:
        import_903(files_in(folder))
    header_problems = [p for p in caught.value.problems if p.file == "header.csv"]
    assert len(header_problems) == 1
    assert words in header_problems[0].message


def test_an_excel_csv_with_a_byte_order_mark_is_read(tmp_path):
    folder = write_return(tmp_path / "in")
    (folder / "header.csv").write_bytes(b"\xef\xbb\xbf" + (folder / "header.csv").read_bytes())
    assert import_903(files_in(folder)).as_dict()["children"]["created"] == 3


def test_uploaded_file_objects_are_read_like_paths(tmp_path):
    folder = write_return(tmp_path / "in")
    uploads = {name: io.BytesIO(path.read_bytes()) for name, path in files_in(folder).items()}
    assert import_903(uploads).as_dict()["reviews"]["created"] == 5


def test_the_command_refuses_a_missing_directory(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("import_903", str(tmp_path / "nowhere"))
    assert caught.value.returncode == 2


def test_import_queries_do_not_grow_with_the_number_of_children(tmp_path):
    def county(size: int) -> Path:
        header, episodes, reviews = [], [], []
        for number in range(size):
            child = f"Q{number}"
            header.append([child, "1", "01/06/2010", "WBRI", "", "", ""])
            episodes.append([child, "03/05/2016", "S", "C2", "N1", "U1", "PR1", "", "", "", "", "", ""])
            reviews.append([child, "01/06/2010", "27/05/2016", "PN1"])
        return write_return(tmp_path / f"size{size}", header=header, episodes=episodes, reviews=reviews)

    # The first call in a process also reads the timescale settings once; warm that up.
    import_903(files_in(county(1)))
    small, large = county(3), county(40)
    with CaptureQueriesContext(connection) as first:
        import_903(files_in(small))
    with CaptureQueriesContext(connection) as second:
        import_903(files_in(large))
    assert len(first) == len(second)


# --- export ------------------------------------------------------------------------------------


def test_round_trip_gives_the_same_rows(tmp_path):
    folder = write_return(tmp_path / "in")
    run_import(folder)
    call_command("export_903", "--year", "2017", str(tmp_path / "out"), stdout=StringIO())
    for name in ("header.csv", "episodes.csv", "reviews.csv"):
        assert (tmp_path / "out" / name).read_text() == (folder / name).read_text(), name
    run = DataExchange.objects.filter(direction="export").get()
    assert (run.collection_year, run.counts["reviews"]["exported"]) == (2017, 5)


def test_export_follows_the_year_scope(tmp_path):
    """2015-16 return (1 Apr 2015 - 31 Mar 2016) after importing 2016-17 data plus one child:
    A9 in care from 1 Mar 2016 (V2), placement change 1 May 2016. In 2015-16 only A9's first
    episode is open, and it ended after the year, so it is written open. Nobody else was in care
    and no review fell in the year."""
    header = [*HEADER_ROWS, ["A9", "1", "01/01/2005", "WBRI", "", "", ""]]
    episodes = [
        *EPISODE_ROWS,
        ["A9", "01/03/2016", "S", "V2", "N1", "U1", "PR1", "01/05/2016", "X1", "", "", "", ""],
        ["A9", "01/05/2016", "P", "V2", "N1", "U3", "PR1", "", "", "CARPL", "", "", ""],
    ]
    reviews = [*REVIEW_ROWS, ["A9", "01/01/2005", "28/03/2016", "PN1"]]
    run_import(write_return(tmp_path / "in", header=header, episodes=episodes, reviews=reviews))
    export_903(year=2016, directory=tmp_path / "out")
    assert (tmp_path / "out" / "header.csv").read_text().splitlines()[1:] == ["A9,1,01/01/2005,WBRI,,,"]
    assert (tmp_path / "out" / "episodes.csv").read_text().splitlines()[1:] == [
        "A9,01/03/2016,S,V2,N1,U1,PR1,,,,,,"
    ]
    assert (tmp_path / "out" / "reviews.csv").read_text().splitlines()[1:] == ["A9,01/01/2005,28/03/2016,PN1"]


def test_export_from_the_2025_collection_writes_sex_as_letters(tmp_path):
    run_import(write_return(tmp_path / "in"))
    # A1 is still in care (open episode) in 2024-25.
    export_903(year=2025, directory=tmp_path / "out")
    assert (tmp_path / "out" / "header.csv").read_text().splitlines()[1].startswith("A1,M,01/06/2010")


def test_export_command_refuses_a_bad_year(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("export_903", "--year", "twenty", str(tmp_path))
    assert caught.value.returncode == 2


# --- several years ---------------------------------------------------------------------------
#
# B1, born 1 Jan 2008, in care from Thu 1 Oct 2015 (C2). The 2015-16 return (year 2016) shows
# that episode open: it was on 31 March 2016. It ended on 1 Jun 2016 with a change of placement
# (X1, then P), which the 2016-17 return (year 2017) shows with both episodes. Reviews: 28 Oct
# 2015 (in the 2016 return) and 15 Jul 2016 (in the 2017 return).

YEARS = {
    2016: {
        "header": [["B1", "1", "01/01/2008", "WBRI", "", "", ""]],
        "episodes": [["B1", "01/10/2015", "S", "C2", "N1", "U1", "PR1", "", "", "", "", "", ""]],
        "reviews": [["B1", "01/01/2008", "28/10/2015", "PN1"]],
    },
    2017: {
        "header": [["B1", "1", "01/01/2008", "WBRI", "", "", ""]],
        "episodes": [
            ["B1", "01/10/2015", "S", "C2", "N1", "U1", "PR1", "01/06/2016", "X1", "", "", "", ""],
            ["B1", "01/06/2016", "P", "C2", "N1", "U4", "PR1", "", "", "CARPL", "", "", ""],
        ],
        "reviews": [["B1", "01/01/2008", "15/07/2016", "PN1"]],
    },
}


@pytest.mark.parametrize("order", [(2016, 2017), (2017, 2016)], ids=["in-order", "newest-first"])
def test_consecutive_years_build_one_history_whatever_the_order(tmp_path, order):
    for year in order:
        run_import(write_return(tmp_path / str(year), **YEARS[year]))
    period = PeriodOfCare.objects.get(child__local_child_id="B1")
    assert (str(period.start_date), period.end_date) == ("2015-10-01", None)
    episodes = list(
        period.episodes.order_by("start_date").values_list("start_date", "end_date", "reason_ceased")
    )
    # The older return's blank DEC (open on its census date) never undoes the newer one's end.
    assert [(str(a), str(b) if b else None, c) for a, b, c in episodes] == [
        ("2015-10-01", "2016-06-01", "X1"),
        ("2016-06-01", None, ""),
    ]
    reviews = list(LacReview.objects.filter(child__local_child_id="B1").order_by("review_date"))
    # 1st review due 20 working days after 1 Oct 2015 = Thu 29 Oct 2015: held 28 Oct, on time.
    # 2nd due 3 months after = 28 Jan 2016: held 15 Jul 2016, late; the next due 6 months later.
    assert [(r.sequence, str(r.due_date)) for r in reviews] == [(1, "2015-10-29"), (2, "2016-01-28")]
    assert str(period.next_review_due) == "2017-01-15"
    # Each year exports as its return was.
    for year in order:
        export_903(year=year, directory=tmp_path / f"out{year}")
        for name in ("header.csv", "episodes.csv", "reviews.csv"):
            assert (tmp_path / f"out{year}" / name).read_text() == (tmp_path / str(year) / name).read_text()


def test_a_file_joining_two_recorded_periods_of_care_is_a_problem(tmp_path):
    """Held: A2 in care 10 Jun to 20 Dec 2016 (adopted, E11), then again from 3 Jan 2017.
    A corrected file says the first episode ended X1 on 3 Jan 2017, the second continuing it:
    one period where two are recorded. The import names the child and writes nothing."""
    header = [HEADER_ROWS[1]]
    first = ["A2", "10/06/2016", "S", "V2", "N2", "U1", "PR1", "20/12/2016", "E11", "", "", "", ""]
    again = ["A2", "03/01/2017", "S", "V2", "N2", "U1", "PR1", "", "", "", "", "", ""]
    run_import(write_return(tmp_path / "held", header=header, episodes=[first, again], reviews=[]))
    joined = list(first)
    joined[7], joined[8] = "03/01/2017", "X1"
    continued = list(again)
    continued[2] = "P"
    with pytest.raises(ImportRejected) as caught:
        import_903(
            files_in(
                write_return(tmp_path / "joined", header=header, episodes=[joined, continued], reviews=[])
            )
        )
    assert [(p.where, p.field) for p in caught.value.problems] == [("child A2", "DECOM")]
    assert "joins two periods of care" in caught.value.problems[0].message
    assert PeriodOfCare.objects.filter(child__local_child_id="A2").count() == 2


def test_commands_run_for_a_named_staff_account(tmp_path, manager_user):
    """--user puts an import and an export down to a staff account: the history of the run and
    of each record written, and the access log for each child exported."""
    from iro_service.audit.models import AccessLog

    run_import(write_return(tmp_path / "in"), "--user", manager_user.username)
    imported = DataExchange.objects.get()
    assert (imported.user, imported.run_by) == (manager_user, manager_user.username)
    child = Child.objects.get(local_child_id="A1")
    assert child.history.get().history_user == manager_user
    call_command(
        "export_903",
        "--year",
        "2017",
        str(tmp_path / "out"),
        "--user",
        manager_user.username,
        stdout=StringIO(),
    )
    logged = AccessLog.objects.filter(user=manager_user, channel="export")
    assert sorted(logged.values_list("child__local_child_id", flat=True)) == ["A1", "A2", "A3"]
    with pytest.raises(CommandError) as caught:
        call_command("export_903", "--year", "2017", str(tmp_path / "out"), "--user", "nobody")
    assert caught.value.returncode == 2
