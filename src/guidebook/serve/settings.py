"""How `guidebook serve` runs: one frozen set of settings, checked when made (OptionsError: a
usage error, before anything starts), such as a public address without an access token."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import OptionsError
from ..options import MAX_TIMEOUT, GuideOptions

TOKEN_VARIABLE = "GUIDEBOOK_TOKEN"
MIN_TOKEN = 16  # characters of an access token


def default_data_dir() -> Path:
    """$XDG_DATA_HOME/guidebook, else ~/.local/share/guidebook (a relative XDG_DATA_HOME is
    ignored, as the XDG specification says)."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "guidebook"


def is_loopback(host: str) -> bool:
    """Whether an address is this machine's own (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServeSettings:
    """Where the server keeps its data, where it listens, and its limits."""

    data: Path
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None  # needed for any address but the loopback's
    clinics: Path | None = None
    catalogue: Path | None = None
    brand: Path | None = None  # a brand file to start from, when the data folder has none yet
    workers: int = 0  # processes making single guides (0: one per core)
    jobs: int = 0  # processes of a batch (0: one per core)
    queue: int = 8  # requests that may wait for a renderer; past that, 429 with Retry-After
    timeout: float = 60.0  # seconds a guide may take
    keep_days: float = 30.0  # finished batches are removed after this many days
    max_upload: int = 10 << 20  # bytes of an uploaded bookings file
    max_logo: int = 2 << 20  # bytes of an uploaded logo
    max_rows: int = 5000  # rows of an uploaded bookings file
    warm: bool = True  # start the renderers at once (False: at the first guide asked for)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", Path(self.data))
        for name in ("clinics", "catalogue", "brand"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, Path(value))
        if not 0 <= self.port <= 65535:
            raise OptionsError(f"--port {self.port}: use a port between 1 and 65535")
        if self.token is not None and len(self.token) < MIN_TOKEN:
            raise OptionsError(
                f"the access token is too short: use at least {MIN_TOKEN} characters "
                '(e.g. python3 -c "import secrets; print(secrets.token_urlsafe())")'
            )
        if not is_loopback(self.host) and not self.token:
            raise OptionsError(
                f"--host {self.host} lets other machines reach the server: give an access token "
                f"with --token or the {TOKEN_VARIABLE} environment variable, or keep the default "
                "127.0.0.1"
            )
        if self.workers < 0 or self.jobs < 0:
            raise OptionsError("--workers and --jobs must be 1 or more (0: one per core)")
        if not 1 <= self.queue <= 1000:
            raise OptionsError("--queue must be between 1 and 1000")
        if not 0 < self.timeout <= MAX_TIMEOUT:
            raise OptionsError(f"--timeout must be between 0 and {MAX_TIMEOUT:g} seconds")
        if self.keep_days <= 0:
            raise OptionsError("--keep-days must be above 0")
        if self.max_upload < 1024 or self.max_logo < 1024 or self.max_rows < 1:
            raise OptionsError("the upload limits must be at least 1 KB and 1 row")

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def guide_options(self, brand: Path | None = None, **choices: object) -> GuideOptions:
        """The options of a guide made by the server: its clinics, catalogue and time limit, the
        stored brand, and a request's choices (page format, booklet)."""
        return GuideOptions(
            clinics=self.clinics,
            catalogue=self.catalogue,
            brand=brand,
            timeout=self.timeout,
            **choices,  # type: ignore[arg-type]
        )
