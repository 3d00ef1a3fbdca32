"""DRF views for the reviews app."""
