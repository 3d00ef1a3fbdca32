"""Django admin registrations for the conferences app."""
