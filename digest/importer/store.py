"""Writing what was planned, never over the editor's work, and the record that allows it.

``.cache/import.json`` remembers, for every file ``digest import`` wrote, the entry it
came from and the SHA-256 of the bytes it wrote. When the import runs again, a file is:

* **written** when it does not exist;
* **unchanged** when it already holds exactly the bytes the import would write;
* **updated** when the source changed and the file is still as the import left it (its
  hash is the recorded one);
* **kept** otherwise: the editor changed it since, or the import never wrote it. It is
  left as it is and the report says so.

Without the record (a fresh clone, a deleted ``.cache/``) nothing is lost: a file is then
either unchanged or kept. Each file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from digest.errors import DigestError
from digest.importer.documents import Planned, PlannedImage, localise
from digest.model.imports import ImportOutcome

RECORD = ".cache/import.json"


@dataclass(frozen=True)
class _Written:
    action: str
    note: str | None = None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ImportStore:
    """The project's files as the importer sees them, with the record of what it wrote."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / RECORD
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.files: dict[str, dict[str, str]] = dict(data.get("files", {}))
        except (OSError, ValueError, AttributeError):
            self.files = {}  # no record yet, or a damaged one: nothing will be overwritten

    def missing_images(self, planned: list[Planned]) -> list[PlannedImage]:
        """The images planned whose files are not there yet, each once."""
        wanted = {i.path: i for p in planned for i in p.images if not (self.root / i.path).exists()}
        return list(wanted.values())

    def apply(
        self, planned: list[Planned], images: Mapping[str, bytes | str]
    ) -> list[ImportOutcome]:
        """Write every planned file (and the images in ``images``: URL -> bytes, or why
        it could not be had) by the rules in the module docstring; then the record."""
        outcomes = []
        for item in planned:
            notes = list(item.notes)
            present = set()
            for image in item.images:
                got = images.get(image.url)
                if isinstance(got, bytes):
                    written = self._write(image.path, got, image.url)
                    if written.note:
                        notes.append(f"{image.path}: {written.note}")
                elif isinstance(got, str):
                    notes.append(f"image not downloaded, still linked: {image.url} ({got})")
                if (self.root / image.path).is_file():
                    present.add(image.path)
            text = localise(item.text, item.images, present)
            written = self._write(item.path, text.encode("utf-8"), item.entry.key)
            if written.note:
                notes.insert(0, written.note)
            outcomes.append(
                ImportOutcome(
                    item.entry.origin, item.entry.title, item.path, written.action, tuple(notes)
                )
            )
        self._save()
        return outcomes

    def _write(self, rel: str, data: bytes, key: str) -> _Written:
        target = self.root / rel
        try:
            old = target.read_bytes() if target.exists() else None
        except OSError as exc:
            raise DigestError(f"{rel}: cannot read ({exc.strerror})") from exc
        recorded = self.files.get(rel, {}).get("sha256")
        if old == data:
            action = "unchanged"
        elif old is None or _sha(old) == recorded:
            action = "written" if old is None else "updated"
            self._replace(target, data)
        elif recorded:
            return _Written("kept", "changed since it was imported: left as it is")
        else:
            return _Written("kept", "not written by digest import: left as it is")
        self.files[rel] = {"source": key, "sha256": _sha(data)}
        return _Written(action)

    def _replace(self, target: Path, data: bytes) -> None:
        tmp = target.with_name(f".{target.name}.import-tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise DigestError(f"{target}: cannot write ({exc.strerror})") from exc

    def _save(self) -> None:
        data = {"version": 1, "files": dict(sorted(self.files.items()))}
        text = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        try:
            if self.path.read_bytes() == text:
                return  # a run that changed nothing writes nothing
        except OSError:
            pass
        self._replace(self.path, text)
