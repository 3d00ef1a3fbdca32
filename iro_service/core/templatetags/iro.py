"""Template helpers used across the apps' pages."""

import html
import re
from datetime import date

from django import template
from django.utils.html import format_html, strip_tags

from iro_service.core.codes import codes_shown

register = template.Library()


@register.filter
def coded(codes, list_name: str) -> str:
    """A code, or a list of codes, with its label: ``{{ episode.legal_status|coded:"LS" }}``
    gives "Full care order (C2)". Every page that shows a code a person reads uses this (see
    ``iro_service.core.codes``; a test walks the pages for bare codes)."""
    return codes_shown(list_name, codes)


@register.filter
def age_on(child, on: date):
    """'7 years' or 'Unborn (due 3 May 2017)'."""
    if child.date_of_birth is None:
        due = child.expected_date_of_birth
        return f"Unborn (due {due:%-d %B %Y})" if due else "Unborn"
    years = child.age_on(on)
    return "Under 1 year" if years == 0 else f"{years} year{'s' if years != 1 else ''}"


@register.simple_tag
def roles_label(roles):
    return ", ".join(roles) if roles else "No role"


# A table's caption, found in the rendered table: its text names the scrolling region.
_CAPTION = re.compile(r"<caption\b[^>]*>(?P<text>.*?)</caption>", re.DOTALL | re.IGNORECASE)


class ScrollingTableNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        table = self.nodelist.render(context)
        caption = _CAPTION.search(table)
        if caption is None:
            raise template.TemplateSyntaxError(
                "{% scrolling_table %} needs a table with a <caption>: it names the scrolling area"
            )
        # The caption is rendered HTML: its text, unescaped here, is escaped once more below.
        label = " ".join(html.unescape(strip_tags(caption["text"])).split())
        # Focusable (tabindex) so that keyboard users can scroll it; static/js/app.js takes it
        # out of the tab order again where the table fits and nothing scrolls.
        return format_html(
            '<div class="app-table-container" role="region" aria-label="{}" tabindex="0">{}</div>',
            label,
            table,  # the rendered template: already escaped, and safe
        )


@register.tag
def scrolling_table(parser, token):
    """Wrap a table in a container that scrolls sideways on a narrow screen, so the page itself
    does not: ``{% scrolling_table %}<table ...><caption>...</caption>...</table>{% endscrolling_table %}``.
    The container is a labelled region (named by the table's caption) that keyboard users can
    focus and scroll, as GOV.UK and MoJ Frontend advise for wide tables. Every table of every
    page goes through it (tests/core/test_every_page.py checks)."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% scrolling_table %} takes no arguments")
    nodelist = parser.parse(("endscrolling_table",))
    parser.delete_first_token()
    return ScrollingTableNode(nodelist)


@register.filter
def dfe_rule_messages(messages, wanted: bool = True) -> list:
    """The messages that are DfE rule warnings (``wanted``) or the others: base.html shows the
    warnings in one banner of their own (``iro_service.core.pages.dfe_warnings_flash``)."""
    from iro_service.core.pages import DFE_WARNING_TAG

    return [message for message in messages if (DFE_WARNING_TAG in message.tags.split()) == wanted]
