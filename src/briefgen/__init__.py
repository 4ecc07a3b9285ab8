"""briefgen: render one body of bilingual policy recommendations into briefs for each audience."""

# The one place the version is written; pyproject.toml reads it from here. A constant rather
# than importlib.metadata, which costs a tenth of a no-op build's time budget.
__version__ = "0.1.0"
