"""Forms for the reviews app's pages."""
