"""The forms of a rendered page, read the way a browser reads them: for tests that post to every
form the app has (tests/test_fuzz_http.py, tests/sync/test_forms_roundtrip.py) without a hand
list of fields that would go stale when a field is added."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "email", "search", "url", "tel", "password", ""}


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, number, date, time, checkbox, radio, select, hidden, file
    value: str = ""  # the value the page fills in (a checkbox's or a radio's own value)
    options: list[str] = field(default_factory=list)  # a select's, radio group's or checkbox group's values
    required: bool = False


@dataclass
class PageForm:
    action: str
    classes: str
    fields: dict[str, FormField] = field(default_factory=dict)
    method: str = "post"

    @property
    def csrf(self) -> str:
        token = self.fields.get("csrf_token")
        return token.value if token else ""

    def defaults(self) -> dict[str, str | list[str]]:
        """What the browser would post untouched (checked boxes aside: none are taken)."""
        return {f.name: f.value for f in self.fields.values() if f.kind not in ("checkbox", "radio", "file")}


def _typed_kind(attrs: dict[str, str]) -> str | None:
    """Dates, times and numbers are text inputs the server reads (app/web/fields.py, forms.py):
    known by their class (input-date, input-time) or their keyboard hint (inputmode)."""
    if attrs.get("type", "text").lower() not in TEXT_TYPES:
        return None
    classes = attrs.get("class", "").split()
    if "input-date" in classes:
        return "date"
    if "input-time" in classes:
        return "time"
    if attrs.get("inputmode") in ("numeric", "decimal"):
        return "number"
    return None


class _Parser(HTMLParser):
    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.forms: list[PageForm] = []
        self.current: PageForm | None = None
        self.select: FormField | None = None
        self.textarea: FormField | None = None

    def _add(self, name: str, kind: str, value: str = "", required: bool = False) -> FormField:
        assert self.current is not None
        existing = self.current.fields.get(name)
        if existing is not None and kind in ("radio", "checkbox"):
            existing.options.append(value)
            return existing
        made = FormField(name, kind, value, [value] if kind in ("radio", "checkbox") else [], required)
        self.current.fields[name] = made
        return made

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            self.current = PageForm(a.get("action") or self.path, a.get("class", ""), method=method)
            self.forms.append(self.current)
            return
        if self.current is None or not a.get("name"):
            if tag == "option" and self.select is not None:
                self.select.options.append(a.get("value", ""))
                if "selected" in a:
                    self.select.value = a.get("value", "")
            return
        required = "required" in a
        if tag == "input":
            kind = a.get("type", "text").lower()
            kind = "text" if kind in TEXT_TYPES else kind
            kind = _typed_kind(a) or kind
            if kind in ("submit", "button", "reset", "image"):
                return
            self._add(a["name"], kind, a.get("value", ""), required)
        elif tag == "textarea":
            self.textarea = self._add(a["name"], "textarea", "", required)
        elif tag == "select":
            self.select = self._add(a["name"], "select", "", required)
        elif tag == "button" and a.get("value"):
            self._add(a["name"], "hidden", a["value"])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            if self.select is not None and not self.select.value and self.select.options:
                self.select.value = self.select.options[0]
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_of(html: str, path: str, method: str = "post") -> list[PageForm]:
    """The page's forms sent with `method` ("post": those that write; "get": filters)."""
    parser = _Parser(path)
    parser.feed(html)
    return [f for f in parser.forms if f.method == method]


def main_form(html: str, path: str) -> PageForm | None:
    """The page's own form (class "form"), not the language switch or the Close button."""
    forms = [f for f in forms_of(html, path) if f.action.split("?")[0] not in ("/language", "/quit")]
    own = [f for f in forms if "form" in f.classes.split()]
    return (own or forms or [None])[0]
