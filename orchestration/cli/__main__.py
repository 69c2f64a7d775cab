"""``python -m vigie.orchestration.cli``: the ``vigie`` command."""

from vigie.orchestration.cli import main

main()
