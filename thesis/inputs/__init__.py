"""Load: read YAML with line numbers, validate it into closed models, and describe the input format."""
