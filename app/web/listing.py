"""Paginated lists: every list page shows at most one page of rows, counted by the database."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

PER_PAGE = 50
# Far beyond any list; keeps the OFFSET inside SQLite's 64-bit integers (?page=10**20 was a 500).
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number() -> int:
    try:
        return min(max(1, int(request.args.get("page", "1"))), MAX_PAGE)
    except ValueError:  # not a number, or more digits than int() reads
        return 1


def paginate(s: Session, stmt: Select, number: int | None = None, per_page: int = PER_PAGE, scalars: bool = True) -> Page:
    number = number or page_number()
    total = s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    query = stmt.limit(per_page).offset((number - 1) * per_page)
    rows = list(s.scalars(query)) if scalars else list(s.execute(query))
    return Page(rows, number, per_page, total)
