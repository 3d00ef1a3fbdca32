"""django-filter FilterSets for the conferences app's lists and API."""
