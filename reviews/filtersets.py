"""django-filter FilterSets for the reviews app's lists and API."""
