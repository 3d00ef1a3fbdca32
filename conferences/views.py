"""Pages of the conferences app: thin views over services and selectors."""
