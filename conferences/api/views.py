"""DRF views for the conferences app."""
