"""Django admin registrations for the hsb app."""
