"""Pages of the reviews app: thin views over services and selectors."""
