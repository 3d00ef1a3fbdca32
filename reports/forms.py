"""Forms for the reports app's pages."""
