"""What the office's Koordi remembers between launches: the merged database (TARGET) and the
language of its pages, in one small JSON file in its folder (<data folder>/central/office.json).

The file is written whole or not at all (app.diskio.write_file); a missing, unreadable or
damaged file reads as "nothing remembered", never as an error: it only saves typing.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.diskio import write_file

FILE_NAME = "office.json"
FOLDER = "central"  # the office's own folder inside the data folder: its lock, logs and this file


def office_folder(data_dir: Path) -> Path:
    """The office's own folder in a data folder (created): a coordinator's Koordi on the same
    laptop keeps its lock and logs apart."""
    folder = data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load(folder: Path) -> dict[str, str]:
    try:
        doc = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict):
        return {}
    return {k: v for k, v in doc.items() if isinstance(k, str) and isinstance(v, str)}


def remember(folder: Path, **values: str) -> None:
    """Store `values` beside what is already remembered."""
    doc = {**load(folder), **values}
    write_file(folder / FILE_NAME, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
