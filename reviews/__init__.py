"""Children in care: periods of care, episodes, LAC reviews and their parts, visits and records."""
