"""The synthetic data generator (issue 19): the same seed writes the same data, every app and
every table it writes gets rows, the rows keep the models' invariants, the cached due dates are
the ones the domain's refresh services would write, and the figures run over it.

Small sizes only: the hidden --children option of the command."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from psycopg2.errors import UniqueViolation

from conferences.codes import ConferenceType
from conferences.models import ChildProtectionPlan, Conference
from conferences.services.refresh import conference_due_dates_refresh
from hsb.services import hsb_meeting_due_dates_refresh
from iro_service.people.models import Child, Family
from qa_alerts.services.raising import alert_due_dates_refresh
from reports.figures import REGISTRY, FigureQuery
from reports.selectors import figures_compute
from reviews.models import Episode, LacReview
from reviews.selectors import codes_in_year
from reviews.services.refresh import due_dates_refresh_all
from synthetic.services import MODELS, synthetic_data_generate

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _fingerprint() -> dict:
    """What the data says, without primary keys or timestamps (which differ between runs)."""
    return {
        "counts": {model._meta.label: model.objects.count() for model in MODELS},
        "children": list(
            Child.objects.order_by("local_child_id").values_list(
                "local_child_id", "first_name", "date_of_birth", "expected_date_of_birth", "ethnicity"
            )
        ),
        "reviews": list(
            LacReview.objects.order_by("child__local_child_id", "review_date").values_list(
                "child__local_child_id",
                "review_date",
                "sequence",
                "due_date",
                "record_due",
                "record_completed",
                "participation_code",
                "chair__email",
            )
        ),
        "conferences": list(
            Conference.objects.order_by("family__reference", "date", "status").values_list(
                "family__reference", "date", "conference_type", "status", "due_date", "record_due"
            )
        ),
    }


def _generated(seed: int, children: int) -> dict:
    """Generate inside a savepoint, read the fingerprint, and undo it."""
    try:
        with transaction.atomic():
            synthetic_data_generate(children=children, seed=seed)
            found = _fingerprint()
            raise _Undo
    except _Undo:
        pass
    return found


def test_the_same_seed_writes_the_same_data_and_another_seed_other_data():
    first, again, other = _generated(7, 150), _generated(7, 150), _generated(8, 150)
    assert first == again
    assert first["counts"]["people.Child"] == 150
    assert first["reviews"] and first["conferences"]
    assert other["reviews"] != first["reviews"]


def test_the_command_refuses_a_database_that_already_holds_synthetic_data():
    call_command("generate_synthetic", "--preset", "county", "--children", "20", verbosity=0)
    assert Child.objects.filter(local_child_id__startswith="SY").count() == 20
    with pytest.raises(CommandError, match="already holds synthetic data"):
        call_command("generate_synthetic", "--preset", "county", "--children", "20", verbosity=0)


def test_every_app_has_rows_and_the_rows_keep_the_models_invariants():
    synthetic_data_generate(children=300, seed=2)
    by_app: dict[str, int] = {}
    for model in MODELS:
        by_app[model._meta.app_label] = by_app.get(model._meta.app_label, 0) + model.objects.count()
    for app in ("people", "reviews", "conferences", "hsb", "qa_alerts"):
        assert by_app[app] > 0, app
    # The database's constraints held while the rows were copied (a violation would have
    # stopped the load); the models' own validation, constraints included, agrees on a sample.
    for model in MODELS:
        for row in model.objects.order_by("pk")[:15]:
            row.full_clean(validate_unique=False)
    # Every row has its "created" history row, as an import writes them.
    for model in MODELS:
        if hasattr(model, "history"):
            assert model.history.filter(history_type="+").count() == model.objects.count(), model


def test_every_episode_placement_is_valid_in_the_collection_year_it_starts():
    """The data run to 2025-26, when H5 and Z1 ended: an episode starting then has K3 or Z11
    where an earlier one could have H5 or Z1, as the product's own check would require."""
    synthetic_data_generate(children=300, seed=2)
    episodes = list(Episode.objects.values_list("start_date", "placement"))
    assert any(start >= date(2025, 4, 1) for start, _placement in episodes)
    for start, placement in episodes:
        assert placement in codes_in_year(on=start)["PLACE"], (start, placement)


def test_the_cached_due_dates_are_those_the_refresh_services_write():
    """The generator uses the domain's due-date modules: refreshing changes nothing."""
    synthetic_data_generate(children=200, seed=4)
    before = list(
        LacReview.objects.order_by("pk").values_list("pk", "due_date", "record_due", "next_review_due")
    )
    conferences = list(Conference.objects.order_by("pk").values_list("pk", "due_date", "record_due"))
    plans = list(
        ChildProtectionPlan.objects.order_by("pk").values_list(
            "pk", "next_review_counted_from", "next_review_due"
        )
    )
    assert any(due is not None for _, _, due in plans)
    due_dates_refresh_all()
    conference_due_dates_refresh()
    alert_due_dates_refresh()
    hsb_meeting_due_dates_refresh()
    assert (
        list(LacReview.objects.order_by("pk").values_list("pk", "due_date", "record_due", "next_review_due"))
        == before
    )
    assert list(Conference.objects.order_by("pk").values_list("pk", "due_date", "record_due")) == conferences
    assert (
        list(
            ChildProtectionPlan.objects.order_by("pk").values_list(
                "pk", "next_review_counted_from", "next_review_due"
            )
        )
        == plans
    )


def test_the_county_preset_has_every_table_every_conference_type_and_runs_the_figures():
    call_command("generate_synthetic", "--preset", "county", "--seed", "1", verbosity=0)
    assert Child.objects.count() == 2000
    empty = [model._meta.label for model in MODELS if not model.objects.exists()]
    assert empty == []
    assert set(Conference.objects.values_list("conference_type", flat=True).distinct()) == set(
        ConferenceType.values
    )
    # About five reviews and three conferences a child over the ten years (the national ratios).
    assert 4 <= LacReview.objects.count() / 2000 <= 6
    assert 2.5 <= Conference.objects.count() / 2000 <= 4
    for start, end in ((date(2024, 4, 1), date(2025, 3, 31)), (date(2016, 4, 1), date(2026, 3, 31))):
        result = figures_compute(query=FigureQuery(start=start, end=end), keys=list(REGISTRY))
        assert result["figures"]["cic_at_end"]["value"] > 0
        assert result["figures"]["lac_reviews_held"]["value"] > 0


def _catalogue_queries(children: int) -> int:
    """Queries of the whole catalogue over ten years on ``children`` synthetic children (written
    inside a savepoint and undone), after a first run has filled the caches."""
    query = FigureQuery(start=date(2016, 4, 1), end=date(2026, 3, 31))
    try:
        with transaction.atomic():
            synthetic_data_generate(children=children, seed=5)
            figures_compute(query=query, keys=list(REGISTRY))
            with CaptureQueriesContext(connection) as captured:
                figures_compute(query=query, keys=list(REGISTRY))
            raise _Undo
    except _Undo:
        pass
    return len(captured.captured_queries)


def test_the_whole_figures_catalogue_takes_the_same_number_of_queries_at_two_data_sizes():
    """No query per row: the catalogue's count does not grow with the children held."""
    small, large = _catalogue_queries(100), _catalogue_queries(400)
    assert small == large
    assert small <= 2 * len(REGISTRY)


@pytest.mark.django_db(transaction=True)
def test_writing_on_a_thread_of_its_own_writes_the_same_data_as_writing_in_line(monkeypatch):
    """The command writes the families' chunks on a thread of their own while it builds the
    next (``background``). The rows are the same as when each chunk is written in line. Chunks
    of 40 families here, so that 400 children (about 220 families) make six chunks, and the
    writer has a chunk waiting while the next is built."""
    monkeypatch.setattr("synthetic.services.CHUNK_FAMILIES", 40)
    in_line = _generated(9, 400)
    counts = synthetic_data_generate(children=400, seed=9, background=True)
    assert _fingerprint() == in_line
    assert counts["people.Child"] == 400 == in_line["counts"]["people.Child"]
    assert in_line["reviews"] and in_line["conferences"]


@pytest.mark.django_db(transaction=True)
def test_a_chunk_the_database_refuses_on_the_writers_thread_stops_the_run_with_its_error(monkeypatch):
    """A family already holding the reference the third chunk's first family would take
    (SYF00000080, with 40 families a chunk) makes PostgreSQL refuse that chunk's COPY. The
    error reaches the caller, the chunks before it stay written whole and nothing of the refused
    one is (the chunk the other writer had at the same time may be written: chunks do not depend
    on each other)."""
    monkeypatch.setattr("synthetic.services.CHUNK_FAMILIES", 40)
    Family.objects.create(reference="SYF00000080", name="A family already here")
    with pytest.raises(UniqueViolation, match="people_family_reference_key"):
        synthetic_data_generate(children=400, seed=9, background=True)
    written = set(Family.objects.filter(name__endswith=" family").values_list("reference", flat=True))
    assert {f"SYF{number:08d}" for number in range(80)} <= written
    assert not written & {f"SYF{number:08d}" for number in range(80, 120)}
