"""WTForms fields shared by the features' forms.

SelectField: WTForms' own, with a faster option renderer. A unit select lists every unit
of the county (hundreds at most, 500 at bench scale), and WTForms builds each <option>
through html_params() and str.format(): about 30 ms for 500 options, more than the rest
of the page. The markup is the same.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import SelectField as _SelectField
from wtforms import widgets


class Select(widgets.Select):
    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:  # anything beyond value, label, selected: WTForms' own way
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{escape(value)}">{escape(choice.label or choice.value)}</option>')


class SelectField(_SelectField):
    widget = Select()
