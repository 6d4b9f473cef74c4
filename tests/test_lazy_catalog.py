"""app.lazy_catalog: a catalog decoded as it is asked answers exactly as gettext's eager one."""

from __future__ import annotations

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from app import i18n
from app.lazy_catalog import LazyTranslations


def _both(data: bytes) -> tuple[Translations, LazyTranslations]:
    return Translations(io.BytesIO(data)), LazyTranslations(io.BytesIO(data))


@pytest.fixture(params=i18n.LANGUAGES)
def shipped(request) -> bytes:
    return (i18n.TRANSLATIONS_DIR / request.param / "LC_MESSAGES" / "messages.mo").read_bytes()


def test_every_message_of_the_apps_catalogs_reads_as_gettext_reads_it(shipped):
    eager, lazy = _both(shipped)
    assert len(eager._catalog) > 900
    for key, text in eager._catalog.items():
        assert lazy._catalog.get(key) == text and lazy._catalog[key] == text and key in lazy._catalog, key
        if isinstance(key, str):
            assert lazy.gettext(key) == eager.gettext(key)
        else:
            assert lazy.ngettext(key[0], key[0] + "s", 2) == eager.ngettext(key[0], key[0] + "s", 2)
            assert lazy.ngettext(key[0], key[0] + "s", 1) == eager.ngettext(key[0], key[0] + "s", 1)
    assert (lazy._info, lazy._charset, lazy.plural(2), lazy.plural(1)) == (
        eager._info,
        eager._charset,
        eager.plural(2),
        eager.plural(1),
    )
    assert dict(lazy._catalog.items()) == eager._catalog and len(lazy._catalog) == len(eager._catalog)


def test_a_message_not_in_the_catalog_falls_back_as_with_gettext(shipped):
    eager, lazy = _both(shipped)
    for text in ("No such message at all", "", "\ud800 a lone surrogate", "Haku " * 3):
        assert lazy.gettext(text) == eager.gettext(text)
        assert lazy.ngettext(text, text + "s", 5) == eager.ngettext(text, text + "s", 5)
        assert lazy._catalog.get(text, "missing") == eager._catalog.get(text, "missing")
    assert lazy._catalog.get(("No such message", 0), "missing") == "missing"
    assert lazy._catalog.get(None, "missing") == "missing"
    with pytest.raises(KeyError):
        lazy._catalog["No such message at all"]


def _mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def test_plurals_contexts_and_a_three_form_language():
    catalog = Catalog(locale="pl")  # three plural forms
    catalog.add("File", "Plik")
    catalog.add(("%(n)s file", "%(n)s files"), ("%(n)s plik", "%(n)s pliki", "%(n)s plików"))
    catalog.add("Open", "Otwórz", context="menu")
    catalog.add("Open", "Otwarte", context="status")
    catalog.add(("File", "Files"), ("Plik", "Pliki", "Plików"))  # the singular again, as a plural's msgid1
    eager, lazy = _both(_mo(catalog))
    for n in (1, 2, 5, 22, 25):
        assert lazy.ngettext("%(n)s file", "%(n)s files", n) == eager.ngettext("%(n)s file", "%(n)s files", n)
        assert lazy.ngettext("File", "Files", n) == eager.ngettext("File", "Files", n)
    assert lazy.gettext("File") == eager.gettext("File") == "Plik"
    assert lazy.pgettext("menu", "Open") == "Otwórz" and lazy.pgettext("status", "Open") == "Otwarte"
    assert lazy.pgettext("other", "Open") == eager.pgettext("other", "Open") == "Open"
    assert dict(lazy._catalog.items()) == eager._catalog


def test_merging_into_and_from_a_lazy_catalog():
    first, second = Catalog(locale="fi"), Catalog(locale="fi")
    first.add("Search", "Haku")
    first.add("Units", "Yksiköt")
    second.add("Units", "Toimipisteet")
    second.add("Events", "Tapahtumat")
    eager = Translations(io.BytesIO(_mo(first))).merge(Translations(io.BytesIO(_mo(second))))
    into_lazy = LazyTranslations(io.BytesIO(_mo(first))).merge(Translations(io.BytesIO(_mo(second))))
    from_lazy = Translations(io.BytesIO(_mo(first))).merge(LazyTranslations(io.BytesIO(_mo(second))))
    for merged in (into_lazy, from_lazy):
        assert dict(merged._catalog.items()) == eager._catalog
        assert [merged.gettext(m) for m in ("Search", "Units", "Events")] == ["Haku", "Toimipisteet", "Tapahtumat"]
    del into_lazy._catalog["Search"]
    assert into_lazy.gettext("Search") == "Search"


def test_a_damaged_catalog_is_refused_as_gettext_refuses_it(shipped):
    for damaged in (shipped[: len(shipped) // 2], shipped[:-1]):
        with pytest.raises(OSError):
            Translations(io.BytesIO(damaged))
        with pytest.raises(OSError):
            LazyTranslations(io.BytesIO(damaged))


def test_the_apps_catalogs_load_lazily():
    assert isinstance(i18n._translations("fi"), LazyTranslations)
    assert i18n.translator("sv")("Search") == "Sök"
