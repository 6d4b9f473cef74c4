"""Why a data directory cannot be opened. Messages are translated by the caller's `_`."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    def describe(self, _) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


class DatabaseTooNew(StoreError):
    def __init__(self, path: Path, revision: str):
        super().__init__(f"{path}: schema {revision} is newer than this app")
        self.path, self.revision = path, revision

    def describe(self, _) -> str:
        return _(
            "The database %(path)s was made by a newer version of Koordi (schema %(revision)s). "
            "Install the newer Koordi; this version leaves the database untouched.",
            path=str(self.path),
            revision=self.revision,
        )


class DatabaseDamaged(StoreError):
    def __init__(self, path: Path, detail: str, good_backup: Path | None):
        super().__init__(f"{path}: integrity check failed: {detail}")
        self.path, self.detail, self.good_backup = path, detail, good_backup

    def describe(self, _) -> str:
        if self.good_backup is None:
            return _(
                "The database %(path)s failed its integrity check (%(detail)s) and there is no "
                "good backup to restore. Contact support; do not delete the file.",
                path=str(self.path),
                detail=self.detail,
            )
        return _(
            "The database %(path)s failed its integrity check (%(detail)s). The newest good "
            'backup is %(backup)s: restore it with `koordi restore "%(backup)s"` or from the '
            "app's recovery page.",
            path=str(self.path),
            detail=self.detail,
            backup=str(self.good_backup),
        )


class BadBackup(StoreError):
    def __init__(self, path: Path, detail: str):
        super().__init__(f"{path}: {detail}")
        self.path, self.detail = path, detail

    def describe(self, _) -> str:
        return _("%(path)s cannot be restored: %(detail)s", path=str(self.path), detail=self.detail)


class AlreadyRunning(StoreError):
    def __init__(self, data_dir: Path, url: str | None):
        super().__init__(f"Koordi is already running on {data_dir}")
        self.data_dir, self.url = data_dir, url

    def describe(self, _) -> str:
        if self.url:
            return _(
                "Koordi is already open for the data folder %(path)s (%(url)s). "
                "Use the open window; only one Koordi can use a data folder at a time.",
                path=str(self.data_dir),
                url=self.url.split("?")[0],
            )
        return _(
            "Koordi is already open for the data folder %(path)s. Only one Koordi can use a data folder at a time.",
            path=str(self.data_dir),
        )


class DatabaseBusy(StoreError):
    """Another program held the data's write lock for longer than the busy timeout.

    Raised in place of SQLite's "database is locked" (app.store.engine): the transaction
    that waited is rolled back, so nothing of it was written.
    """

    def __init__(self, path: Path):
        super().__init__(f"{path}: database is locked by another connection")
        self.path = path

    def describe(self, _) -> str:
        return _("Koordi's data is busy in another program; try again in a moment. Nothing was changed.")


class DiskFull(StoreError):
    """The disk under path has no room left (ENOSPC, or SQLite's SQLITE_FULL).

    Whatever raised it left nothing half-done: a partial file is removed, a transaction rolled back.
    """

    def __init__(self, path: Path):
        super().__init__(f"{path}: no space left on the disk")
        self.path = path

    def describe(self, _) -> str:
        return _(
            "The disk that holds %(path)s is full. Free some space (empty the recycle bin, remove large files you "
            "do not need), then try again; nothing was changed.",
            path=str(self.path),
        )


class FolderNotWritable(StoreError):
    """Koordi may not write in the folder path (a read-only disk or share, another user's folder)."""

    def __init__(self, path: Path):
        super().__init__(f"{path}: the folder cannot be written")
        self.path = path

    def describe(self, _) -> str:
        return _(
            "Koordi cannot write in the folder %(path)s: it is read-only, or your user may not change it. "
            "Choose another folder (or ask your IT support for write access), then try again; nothing was changed.",
            path=str(self.path),
        )
