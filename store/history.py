"""The two Alembic revision histories: one per database, each linear, shipped with the code.

The broker-state database (access registry, protocol, replay claims, kept answers, hand-over
cases, Identifikationsmerkmale, quota windows) and the register are separate databases, so
each has its own history under ``histories/<name>/versions`` and its own version table
(``alembic_version_<name>``): both URLs may also name one PostgreSQL database (one schema),
and the two histories must not overwrite each other's version there.

No ``alembic.ini`` and no ``env.py``: :mod:`datenspiegel.store.upgrade` runs the revisions
on the service's own engines, and ``python -m datenspiegel.store.revision`` writes new ones.
The revision scripts are application code (they may import any package of ``datenspiegel``);
this module only finds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

__all__ = [
    "BROKER",
    "HISTORIES",
    "REGISTER",
    "History",
    "alembic_config",
    "reread",
    "script_directory",
]

_ROOT = Path(__file__).resolve().parent / "histories"


@dataclass(frozen=True, slots=True)
class History:
    """One database's revision history."""

    #: ``broker`` or ``register`` (the directory, the version table, ``--store``)
    name: str
    #: what the database is, for messages ("the broker-state database")
    what: str
    #: its script directory (``script.py.mako``, ``versions/``)
    directory: Path
    #: its components in ``schema_version`` (the releases before Alembic): both databases'
    #: rows are in one such table when both URLs name one database
    components: frozenset[str] = frozenset()

    @property
    def version_table(self) -> str:
        return f"alembic_version_{self.name}"

    def knows(self, revision: str) -> bool:
        """Whether ``revision`` is in this history (False: a newer release's, or none)."""
        return revision in _revisions(self)

    @property
    def head(self) -> str:
        """The newest revision this code knows."""
        head = script_directory(self).get_current_head()
        if head is None:  # pragma: no cover - a shipped history always has its baseline
            raise RuntimeError(f"the {self.name} history has no revisions")
        return head


BROKER = History(
    "broker",
    "the broker-state database",
    _ROOT / "broker",
    frozenset({"access", "protocol", "replay", "windows", "payloads", "merkmal", "cases"}),
)
REGISTER = History("register", "the register database", _ROOT / "register", frozenset({"register"}))
HISTORIES = {history.name: history for history in (BROKER, REGISTER)}


def alembic_config(history: History) -> Config:
    """An in-memory Alembic configuration of ``history`` (nothing read from disk)."""
    config = Config()
    config.set_main_option("script_location", str(history.directory))
    # file names that are Python identifiers (v0002_….py): mypy and ruff check them as modules
    config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    config.set_main_option("version_table", history.version_table)
    return config


@cache
def script_directory(history: History) -> ScriptDirectory:
    """The history's revisions, read once per process (the scripts are imported lazily)."""
    return ScriptDirectory.from_config(alembic_config(history))


@cache
def _revisions(history: History) -> frozenset[str]:
    return frozenset(script.revision for script in script_directory(history).walk_revisions())


def reread() -> None:
    """Forget the revisions read (after a new one was written)."""
    script_directory.cache_clear()
    _revisions.cache_clear()
