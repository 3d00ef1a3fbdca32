"""Pages of the reports app: thin views over services and selectors."""
