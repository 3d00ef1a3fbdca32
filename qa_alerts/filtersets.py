"""django-filter FilterSets for the qa_alerts app's lists and API."""
