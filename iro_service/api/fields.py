"""Fields shared by the records API's serializers."""

from datetime import date

from rest_framework import serializers
from rest_framework.fields import empty


class RecordDateField(serializers.DateField):
    """A date a record can hold. Dates far outside living memory are typos, and date
    arithmetic on them (due dates, working days) would overflow: refuse them with a 400."""

    earliest = date(1900, 1, 1)
    latest = date(2100, 12, 31)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not (self.earliest <= day <= self.latest):
            raise serializers.ValidationError(
                f"Enter a date between {self.earliest:%-d %B %Y} and {self.latest:%-d %B %Y}."
            )
        return day


class WholeItemSerializer(serializers.Serializer):
    """One item of a list inside a request body (a review's part, a child's decision, an
    agency's attendance). DRF's ``partial`` (a PATCH) reaches into nested serializers and lets
    every field be left out, so a PATCH could send a part without its date and the view would
    meet a half-built item. A list sent in a change replaces the whole list, so each of its items
    is sent whole: its required fields are required, and its defaults apply, in a PATCH too."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not getattr(self.root, "partial", False):
            return value
        missing = {}
        for field in self._writable_fields:
            if field.source in value:
                continue
            if field.required:
                missing[field.field_name] = [field.error_messages["required"]]
            elif field.default is not empty:
                # Not field.get_default(): under ``partial`` it skips the field instead.
                value[field.source] = field.default() if callable(field.default) else field.default
        if missing:
            raise serializers.ValidationError(missing)
        return value
