"""Forms for the hsb app's pages."""
