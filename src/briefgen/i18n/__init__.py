"""Translations: status and lock file, glossary terms, XLIFF round trips."""
