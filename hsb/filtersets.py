"""django-filter FilterSets for the hsb app's lists and API."""
