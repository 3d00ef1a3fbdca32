"""Django admin registrations for the reports app."""
