"""Audiences: each one a declaration in its own module, the registry of them, and target selection from it."""
