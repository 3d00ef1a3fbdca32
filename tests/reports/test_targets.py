"""Targets and comparators: the status of a figure against its target at the boundaries, who
changed a target, and comparators through the CSV upload with every bad row reported."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from iro_service.core.imports import ImportRejected
from iro_service.core.versioning import StaleRecordError
from reports.models import Comparator, Target, TargetDirection, TargetStatus
from reports.targets.selectors import benchmarks_for_year, figure_benchmarks, target_history
from reports.targets.services import comparator_set, comparators_import_csv, target_set

pytestmark = pytest.mark.django_db


def on_time_target(**fields):
    defaults = {
        "figure_key": "lac_reviews_on_time",
        "year": 2017,
        "value": Decimal("95.0"),
        "direction": TargetDirection.HIGHER,
        "amber_margin": Decimal("5.0"),
    }
    return target_set(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (100.0, TargetStatus.GREEN),
        (95.0, TargetStatus.GREEN),  # exactly on target: green
        (94.9, TargetStatus.AMBER),
        (90.0, TargetStatus.AMBER),  # exactly at the edge of the 5-point margin: amber
        (89.9, TargetStatus.RED),
        (None, TargetStatus.NO_DATA),
    ],
)
def test_higher_is_better_status_at_the_boundaries(value, status):
    assert on_time_target().status_of(value) == status


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (10.0, TargetStatus.GREEN),
        (18.1, TargetStatus.GREEN),  # on target
        (18.2, TargetStatus.AMBER),
        (20.1, TargetStatus.AMBER),  # 18.1 + 2.0
        (20.2, TargetStatus.RED),
    ],
)
def test_lower_is_better_status_at_the_boundaries(value, status):
    target = on_time_target(
        figure_key="cp_repeat_plans",
        value=Decimal("18.1"),
        direction=TargetDirection.LOWER,
        amber_margin=Decimal("2"),
    )
    assert target.status_of(value) == status


def test_a_zero_margin_has_no_amber():
    target = on_time_target(amber_margin=Decimal("0"))
    assert target.status_of(95.0) == TargetStatus.GREEN
    assert target.status_of(94.9) == TargetStatus.RED


def test_status_words_say_what_the_colour_means():
    assert TargetStatus.AMBER.label == "Amber: close to target"


def test_changing_a_target_keeps_who_changed_it_and_what_it_was(manager_user):
    target = on_time_target()
    # In a request simple-history's middleware names the user; here the first version is hers.
    target.history.update(history_user=manager_user)
    target = on_time_target(value=Decimal("97.5"), seen_updated_at=target.updated_at)
    versions = list(target_history(target=target))
    assert [v.value for v in versions] == [Decimal("97.5"), Decimal("95.0")]
    assert versions[1].history_user == manager_user
    assert Target.objects.count() == 1


def test_a_target_changed_since_the_editor_opened_it_is_refused():
    first = on_time_target()
    seen = first.updated_at
    on_time_target(value=Decimal("96"), seen_updated_at=seen)
    with pytest.raises(StaleRecordError):
        on_time_target(value=Decimal("97"), seen_updated_at=seen)
    assert Target.objects.get().value == Decimal("96.0")


def test_a_target_for_an_unknown_figure_or_a_breakdown_is_refused():
    with pytest.raises(ValidationError) as error:
        on_time_target(figure_key="no_such_figure")
    assert "figure_key" in error.value.message_dict
    with pytest.raises(ValidationError, match="breakdown"):
        on_time_target(figure_key="lac_participation_codes")


def test_a_negative_margin_is_refused_by_the_database_too():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(figure_key="lac_reviews_on_time", year=2017, value=95, amber_margin=-1)


def test_benchmarks_for_a_year_in_two_queries(django_assert_num_queries):
    on_time_target()
    comparator_set(figure_key="cp_repeat_plans", year=2017, source="england", value=Decimal("18.7"))
    comparator_set(
        figure_key="cp_repeat_plans", year=2017, source="statistical_neighbours", value=Decimal("18.1")
    )
    comparator_set(figure_key="cp_repeat_plans", year=2016, source="england", value=Decimal("17.9"))
    with django_assert_num_queries(2):
        benchmarks = benchmarks_for_year(year=2017)
    assert set(benchmarks) == {"lac_reviews_on_time", "cp_repeat_plans"}
    assert benchmarks["cp_repeat_plans"].target is None
    # statistical neighbours first, then England; 2016's is another year
    assert benchmarks["cp_repeat_plans"].comparator_lines() == [
        ("Statistical neighbours", 18.1),
        ("England", 18.7),
    ]
    assert figure_benchmarks(key="lac_reviews_on_time", year=2017).status_of(96) == TargetStatus.GREEN
    assert figure_benchmarks(key="lac_reviews_on_time", year=2018).target is None


GOOD_CSV = (
    "FIGURE,YEAR,SOURCE,VALUE,PUBLISHED_BY\r\n"
    "cp_repeat_plans,2016-17,Statistical neighbours,18.1,DfE CIN census 2016-17\r\n"
    "cp_multiple_categories,2017,england,8%,DfE CIN census 2016-17\r\n"
)


def test_comparators_round_trip_through_the_csv_upload():
    result = comparators_import_csv(upload=GOOD_CSV.encode("utf-8-sig"))
    assert (result.created, result.updated) == (2, 0)
    lines = figure_benchmarks(key="cp_repeat_plans", year=2017).comparator_lines()
    assert lines == [("Statistical neighbours", 18.1)]
    england = Comparator.objects.get(figure_key="cp_multiple_categories")
    assert (england.year, england.source, england.value, england.published_by) == (
        2017,
        "england",
        Decimal("8.0"),
        "DfE CIN census 2016-17",
    )
    # The same file again changes nothing; a changed value updates the one row.
    assert comparators_import_csv(upload=GOOD_CSV.encode()) == type(result)(created=0, updated=0)
    changed = GOOD_CSV.replace("18.1", "18.3")
    assert comparators_import_csv(upload=changed.encode()) == type(result)(created=0, updated=1)
    assert Comparator.objects.get(figure_key="cp_repeat_plans").value == Decimal("18.3")


def test_every_bad_row_is_reported_and_nothing_is_written():
    bad = (
        "FIGURE,YEAR,SOURCE,VALUE,PUBLISHED_BY\r\n"
        "cp_repeat_plans,2016-17,Statistical neighbours,18.1,ok\r\n"  # row 2: good
        "no_such_figure,2017,england,5,\r\n"  # row 3
        "cp_repeat_plans,17,england,5,\r\n"  # row 4: year
        "cp_repeat_plans,2017,region,5,\r\n"  # row 5: source
        "cp_repeat_plans,2017,england,lots,\r\n"  # row 6: value
        "lac_participation_codes,2017,england,5,\r\n"  # row 7: a breakdown
        "cp_repeat_plans,2016-17,statistical_neighbours,18.2,\r\n"  # row 8: same as row 2
        "cp_repeat_plans,2017,england,-1,\r\n"  # row 9: negative
    )
    with pytest.raises(ImportRejected) as rejected:
        comparators_import_csv(upload=bad.encode())
    found = [(p.where, p.field) for p in rejected.value.problems]
    assert found == [
        ("row 3", "FIGURE"),
        ("row 4", "YEAR"),
        ("row 5", "SOURCE"),
        ("row 6", "VALUE"),
        ("row 7", "FIGURE"),
        ("row 8", "FIGURE"),
        ("row 9", "VALUE"),
    ]
    assert "row 2" in rejected.value.problems[5].message
    assert not Comparator.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"FIGURE,YEAR\r\n", "columns"),
        (b"FIGURE,YEAR,SOURCE,VALUE,PUBLISHED_BY\r\n", "no rows"),
        ("FIGURE,YEAR,SOURCE,VALUE,PUBLISHED_BY\r\nx,2017,england,5,caf\xe9\r\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_a_file_that_is_not_a_comparator_table_is_refused_with_a_reason(content, message):
    with pytest.raises(ImportRejected) as rejected:
        comparators_import_csv(upload=content)
    assert message in str(rejected.value.problems[0])


def test_year_is_read_as_the_year_ending_31_march():
    comparators_import_csv(
        upload=b"FIGURE,YEAR,SOURCE,VALUE,PUBLISHED_BY\ncp_repeat_plans,2015-2016,england,17,\n"
    )
    assert Comparator.objects.get().year == 2016  # 2015-16 ends on 31 March 2016
