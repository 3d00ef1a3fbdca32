"""django-filter FilterSets for the reports app's lists and API."""
