"""Forms for the conferences app's pages."""
