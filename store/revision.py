"""``python -m datenspiegel.store.revision broker|register "what changes"``: a new revision.

For developers: writes ``histories/<name>/versions/v<NNNN>_<slug>.py`` from the history's
``script.py.mako``, numbered after the head (``0003`` after ``0002``), with ``upgrade()`` to
fill in with ``op.…`` operations (Alembic's operations, which ``datenspiegel db upgrade --sql``
can print). Change the ``Table`` definitions in the code in the same commit; the test suite
then upgrades a database of every kind and compares it with them (docs/schema-upgrades.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alembic import command

from datenspiegel.store.history import HISTORIES, History, alembic_config, reread

__all__ = ["new_revision"]


def new_revision(history: History, message: str) -> Path:
    """Write the next revision of ``history``; return its file."""
    following = f"{int(history.head) + 1:04d}"
    script = command.revision(alembic_config(history), message=message, rev_id=following)
    assert script is not None and not isinstance(script, list)
    reread()  # the head changed
    return Path(script.path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m datenspiegel.store.revision", description=__doc__.splitlines()[0]
    )
    parser.add_argument("history", choices=sorted(HISTORIES), help="which database")
    parser.add_argument("message", help="what the revision changes (its first docstring line)")
    args = parser.parse_args(argv)
    path = new_revision(HISTORIES[args.history], args.message)
    print(f"wrote {path}: fill in upgrade(), say why in its docstring")
    return 0


if __name__ == "__main__":
    sys.exit(main())
