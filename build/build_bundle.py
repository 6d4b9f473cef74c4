"""Build the PyInstaller bundle (installer.spec): dist/Koordi/ with Koordi and koordi-cli.

    python3 build/dev.py bundle [--qt|--no-qt] [--distpath D] [--workpath W]

Run with the project's venv python (dev.py does). Compiles the translation catalogs
first, builds with --noconfirm --clean, never into build/ (that folder is ours:
the work path is .pyinstaller/work), then prints the size and the time it took and
writes D/Koordi.build.json with a fingerprint of the sources that went in, so a test
can tell whether dist/ is a fresh build of this tree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer.spec"
NAME = "Koordi"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""
# What decides the bundle's content, besides the installed packages (which the lock decides).
INPUTS = [
    "app",
    "assets",
    "installer.spec",
    "build/entry.py",
    "build/build_bundle.py",
    "build/notices.py",
    "build/requirements.lock",
    "build/requirements-dev.lock",
    "pyproject.toml",
    "LICENSE",
]


def qt_default() -> bool:
    return os.environ.get("KOORDI_BUNDLE_QT", "0") == "1"


def fingerprint(qt: bool) -> str:
    """sha256 over the contents (not times) of every input file; .mo files are derived from .po."""
    h = hashlib.sha256()
    h.update(f"{sys.platform} {sys.version} qt={qt and sys.platform.startswith('linux')}\n".encode())
    for item in INPUTS:
        top = ROOT / item
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo", ".mo"):
                continue
            h.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def stamp_path(distpath: Path) -> Path:
    return distpath / f"{NAME}.build.json"


def read_stamp(distpath: Path) -> dict:
    try:
        return json.loads(stamp_path(distpath).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_complete(distpath: Path) -> bool:
    """Did a build into distpath finish (the stamp is written last)?"""
    bundle = distpath / NAME
    return (
        bool(read_stamp(distpath).get("fingerprint"))
        and (bundle / ("koordi-cli" + EXE_SUFFIX)).exists()
        and (bundle / (NAME + EXE_SUFFIX)).exists()
    )


def is_fresh(distpath: Path, qt: bool | None = None) -> bool:
    """Does distpath hold a complete build of this very tree (as it is now)?"""
    stamp = read_stamp(distpath)
    qt = stamp.get("qt", False) if qt is None else qt
    return is_complete(distpath) and stamp.get("fingerprint") == fingerprint(qt)


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist")
    parser.add_argument("--workpath", type=Path, default=ROOT / ".pyinstaller" / "work")
    qt = parser.add_mutually_exclusive_group()
    qt.add_argument("--qt", dest="qt", action="store_true", default=qt_default(), help="Linux: bundle PyQt6 + QtWebEngine")
    qt.add_argument("--no-qt", dest="qt", action="store_false")
    parser.add_argument("--log-level", default="WARN", help="PyInstaller's log level (default WARN)")
    args = parser.parse_args(argv)

    distpath = args.distpath.resolve()
    workpath = args.workpath.resolve()
    if workpath == (ROOT / "build").resolve() or (ROOT / "build").resolve() in workpath.parents:
        print("bundle: the work path must not be build/: that folder holds our scripts", file=sys.stderr)
        return 2

    sys.path.insert(0, str(ROOT))
    from app.i18n import compile_catalogs

    written = compile_catalogs()
    print(f"bundle: translation catalogs: {len(written)} compiled" if written else "bundle: translation catalogs: up to date")

    stamp_path(distpath).unlink(missing_ok=True)  # no stale claim while (or if) the build fails
    # Taken before the build: if the tree changes meanwhile, the stamp will not match it.
    built_from = fingerprint(args.qt)
    print(f"bundle: pyinstaller installer.spec -> {distpath / NAME} (Qt: {'yes' if args.qt else 'no'})", flush=True)
    started = time.monotonic()
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--clean",
        "--distpath",
        str(distpath),
        "--workpath",
        str(workpath),
        "--log-level",
        args.log_level,
    ]
    env = {**os.environ, "KOORDI_BUNDLE_QT": "1" if args.qt else "0", "PYTHONHASHSEED": "0"}
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    seconds = time.monotonic() - started
    if code != 0:
        print(f"bundle: PyInstaller failed (exit {code}) after {seconds:.0f} s", file=sys.stderr)
        return code or 1
    bundle = distpath / NAME
    size = tree_size(bundle)
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    stamp = {"fingerprint": built_from, "qt": args.qt, "seconds": round(seconds, 1), "bytes": size, "files": files}
    stamp_path(distpath).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
    print(f"bundle: built {bundle} in {seconds:.0f} s: {size / 2**20:.0f} MiB in {files} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
