"""Django admin registrations for the reviews app."""
