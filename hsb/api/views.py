"""DRF views for the hsb app."""
