"""Fields shared by the records API's serializers."""

from datetime import date

from rest_framework import serializers


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
