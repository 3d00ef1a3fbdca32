"""Django admin registrations for the qa_alerts app."""
