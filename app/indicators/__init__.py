"""The indicators feature: the catalogue and the monthly figures grid. views.py (URL rules),
forms.py, ops.py (the writes), grid.py (the grid's cells read and checked), cells.py (one cell's
text by the indicator's measure), templates/indicators/."""

from app.indicators.views import bp

__all__ = ["bp"]
