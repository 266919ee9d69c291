"""Load: YAML and CSV inputs to validated models, every problem located (file, line, row, field)."""
