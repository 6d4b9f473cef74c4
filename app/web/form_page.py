"""The shape of every create/edit page: one form, one write, one message, one redirect.

GET shows the form (200). A valid POST runs the feature's write, flashes what happened
and redirects (Post/Redirect/Get, so a reload never sends the form twice). An invalid
POST shows the form again with its messages at the fields and status 422, and nothing
is written. A write may also refuse after validation (a rule that needs the database):
it then puts its message on a field and returns None, and the form is shown as invalid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

F = TypeVar("F", bound=FlaskForm)


@dataclass(frozen=True)
class Saved:
    message: str  # flashed as a success
    url: str  # where to go next
    category: str = "success"  # or "undo:<url>": the message gets an Undo button posting there


def form_page(form: F, template: str, save: Callable[[F], Saved | None], **context) -> ResponseReturnValue:
    """Render `template` with `form` (and `context`), or run `save(form)` on a valid POST."""
    if form.validate_on_submit():
        saved = save(form)
        if saved is not None:
            flash(saved.message, saved.category)
            return redirect(saved.url)
    status = 422 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status
