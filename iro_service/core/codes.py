"""The labels of the code lists people read on the pages: "Full care order (C2)", never a bare
"C2".

Each app names its code lists on its AppConfig, as ``code_lists``: the dotted path of a function
that takes no arguments and returns ``{list name: {code: label}}``. ``code_lists()`` gathers them
from every installed app (read once, when first used), so an app added later needs no edit
here, and the kernel never imports a domain app. A list name belongs to one app only.

Pages show a code through the ``coded`` template filter (``iro_service.core.templatetags.iro``)
and text built in Python through ``code_shown``; both give the label with the code after it,
which is how the DfE's returns and the people who know them refer to it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@functools.cache
def code_lists() -> Mapping[str, Mapping[str, str]]:
    """Every app's code lists: {list name: {code: label}}."""
    from django.apps import apps

    lists: dict[str, Mapping[str, str]] = {}
    owners: dict[str, str] = {}
    for config in apps.get_app_configs():
        path = getattr(config, "code_lists", None)
        if not path:
            continue
        for name, labels in import_string(path)().items():
            if name in lists:
                raise ImproperlyConfigured(
                    f"The code list {name!r} is named by both {owners[name]} and {config.name}."
                )
            lists[name] = dict(labels)
            owners[name] = config.name
    return lists


def code_label(list_name: str, code: str) -> str | None:
    """The label of ``code`` in ``list_name``, or None when the list does not hold it."""
    try:
        labels = code_lists()[list_name]
    except KeyError:
        raise ImproperlyConfigured(f"No app names a code list {list_name!r}.") from None
    return labels.get(code)


def code_shown(list_name: str, code: str | None) -> str:
    """A code as people read it: "Full care order (C2)". A code the list does not hold (an old
    import, say) is shown as it is rather than hidden; no code is an empty string."""
    if code in (None, ""):
        return ""
    label = code_label(list_name, str(code))
    return f"{label} ({code})" if label else str(code)


def codes_shown(list_name: str, codes: Iterable[str] | str | None) -> str:
    """One code, or several joined with commas ("Learning (LD), Hearing (HEAR)")."""
    if codes is None or isinstance(codes, str):
        return code_shown(list_name, codes)
    return ", ".join(code_shown(list_name, code) for code in codes)
