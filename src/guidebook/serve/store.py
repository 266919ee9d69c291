"""The server's records in SQLite (the standard library's sqlite3): batch jobs, their rows'
checks and results, and the agency's brand.

One file, DATA/guidebook.sqlite3, changed only through MIGRATIONS: each is a list of statements
run in one transaction, and the database's `user_version` says how many have run. A database
made by a newer guidebook (a higher version) is refused, never changed. Every call runs on one
thread of its own (`Store.call`), so the event loop never waits on the disk and the connection is
used by one thread only.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from ..errors import GuidebookError

T = TypeVar("T")
DB_NAME = "guidebook.sqlite3"
FINISHED = ("checked", "done", "failed", "interrupted")  # a job in one of these is not running
UNFINISHED = ("queued", "running")

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the first version
        """CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            created REAL NOT NULL,
            updated REAL NOT NULL,
            upload TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            total INTEGER NOT NULL DEFAULT 0,
            invalid INTEGER NOT NULL DEFAULT 0,
            message TEXT NOT NULL DEFAULT '',
            runs INTEGER NOT NULL DEFAULT 0,
            started REAL,
            finished REAL
        )""",
        "CREATE INDEX jobs_by_created ON jobs (created)",
        """CREATE TABLE job_checks (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            booking_id TEXT NOT NULL,
            cells TEXT NOT NULL,
            problems TEXT NOT NULL,
            PRIMARY KEY (job_id, line)
        )""",
        """CREATE TABLE job_rows (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            booking_id TEXT NOT NULL,
            status TEXT NOT NULL,
            output TEXT,
            message TEXT NOT NULL,
            PRIMARY KEY (job_id, line)
        )""",
        """CREATE TABLE brand (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            fields TEXT NOT NULL,
            logo BLOB,
            logo_kind TEXT,
            updated REAL NOT NULL
        )""",
    ),
)


class StoreError(GuidebookError):
    """The database cannot be used (made by a newer guidebook, or not a database)."""


@dataclass
class Job:
    id: str
    created: float
    updated: float
    upload: str  # the uploaded file's name, shown to people only (never a path)
    kind: str  # csv or xlsx
    status: str  # checked, queued, running, done, failed, interrupted
    total: int = 0  # rows in the file
    invalid: int = 0  # rows the check found problems in
    message: str = ""
    runs: int = 0  # times started; more than 1: resumed after a restart or by hand
    started: float | None = None
    finished: float | None = None
    counts: dict[str, int] = field(default_factory=dict)  # rows by status: ok, warning, failed, skipped

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    @property
    def finished_rows(self) -> bool:
        return self.status in FINISHED


@dataclass
class CheckedRow:
    line: int
    booking_id: str
    cells: dict[str, str]
    problems: list[dict[str, Any]]  # {"column", "message", "value", "text"}


@dataclass
class JobRow:
    line: int
    booking_id: str
    status: str
    output: str | None
    message: str


@dataclass
class StoredBrand:
    fields: dict[str, Any]
    logo: bytes | None
    logo_kind: str | None  # svg or png
    updated: float


class Store:
    """The database; every method runs on the store's own thread (through `call`)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / DB_NAME
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guidebook-db")
        self.db: sqlite3.Connection | None = None

    async def call(self, func: Callable[..., T], *args: Any) -> T:
        """`func(*args)` on the store's thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, partial(func, *args))

    def open(self) -> int:
        """Open the database and bring it to the latest version; the version it was at."""
        try:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a database guidebook can use ({exc})") from None
        if version > len(MIGRATIONS):
            db.close()
            raise StoreError(
                f"{self.path}: made by a newer guidebook (version {version}; this one knows "
                f"{len(MIGRATIONS)}); use that guidebook, or another --data folder"
            )
        for number in range(version, len(MIGRATIONS)):
            db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[number]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        self.db = db
        return version

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def shutdown(self) -> None:
        """Close the database on its thread, then let the thread go."""
        self.executor.submit(self.close).result()
        self.executor.shutdown(wait=True)

    @property
    def _db(self) -> sqlite3.Connection:
        if self.db is None:
            raise StoreError("the database is not open")
        return self.db

    # -- jobs ----------------------------------------------------------------------------------

    def add_job(self, job: Job, checks: list[CheckedRow]) -> None:
        db = self._db
        with _transaction(db):
            db.execute(
                "INSERT INTO jobs (id, created, updated, upload, kind, status, total, invalid, message)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (job.id, job.created, job.updated, job.upload, job.kind, job.status, job.total,
                 job.invalid, job.message),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO job_checks (job_id, line, booking_id, cells, problems) VALUES (?, ?, ?, ?, ?)",
                [
                    (job.id, c.line, c.booking_id, json.dumps(c.cells, ensure_ascii=False),
                     json.dumps(c.problems, ensure_ascii=False))
                    for c in checks
                ],
            )  # fmt: skip

    def job(self, job_id: str) -> Job | None:
        row = self._db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return self._job(row) if row else None

    def jobs(self, limit: int = 100) -> list[Job]:
        rows = self._db.execute("SELECT * FROM jobs ORDER BY created DESC LIMIT ?", (limit,)).fetchall()
        return [self._job(r) for r in rows]

    def unfinished(self) -> list[Job]:
        marks = ", ".join("?" for _ in UNFINISHED)
        query = f"SELECT * FROM jobs WHERE status IN ({marks}) ORDER BY created"
        return [self._job(r) for r in self._db.execute(query, UNFINISHED).fetchall()]

    def _job(self, row: sqlite3.Row) -> Job:
        job = Job(**{k: row[k] for k in row.keys()})  # noqa: SIM118 - sqlite3.Row has no items()
        counts = self._db.execute(
            "SELECT status, COUNT(*) FROM job_rows WHERE job_id = ? GROUP BY status", (job.id,)
        ).fetchall()
        job.counts = {status: n for status, n in counts}
        return job

    def set_status(self, job_id: str, status: str, message: str | None = None) -> None:
        now = time.time()
        sets = ["status = ?", "updated = ?"]
        values: list[Any] = [status, now]
        if message is not None:
            sets.append("message = ?")
            values.append(message)
        if status == "running":
            sets += ["runs = runs + 1", "started = COALESCE(started, ?)", "finished = NULL"]
            values.append(now)
        if status in FINISHED:
            sets.append("finished = ?")
            values.append(now)
        self._db.execute(f"UPDATE jobs SET {', '.join(sets)} WHERE id = ?", (*values, job_id))

    def checks(self, job_id: str) -> list[CheckedRow]:
        rows = self._db.execute(
            "SELECT line, booking_id, cells, problems FROM job_checks WHERE job_id = ? ORDER BY line",
            (job_id,),
        ).fetchall()
        return [CheckedRow(r[0], r[1], json.loads(r[2]), json.loads(r[3])) for r in rows]

    def add_row(self, job_id: str, row: JobRow, keep: bool = False) -> None:
        """A row's result; with `keep`, a result already stored for the row stays (a row found
        unchanged when a batch resumes keeps the result it had)."""
        verb = "INSERT OR IGNORE" if keep else "INSERT OR REPLACE"
        columns = "job_id, line, booking_id, status, output, message"
        self._db.execute(
            f"{verb} INTO job_rows ({columns}) VALUES (?, ?, ?, ?, ?, ?)",
            (job_id, row.line, row.booking_id, row.status, row.output, row.message),
        )
        self._db.execute("UPDATE jobs SET updated = ? WHERE id = ?", (time.time(), job_id))

    def rows(self, job_id: str) -> list[JobRow]:
        rows = self._db.execute(
            "SELECT line, booking_id, status, output, message FROM job_rows WHERE job_id = ? ORDER BY line",
            (job_id,),
        ).fetchall()
        return [JobRow(*r) for r in rows]

    def delete_job(self, job_id: str) -> None:
        self._db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))

    def expired(self, before: float) -> list[str]:
        """Ids of the jobs that ended (or were checked and never started) before `before`."""
        marks = ", ".join("?" for _ in FINISHED)
        query = f"SELECT id FROM jobs WHERE status IN ({marks}) AND updated < ?"
        return [r[0] for r in self._db.execute(query, (*FINISHED, before)).fetchall()]

    # -- the brand -----------------------------------------------------------------------------

    def brand(self) -> StoredBrand | None:
        row = self._db.execute("SELECT fields, logo, logo_kind, updated FROM brand WHERE id = 1").fetchone()
        if row is None:
            return None
        return StoredBrand(json.loads(row[0]), row[1], row[2], row[3])

    def save_brand(self, brand: StoredBrand) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO brand (id, fields, logo, logo_kind, updated) VALUES (1, ?, ?, ?, ?)",
            (json.dumps(brand.fields, ensure_ascii=False), brand.logo, brand.logo_kind, brand.updated),
        )


class _transaction:
    """BEGIN ... COMMIT, or ROLLBACK on any error."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")
