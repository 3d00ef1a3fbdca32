"""docs/figures.md is generated from the figures registry: it must never drift from it."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from reports.figures import REGISTRY

DOC = Path(settings.BASE_DIR) / "docs" / "figures.md"


def test_docs_figures_md_is_what_the_registry_generates():
    # If this fails, run: python manage.py figures_catalogue --output docs/figures.md
    call_command("figures_catalogue", "--output", str(DOC), "--check", stdout=StringIO())


def test_the_catalogue_lists_every_registered_key_once_with_its_definition():
    text = DOC.read_text(encoding="utf-8")
    for key, figure in REGISTRY.items():
        rows = [line for line in text.splitlines() if line.startswith(f"| `{key}` |")]
        assert len(rows) == 1, key
        assert figure.kind in rows[0]
        assert " ".join(figure.definition.split())[:40] in rows[0]


def test_check_fails_on_a_stale_file(tmp_path):
    stale = tmp_path / "figures.md"
    stale.write_text(DOC.read_text(encoding="utf-8").replace("cic_at_end", "cic_at_the_end"))
    with pytest.raises(CommandError, match="out of date"):
        call_command("figures_catalogue", "--output", str(stale), "--check", stdout=StringIO())


@pytest.mark.django_db
def test_the_api_serves_the_definitions_and_the_schema_links_them(token_client):
    response = token_client("figures").get("/api/v1/figures/definitions/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert response.content.decode() == DOC.read_text(encoding="utf-8")
    assert settings.SPECTACULAR_SETTINGS["EXTERNAL_DOCS"]["url"] == "/api/v1/figures/definitions/"


@pytest.mark.django_db
def test_the_definitions_need_the_figures_scope(token_client, client):
    assert token_client("read").get("/api/v1/figures/definitions/").status_code == 403
    assert client.get("/api/v1/figures/definitions/").status_code == 401
