"""THIRD_PARTY_NOTICES.txt: the licences of everything the bundle redistributes, from the lock.

    .venv/bin/python build/notices.py [-o FILE]      (installer.spec writes it for the bundle)

For every package of build/requirements.lock whose environment marker holds here (what
this platform's bundle holds: the Windows bundle has pythonnet, the Linux one does not):
name, version, licence (License-Expression, else License, else the licence classifiers),
home page, the shared libraries its wheel vendors (<name>.libs), and
the text of every licence file the distribution ships. Then what is not a package of the
lock: Python itself, PyInstaller's bootloader, the DejaVu fonts (assets/fonts) and the
WebView2 SDK's DLLs that pywebview ships. A package of the lock that is not installed is an
error: the notices would be incomplete. Standard library only, plus `packaging` (a
dependency of PyInstaller) for the markers.
"""

from __future__ import annotations

import argparse
import re
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "build" / "requirements.lock"
FONT_LICENSE = ROOT / "assets" / "fonts" / "LICENSE-DejaVu.txt"
RULE = "=" * 78
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")

# The WebView2 SDK (Microsoft.Web.WebView2 on NuGet): its LICENSE.txt, which the DLLs in
# pywebview's webview/lib come with. pywebview's wheel does not carry the text itself.
WEBVIEW2_LICENSE = """\
Copyright (C) Microsoft Corporation. All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are
met:

   * Redistributions of source code must retain the above copyright
notice, this list of conditions and the following disclaimer.
   * Redistributions in binary form must reproduce the above
copyright notice, this list of conditions and the following disclaimer
in the documentation and/or other materials provided with the
distribution.
   * The name of Microsoft Corporation, or the names of its contributors
may not be used to endorse or promote products derived from this
software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
"AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT
LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR
A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT
OWNER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

HEADER = """\
Koordi: third-party notices

Koordi itself is under the MIT licence (the file LICENSE, Copyright (c) Koordi
contributors). This program also contains the software listed below, each under
its own licence, whose text follows its entry.

psycopg and psycopg-binary are under the GNU Lesser General Public License v3:
their Python modules are in the program folder as ordinary files
(_internal/psycopg, _internal/psycopg_binary), so you may replace them with a
modified version; their source is at https://github.com/psycopg/psycopg.
"""


def locked_packages(lock: Path = LOCK) -> list[tuple[str, str, str | None]]:
    """(name, version, marker or None) for every pin of the lock."""
    found = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = PIN.match(line)
        if m:
            found.append((m.group(1), m.group(2), m.group(3)))
    return found


def applies(marker: str | None) -> bool:
    return marker is None or Marker(marker).evaluate()


def licence_of(meta) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    declared = (meta.get("License") or "").strip()
    if declared and "\n" not in declared and len(declared) < 100:
        return declared
    if classifiers:
        return ", ".join(classifiers)
    return declared.splitlines()[0] if declared else "see the licence text below"


def licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(file name, text) of each licence file in the dist-info folder."""
    names = list(dict.fromkeys(dist.metadata.get_all("License-File") or []))
    if not names:  # older wheels list none: take what looks like one
        names = [
            Path(str(f)).name
            for f in dist.files or []
            if ".dist-info" in str(f) and re.match(r"(LICEN[CS]E|COPYING|NOTICE)", Path(str(f)).name, re.I)
        ]
    texts = []
    for name in names:
        text = dist.read_text(f"licenses/{name}") or dist.read_text(name)
        if text:
            texts.append((name, text))
    return texts


def vendored(dist: metadata.Distribution) -> list[str]:
    """The shared libraries a binary wheel vendors (auditwheel's and delvewheel's <name>.libs folder):
    their licences are the package's to ship (pillow's LICENSE lists them; psycopg-binary's does not)."""
    return sorted({Path(str(f)).name for f in dist.files or [] if Path(str(f)).parts[0].endswith(".libs")})


def home_page(meta) -> str:
    for url in meta.get_all("Project-URL") or []:
        label, _, link = url.partition(",")
        if label.strip().lower() in ("source", "source code", "homepage", "home", "repository", "code"):
            return link.strip()
    return (meta.get("Home-page") or "").strip()


def section(title: str, lines: list[str], texts: list[tuple[str, str]]) -> str:
    out = [RULE, title, RULE, *lines, ""]
    for name, text in texts:
        out += [f"--- {name} ---", text.strip(), ""]
    return "\n".join(out) + "\n"


def package_section(name: str, version: str, note: str = "") -> str:
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise SystemExit(f"notices: {name} {version} is in the lock but not installed: the notices would be incomplete")
    meta = dist.metadata
    lines = [f"Version: {dist.version}", f"Licence: {licence_of(meta)}"]
    if home_page(meta):
        lines.append(f"Home: {home_page(meta)}")
    if note:
        lines.append(note)
    bundled = vendored(dist)
    if bundled:
        lines.append("Libraries in its wheel: " + ", ".join(bundled))
    if dist.version != version:
        lines.append(f"(the lock says {version})")
    return section(f"{meta['Name']} {dist.version}", lines, licence_texts(dist))


def python_section() -> str:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    text = next((p for p in (stdlib / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt") if p.is_file()), None)
    version = ".".join(map(str, sys.version_info[:3]))
    texts = [("LICENSE.txt", text.read_text(encoding="utf-8"))] if text else []
    return section(f"Python {version}", ["Licence: PSF-2.0 (the interpreter and its standard library)"], texts)


def generate(lock: Path = LOCK) -> str:
    parts = [HEADER]
    for name, version, marker in sorted(locked_packages(lock), key=lambda p: p[0].lower()):
        if applies(marker):
            parts.append(package_section(name, version))
    parts.append(python_section())
    parts.append(
        package_section(
            "pyinstaller",
            metadata.version("pyinstaller"),
            note="Only its bootloader is in this program (the Koordi and koordi-cli executables), "
            "which the licence's exception allows to distribute under any terms.",
        )
    )
    parts.append(
        section(
            "DejaVu fonts (assets/fonts)",
            ["Licence: Bitstream Vera and Arev fonts licence"],
            [("LICENSE-DejaVu.txt", FONT_LICENSE.read_text(encoding="utf-8"))],
        )
    )
    parts.append(
        section(
            "Microsoft Edge WebView2 SDK (Windows)",
            [
                "Microsoft.Web.WebView2.Core.dll, Microsoft.Web.WebView2.WinForms.dll and WebView2Loader.dll,",
                "shipped by pywebview (webview/lib) and used for the window on Windows. The WebView2 Runtime",
                "itself is part of Windows and is not redistributed.",
                "Licence: BSD-3-Clause (the SDK's LICENSE.txt)",
            ],
            [("LICENSE.txt", WEBVIEW2_LICENSE)],
        )
    )
    return "\n".join(parts)


def write(path: Path, lock: Path = LOCK) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate(lock), encoding="utf-8", newline="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=None, help="the file to write (default: print)")
    args = parser.parse_args(argv)
    if args.out is None:
        sys.stdout.write(generate())
    else:
        print(f"notices: wrote {write(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
