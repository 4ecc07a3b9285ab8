"""Content: the model, loading YAML with line numbers, cross-checks, inline markup, JSON Schemas."""
