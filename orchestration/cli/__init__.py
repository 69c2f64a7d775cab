"""The ``vigie`` command: one entry point for every part of Vigie.

Each group of commands lives in a module of its own; imports are local to each command so
that ``vigie --help`` answers at once.
"""

from __future__ import annotations

import click

from vigie.orchestration.cli import admin, bench, ereporting, invoices, run


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="vigie")
def main() -> None:
    """Vigie: analytics, reporting and e-reporting warehouse for a national e-invoicing hub.

    Everything is written under VIGIE_HOME (default ./data).
    """


for module in (run, admin, invoices, bench, ereporting):
    for command in module.COMMANDS:
        main.add_command(command)
