"""Compiling the message catalogs (.po -> .mo), with nothing but Babel.

Kept free of the rest of the app: the wheel's build hook (build/koordi_backend.py) loads
this file by its path in a build environment that has Babel and setuptools only, and
app.paths calls it at start in a source checkout whose catalogs were never compiled.
"""

from __future__ import annotations

import os
from pathlib import Path

PATTERN = "*/LC_MESSAGES/messages.po"


def stale(source: Path, target: Path | None = None) -> list[Path]:
    """The .po files under source whose .mo under target (default: beside them) is missing or older."""
    target = source if target is None else target
    found = []
    for po in sorted(source.glob(PATTERN)):
        mo = (target / po.relative_to(source)).with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            found.append(po)
    return found


def compile_catalogs(source: Path, target: Path | None = None, force: bool = False) -> list[Path]:
    """Compile every stale catalog of source into target (default: beside the .po); force: all
    of them. Returns the .mo files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    target = source if target is None else target
    written = []
    for po in sorted(source.glob(PATTERN)) if force else stale(source, target):
        mo = (target / po.relative_to(source)).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        # Beside it, then renamed: parallel test workers (or a second Koordi) may read it meanwhile.
        part = mo.with_name(f"{mo.name}.{os.getpid()}.part")
        with part.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        os.replace(part, mo)
        written.append(mo)
    return written
