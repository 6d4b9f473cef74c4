"""The PyInstaller bundle's size and file count, and where they go.

    .venv/bin/python bench/bundle.py [--build] [--top 15] [--dist dist]

Reuses a complete dist/Koordi (python3 build/dev.py bundle), or builds it when there is
none (--build: always). Prints the total size in MiB and the number of files (each file
is opened and scanned by the antivirus on Windows at every start, so the count matters
as much as the size), then the biggest folders by size with their own file counts, and
the folders with the most files. Not a test: what a build holds depends on the platform.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILDER = ROOT / "build" / "build_bundle.py"


def load_builder():
    import importlib.util

    spec = importlib.util.spec_from_file_location("koordi_build_bundle", BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def folder_of(path: Path, top: Path, depth: int) -> str:
    parts = path.relative_to(top).parts[:-1][:depth]
    return "/".join(parts) or "."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--build", action="store_true", help="build even when a complete bundle exists")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--depth", type=int, default=2, help="folder depth under _internal/ to group by")
    args = parser.parse_args()

    builder = load_builder()
    dist = args.dist.resolve()
    if args.build or not builder.is_complete(dist):
        code = subprocess.call([sys.executable, str(BUILDER), "--distpath", str(dist)], cwd=ROOT)
        if code != 0:
            return code
    elif not builder.is_fresh(dist):
        print("(dist/Koordi is not a build of this very tree; --build to rebuild)")
    bundle = dist / builder.NAME
    # Counted as build_bundle.py counts them (a symlink to a library is a file too); sized once.
    files = [p for p in bundle.rglob("*") if p.is_file()]
    links = sum(1 for p in files if p.is_symlink())
    files = [p for p in files if not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    print(f"bundle {bundle}: {total / 2**20:.1f} MiB in {len(files) + links} files ({links} of them symlinks)")

    inside = bundle / "_internal"
    sizes: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for p in files:
        key = folder_of(p, inside, args.depth) if inside in p.parents else "(executables)"
        sizes[key] += p.stat().st_size
        counts[key] += 1
    print(f"\nbiggest folders under _internal/ (depth {args.depth}):")
    for key, size in sizes.most_common(args.top):
        print(f"  {size / 2**20:7.1f} MiB {counts[key]:6d} files  {key}")
    print("\nmost files:")
    for key, count in counts.most_common(args.top):
        print(f"  {count:6d} files {sizes[key] / 2**20:7.1f} MiB  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
