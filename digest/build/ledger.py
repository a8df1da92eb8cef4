"""The jobs of one build into one folder: what the last build left, what is kept, what is
rendered anew."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from digest.build.cache import JobRecord
from digest.build.jobs import Job
from digest.writer import SiteWriter


@dataclass
class Ledger:
    """One build's account of its jobs in ``target``: ``previous``, the jobs of the last
    build there; ``kept``, those whose files stay as they are; ``rendered``, the key and
    paths of those rendered now. Kept files are told to ``writer``, so that the commit
    leaves them in place and removes what no job makes any more."""

    target: Path
    writer: SiteWriter
    previous: dict[str, JobRecord]
    kept: dict[str, JobRecord] = field(default_factory=dict)
    rendered: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def to_render(self, jobs: list[Job], *, trusted: bool) -> list[Job]:
        """The jobs whose key changed or whose files were touched; the others are kept.
        ``trusted``: this process alone wrote the folder, so files are not checked."""
        todo = []
        for job in jobs:
            old = self.previous.get(job.name)
            if old is not None and old.key == job.key and (trusted or old.intact(self.target)):
                self.keep(job.name, old)
            else:
                todo.append(job)
        return todo

    def keep(self, name: str, record: JobRecord) -> None:
        """Keep the files of job ``name`` as the last build left them, under ``record``."""
        for path, _, _ in record.files:
            self.writer.keep(path)
        self.kept[name] = record

    def known_files(self) -> set[str] | None:
        """Every file the last build made here (None on a first build)."""
        if not self.previous:
            return None
        return {path for record in self.previous.values() for path, _, _ in record.files}

    def records(self) -> dict[str, JobRecord]:
        """Every job of this build as the next one will find it: kept ones as they were,
        rendered ones with their files' sizes and mtimes, read once they are in place."""
        records = dict(self.kept)
        for name, (key, paths) in self.rendered.items():
            files = []
            for path in paths:
                st = (self.target / path).stat()
                files.append((path, st.st_size, st.st_mtime_ns))
            records[name] = JobRecord(key, tuple(files))
        return records
