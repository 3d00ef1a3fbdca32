"""Pages of the hsb app: thin views over services and selectors."""
