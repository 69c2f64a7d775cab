"""The executables Vigie runs, resolved beside the running interpreter, never on ``PATH``.

A newcomer runs ``make demo`` without activating ``.venv``: ``dbt``, ``dagster`` or
``vigie`` are then not on ``PATH``, and a tool found there would be another install's
anyway. Every executable the project starts is the one installed with this interpreter.
"""

from __future__ import annotations

import sys
from pathlib import Path


class MissingExecutable(FileNotFoundError):
    """A tool the project runs is not installed beside the interpreter."""


def beside_interpreter(name: str) -> str:
    """The path of ``name`` in the interpreter's own ``bin`` folder (``.venv/bin``).

    ``sys.executable`` is not resolved: in a virtual environment it is a link whose folder is
    the environment's, while its target's folder is the base Python's.
    """
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise MissingExecutable(
            f"the '{name}' executable was not found beside the Python interpreter "
            f"({path}); run `make setup` to install Vigie's dependencies"
        )
    return str(path)
