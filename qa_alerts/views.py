"""Pages of the qa_alerts app: thin views over services and selectors."""
