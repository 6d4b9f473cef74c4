"""Placeholder: filled by the surveys work (see app/surveys/__init__.py)."""
