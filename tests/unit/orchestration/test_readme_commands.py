"""The README's table of `vigie` commands is the command line's: every command `vigie --help`
lists (down to each subcommand) has its row, and every row names a command that exists."""

from __future__ import annotations

import re
from pathlib import Path

import click

from vigie.orchestration.cli import main

README = Path(__file__).parents[3] / "README.md"


def _leaves(group: click.Group, prefix: tuple[str, ...] = ()) -> set[str]:
    found = set()
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, click.Group):
            found |= _leaves(command, path)
        else:
            found.add(" ".join(path))
    return found


def _documented() -> set[str]:
    """The commands the table's first column names: `vigie a b`, `vigie a b \\| c`."""
    table = README.read_text(encoding="utf-8").split("## The `vigie` command", 1)[1]
    table = table.split("\n## ", 1)[0]
    names = set()
    for row in table.splitlines():
        if not row.startswith("| `vigie "):
            continue
        first = row.split(" | ", 1)[0]
        for span in re.findall(r"`vigie ([^`]+)`", first):
            words = []
            for word in span.replace("\\|", "|").split():
                if word.startswith(("-", "[", "(")) or word.isupper():
                    break
                words.append(word)
            if "|" in words:  # `access grant | revoke | list`
                head = words[0]
                names |= {f"{head} {w}" for w in words[1:] if w != "|"}
            else:
                names.add(" ".join(words))
    return names


def test_the_readme_lists_every_command_and_only_those():
    commands = _leaves(main)
    documented = _documented()
    assert commands - documented == set(), "commands missing from the README's table"
    assert documented - commands == set(), "the README names commands that do not exist"
