"""Serializers documenting the figures API's responses in the OpenAPI schema."""

from rest_framework import serializers


class FiguresDocumentSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    filters = serializers.DictField(help_text="team and iro ids, or null")
    figures = serializers.DictField(
        help_text="key -> figure: {value, unit} for counts and breakdowns, plus numerator and "
        "denominator for rates; series values are lists of {date, value}."
    )


class SeriesPointSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    figure = serializers.DictField()


class SeriesDocumentSerializer(serializers.Serializer):
    key = serializers.CharField()
    interval = serializers.ChoiceField(choices=["month", "quarter"])
    filters = serializers.DictField()
    points = SeriesPointSerializer(many=True)


class CatalogueEntrySerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=["count", "rate", "breakdown", "series"])
    section = serializers.CharField()
    label = serializers.CharField()
    definition = serializers.CharField()
    drill_down = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer):
    parameter = serializers.ListField(child=serializers.CharField(), help_text="one list per bad parameter")
