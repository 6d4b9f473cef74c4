"""A compiled catalog (.mo) whose messages are decoded when first asked for (issue 17).

gettext decodes every message of a .mo as it loads it: 1 900 originals and as many translations in
Finnish, 2 ms of the first page, which asks for a hundred or two. LazyTranslations indexes the
originals as the file's bytes (a fifth of that) and decodes a message, and its translation, when a
page first asks for it. Lookups, plural forms, the header (charset, Plural-Forms), iteration and
merging are gettext's and Babel's; tests/test_lazy_catalog.py compares the two on every message of
the app's catalogs. A file in another layout (big-endian) is parsed by gettext as it is.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator, MutableMapping
from gettext import c2py
from operator import add
from typing import Any, cast

from babel.support import Translations

_MISSING = object()
Key = str | tuple[str, int]


class LazyTranslations(Translations):
    def _parse(self, fp) -> None:
        data, name = fp.read(), getattr(fp, "name", "")
        if len(data) < 20 or struct.unpack_from("<I", data)[0] != self.LE_MAGIC:
            super()._parse(io.BytesIO(data))  # gettext's own errors and layouts
            return
        version, count, originals_at, translations_at = struct.unpack_from("<4I", data, 4)
        if version >> 16 not in self.VERSIONS:  # the major version, as gettext checks it
            raise OSError(0, f"Bad version number {version >> 16}", name)
        self.plural = lambda n: int(n != 1)  # gettext's default until the header says otherwise
        messages = _Messages(data, count, originals_at, translations_at, name)
        header = messages.translation_bytes(b"")
        if header is not None:
            self._read_header(header)
        messages.charset = self._charset or "ascii"
        self._catalog = messages  # type: ignore[assignment]  # gettext reads it as a mapping

    def _read_header(self, header: bytes) -> None:
        """The catalog's description (the message with an empty original), read as gettext reads it."""
        last = None
        for line in header.split(b"\n"):
            item = line.decode().strip()
            if not item or (item.startswith("#-#-#-#-#") and item.endswith("#-#-#-#-#")):
                continue
            key = value = None
            if ":" in item:
                key, value = (part.strip() for part in item.split(":", 1))
                key = key.lower()
                self._info[key] = value
                last = key
            elif last:
                self._info[last] += "\n" + item
            if key == "content-type" and value is not None:
                self._charset = value.split("charset=")[1]
            elif key == "plural-forms" and value is not None:
                self.plural = cast(Any, c2py(value.split(";")[1].split("plural=")[1]))


class _Messages(MutableMapping[Key, str]):
    """gettext's catalog (original -> translation; (original, form) -> a plural form) over the file's
    bytes: an original's bytes -> its entry, each message decoded on its first lookup."""

    def __init__(self, data: bytes, count: int, originals_at: int, translations_at: int, name: str) -> None:
        originals = struct.unpack_from(f"<{2 * count}I", data, originals_at)
        self._translations = struct.unpack_from(f"<{2 * count}I", data, translations_at)
        ends = (*map(add, originals[::2], originals[1::2]), *map(add, self._translations[::2], self._translations[1::2]))
        if ends and max(ends) >= len(data):
            raise OSError(0, "File is corrupt", name)
        self._data = data
        pairs = iter(originals)
        self._entries = {data[offset : offset + length]: i for i, (length, offset) in enumerate(zip(pairs, pairs))}
        self._plurals: dict[bytes, int] | None = None  # msgid1 -> entry, made on the first plural lookup
        self._known: dict[Key, str] = {}  # decoded, or set (merged, added)
        self._whole = False  # every entry decoded into _known (iterated, or an entry deleted)
        self.charset = "ascii"

    def translation_bytes(self, original: bytes) -> bytes | None:
        i = self._entries.get(original)
        return None if i is None else self._translation(i)

    def _translation(self, i: int) -> bytes:
        length, offset = self._translations[2 * i], self._translations[2 * i + 1]
        return self._data[offset : offset + length]

    def _find(self, key: Any) -> Any:
        if self._whole:
            return _MISSING
        try:
            if isinstance(key, str):
                i = self._entries.get(key.encode(self.charset))
                return _MISSING if i is None else self._translation(i).decode(self.charset)
            if isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str) and isinstance(key[1], int):
                i = self._plural_entries().get(key[0].encode(self.charset))
                forms = [] if i is None else self._translation(i).split(b"\x00")
                return forms[key[1]].decode(self.charset) if 0 <= key[1] < len(forms) else _MISSING
        except UnicodeError:  # a key the catalog's charset cannot hold is in no message
            pass
        return _MISSING

    def _plural_entries(self) -> dict[bytes, int]:
        if self._plurals is None:
            self._plurals = {original.split(b"\x00")[0]: i for original, i in self._entries.items() if b"\x00" in original}
        return self._plurals

    def get(self, key: Any, default: Any = None) -> Any:
        found = self._known.get(key, _MISSING)
        if found is _MISSING:
            found = self._find(key)
            if found is _MISSING:
                return default
            self._known[key] = found
        return found

    def __getitem__(self, key: Any) -> str:
        found = self.get(key, _MISSING)
        if found is _MISSING:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __setitem__(self, key: Key, value: str) -> None:
        self._known[key] = value

    def __delitem__(self, key: Key) -> None:
        self._decode_all()
        del self._known[key]

    def _decode_all(self) -> None:
        """Every entry in _known as gettext keys them (a set or merged one is kept as it is)."""
        if self._whole:
            return
        charset = self.charset
        for original, i in self._entries.items():
            translation = self._translation(i)
            if b"\x00" in original:
                msgid1 = original.split(b"\x00")[0].decode(charset)
                for form, text in enumerate(translation.split(b"\x00")):
                    self._known.setdefault((msgid1, form), text.decode(charset))
            else:
                self._known.setdefault(original.decode(charset), translation.decode(charset))
        self._whole = True

    def __iter__(self) -> Iterator[Key]:
        self._decode_all()
        return iter(self._known)

    def __len__(self) -> int:
        self._decode_all()
        return len(self._known)
