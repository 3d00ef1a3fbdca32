"""``{% scrolling_table %}``: the container every table is shown in, named by its caption."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from lxml import html


def _render(body: str, **context) -> str:
    return Template("{% load iro %}{% scrolling_table %}" + body + "{% endscrolling_table %}").render(
        Context(context)
    )


def test_the_container_is_a_focusable_region_named_by_the_caption():
    rendered = _render(
        "<table><caption class='x'>Plans for {{ name }}<span> (newest first)</span></caption></table>",
        name="Amy O'Neill & Ben",
    )
    (container,) = html.fragments_fromstring(rendered)
    assert (container.tag, container.get("class"), container.get("role"), container.get("tabindex")) == (
        "div",
        "app-table-container",
        "region",
        "0",
    )
    # The caption's text, tags taken out, escaped once (not the already-escaped text again).
    assert container.get("aria-label") == "Plans for Amy O'Neill & Ben (newest first)"
    assert "&amp;amp;" not in rendered
    assert container.find("table") is not None


def test_a_table_without_a_caption_is_refused():
    with pytest.raises(TemplateSyntaxError, match="needs a table with a <caption>"):
        _render("<table><tr><td>1</td></tr></table>")
