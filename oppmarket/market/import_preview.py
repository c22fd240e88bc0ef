"""A look at an import file before it is imported, and the import of a file so
looked at: the first rows as the import will read them, every problem by line, and
how many rows are new, change a stored record or change nothing. The preview runs
exactly the checks of the import (`transfer.read_rows`, then `check_import`), so a
file it passes is one the import takes, and nothing is written until it is run."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import replace
from pathlib import Path

from oppmarket import domain as d
from oppmarket import transfer
from oppmarket.errors import Conflict, ImportErrors, ValidationError
from oppmarket.market.core import MarketCore, api
from oppmarket.text import clean_line

MAX_PREVIEW_ROWS = 1000


def _fingerprint(path: Path | str) -> str:
    """The SHA-256 of the file at `path`, refusing what is not a plain file (a FIFO
    or a device would never end, a folder is no CSV)."""
    named = clean_line(str(path))
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ValidationError({"file": f"{named} is not a file"})
        digest = hashlib.sha256()
        with open(path, "rb") as source:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise ValidationError({"file": f"cannot read {named}: {exc.strerror or exc}"}) from None
    return digest.hexdigest()


def _kind(kind: str) -> str:
    if kind not in transfer.KINDS:
        raise ValidationError({"kind": f"{clean_line(kind)!r} is not one of {', '.join(transfer.KINDS)}"})
    return kind


class ImportPreviewMixin(MarketCore):
    """Import files looked at first, for admins (and the system, as imports are)."""

    @api
    def preview_import(self, kind: str, path: Path | str, rows: int = 10) -> d.ImportPreview:
        """The file at `path` as an import of `kind` would take it: its first `rows`
        rows read, every problem by line and the counts of new, changed and
        unchanged rows. Writes nothing."""
        self._require_importer()
        _kind(kind)
        if not 0 <= rows <= MAX_PREVIEW_ROWS:
            raise ValidationError({"rows": f"must be between 0 and {MAX_PREVIEW_ROWS}"})
        digest = _fingerprint(path)
        read = transfer.read_rows(path, kind)
        check = self.check_import(kind, read.rows)
        problems = sorted(d.ImportProblem.all_of(read.problems) + check.problems,
                          key=lambda p: -1 if p.line is None else p.line)
        shown = read.rows[:rows]
        if kind == "people":  # a row without a cap takes the marketplace's default, as the import does
            default_cap = self.default_cap_pct()
            shown = [replace(r, cap_pct=default_cap) if r.cap_pct is None else r for r in shown]
        return d.ImportPreview(
            kind=kind, path=str(path), columns=transfer.PREVIEW_COLUMNS[kind],
            first_rows=tuple((row.line, transfer.row_cells(row)) for row in shown),
            rows=len(read.rows), problems=tuple(problems), new=check.new, changed=check.changed,
            unchanged=check.unchanged, digest=digest)

    @api
    def import_file(self, kind: str, path: Path | str, *, previewed: str | None = None, progress=None) -> int:
        """Import the file at `path` as `kind`, every row or none, as `oppmarket
        import` does; with `previewed` (a preview's digest), only if the file is still
        what was previewed. Returns the number of rows imported."""
        self._require_importer()
        _kind(kind)
        if previewed is not None and _fingerprint(path) != previewed:
            raise Conflict(f"{clean_line(str(path))} changed since it was previewed; preview it again")
        read = transfer.read_rows(path, kind)
        if read.problems:
            raise ImportErrors(read.problems, str(path))
        return getattr(self, f"import_{kind}")(read.rows, progress=progress)
