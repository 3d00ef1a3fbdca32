"""DRF views for the reports app."""
