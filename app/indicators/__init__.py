"""The indicators feature: the catalogue and the monthly figures grid. routes.py (the URL rules), views.py (the pages, imported on their first request),
forms.py, ops.py (the writes), grid.py (the grid's cells read and checked), cells.py (one cell's
text by the indicator's measure), templates/indicators/."""

from app.indicators.routes import bp

__all__ = ["bp"]
