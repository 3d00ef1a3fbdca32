"""The care history: starting and ending a period of care, and a change of placement or legal
status, with the SSDA903 code lists of the collection year of the date entered."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from iro_service.core.forms import date_field
from reviews.codes import STARTS_PERIOD, STAYS_IN_CARE, CodeListName
from reviews.forms._common import _no_tag_helper


class CodeChoiceField(forms.ChoiceField):
    """An SSDA903 code chosen from the list of one collection year. Whether the code is valid
    in the year of the date entered is the service's rule (``services.periods._check_codes``), whose
    message names the date; the form only offers the list."""

    def valid_value(self, value) -> bool:
        return True


def code_field(label: str, *, required: bool = True, help_text: str = "") -> CodeChoiceField:
    return CodeChoiceField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Select the {label[0].lower()}{label[1:]}"},
    )


class _CodesForm(forms.Form):
    """A form with SSDA903 code lists: ``code_lists`` maps each code field to its list name;
    ``codes`` is ``selectors.codes_in_year`` for the year of the date entered (or today)."""

    code_lists: dict[str, str] = {}
    # Codes offered nowhere on this form (the service refuses them with its own message).
    left_out: dict[str, str] = {}

    def __init__(self, *args, codes: dict[str, dict[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for name, list_name in self.code_lists.items():
            field = self.fields[name]
            options = [
                (code, f"{code}: {label}")
                for code, label in sorted(codes.get(list_name, {}).items())
                if code != self.left_out.get(name)
            ]
            empty = "Choose a code" if field.required else "None"
            field.choices = [("", empty), *options]

    @staticmethod
    def _postcode(value: str) -> str:
        return " ".join(value.upper().split())


_YEAR_HELP = (
    "The codes are those of the SSDA903 collection year (1 April to 31 March) of the date above. "
    "If you change the date to another year, check the codes again."
)


class PeriodOfCareStartForm(_CodesForm):
    """The child comes into care: the period and its first episode."""

    code_lists = {
        "legal_status": CodeListName.LS,
        "category_of_need": CodeListName.CIN,
        "placement": CodeListName.PLACE,
        "placement_provider": CodeListName.PLACE_PROVIDER,
    }

    start_date = date_field("Date the child came into care")
    legal_status = code_field("Legal status", help_text=_YEAR_HELP)
    category_of_need = code_field("Category of need")
    placement = code_field("Placement type")
    placement_provider = code_field("Placement provider", required=False)
    home_postcode = forms.CharField(label="Child's home postcode", required=False, max_length=8)
    placement_postcode = forms.CharField(label="Placement postcode", required=False, max_length=8)
    urn = forms.CharField(
        label="Ofsted URN of the placement", required=False, max_length=10, help_text="If it has one."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(
            Field.text("start_date", field_width=10),
            Field.select("legal_status"),
            Field.select("category_of_need"),
            Field.select("placement"),
            Field.select("placement_provider"),
            Field.text("home_postcode", field_width=10),
            Field.text("placement_postcode", field_width=10),
            Field.text("urn", field_width=10),
        )

    def clean_home_postcode(self):
        return self._postcode(self.cleaned_data["home_postcode"])

    def clean_placement_postcode(self):
        return self._postcode(self.cleaned_data["placement_postcode"])


class EpisodeChangeForm(_CodesForm):
    """A change of placement or legal status: a new episode of the open period."""

    code_lists = {
        "reason_for_new_episode": CodeListName.RNE,
        "legal_status": CodeListName.LS,
        "category_of_need": CodeListName.CIN,
        "placement": CodeListName.PLACE,
        "placement_provider": CodeListName.PLACE_PROVIDER,
        "reason_place_change": CodeListName.REASON_PLACE_CHANGE,
    }
    # S starts a period of care; it is never the reason for a change.
    left_out = {"reason_for_new_episode": STARTS_PERIOD}

    start_date = date_field("Date of the change")
    reason_for_new_episode = code_field("Reason for the new episode", help_text=_YEAR_HELP)
    legal_status = code_field("Legal status")
    category_of_need = code_field("Category of need")
    placement = code_field("Placement type")
    placement_provider = code_field("Placement provider", required=False)
    reason_place_change = code_field(
        "Reason for the placement change", required=False, help_text="Only if the placement changed."
    )
    placement_postcode = forms.CharField(label="Placement postcode", required=False, max_length=8)
    urn = forms.CharField(
        label="Ofsted URN of the placement", required=False, max_length=10, help_text="If it has one."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(
            Field.text("start_date", field_width=10),
            Field.select("reason_for_new_episode"),
            Field.select("legal_status"),
            Field.select("category_of_need"),
            Field.select("placement"),
            Field.select("placement_provider"),
            Field.select("reason_place_change"),
            Field.text("placement_postcode", field_width=10),
            Field.text("urn", field_width=10),
        )

    def clean_placement_postcode(self):
        return self._postcode(self.cleaned_data["placement_postcode"])


class PeriodOfCareEndForm(_CodesForm):
    """The child leaves care."""

    code_lists = {"reason_ceased": CodeListName.REC}
    # X1 ends an episode while the child stays in care; it is never why a child left care.
    left_out = {"reason_ceased": STAYS_IN_CARE}

    end_date = date_field("Date the child left care")
    reason_ceased = code_field("Reason the child left care", help_text=_YEAR_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(Field.text("end_date", field_width=10), Field.select("reason_ceased"))
