"""Compiled templates kept between launches (issue 17).

Jinja compiles every template the first time a launch renders it: the dashboard's five
took a fifth of the time from start to the first page. The compiled code is kept in the
user's cache folder (config TEMPLATE_CACHE_DIR; None turns it off) and reused by the next
launch; Jinja checks each against its template's source, and the folder is one per Koordi
version and template settings (which Jinja bakes into the compiled code without checking),
so an update never shows an old page. A cache that cannot be read or written is only not
used: the page is compiled as before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import platformdirs
from flask import Flask
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

from app.paths import APP_NAME
from app.version import __version__


class TemplateCache(FileSystemBytecodeCache):
    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:  # unreadable: compile it
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a read-only or full disk: the next launch compiles it again
            pass


def default_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "templates"


def install(app: Flask) -> None:
    """After every template setting is made (app.web.init_app's last step)."""
    folder = app.config.get("TEMPLATE_CACHE_DIR", default_dir())
    if folder is None:
        return
    env = app.jinja_env
    settings = repr((__version__, env.trim_blocks, env.lstrip_blocks, sorted(env.extensions), env.keep_trailing_newline))
    folder = Path(folder) / hashlib.sha256(settings.encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    env.bytecode_cache = TemplateCache(str(folder))
