"""Figures shown the same way everywhere they are shown."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

TENTH = Decimal("0.1")


class Totals(NamedTuple):
    """Method guidance: sessions and minutes, and the hours they make."""

    sessions: int = 0
    minutes: int = 0

    @property
    def hours(self) -> Decimal:
        """Hours to one decimal, half up (45 min -> 0.8): what the pages show as "0,8 h"."""
        return (Decimal(self.minutes) / 60).quantize(TENTH, rounding=ROUND_HALF_UP)
