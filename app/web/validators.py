"""WTForms validators shared by every feature's forms."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from wtforms.validators import ValidationError

from app.core import hetu

EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


class NoIdentityCode:
    """Refuses a Finnish personal identity code anywhere in a free-text field.

    Koordi must hold no client data (DOMAIN.md). A code with a wrong check
    character is refused too: it is most likely someone's real code, mistyped.
    """

    def __call__(self, form, field):
        for finding in hetu.find_codes(field.data or ""):
            if finding.kind == "valid":
                raise ValidationError(
                    _(
                        "%(field)s contains a Finnish personal identity code (%(code)s). "
                        "Koordi must not hold client data: remove it.",
                        field=field.label.text,
                        code=finding.masked,
                    )
                )
            raise ValidationError(
                _(
                    "%(field)s contains what looks like a personal identity code with a wrong "
                    "check character (%(code)s): it may still be someone's mistyped code. Remove it.",
                    field=field.label.text,
                    code=finding.masked,
                )
            )


class Email:
    """An email address, and (as every free-text field) never one holding an identity code."""

    def __call__(self, form, field):
        if field.data and not EMAIL.match(field.data.strip()):
            raise ValidationError(_("%(field)s is not an email address.", field=field.label.text))
        NoIdentityCode()(form, field)


class MaxChars:
    """At most `max` characters: what WTForms' Length(max=) checks, worded with how many were
    typed, and without the maxlength attribute Length gives the input (app.web.forms: a
    browser cuts a pasted text at maxlength without a word, and the rest is lost)."""

    def __init__(self, max: int):
        self.max = max

    def __call__(self, form, field):
        count = len(field.data or "")
        if count > self.max:
            raise ValidationError(
                _(
                    "%(field)s: at most %(max)s characters (you wrote %(count)s).",
                    field=field.label.text,
                    max=self.max,
                    count=count,
                )
            )
