"""The reference codes written once in vigie.platform.reference say what the warehouse's
seeds say, and the contracts' categories are the same ones."""

import csv
from pathlib import Path
from typing import get_args

from vigie.platform.contracts.types import PublicCategory
from vigie.platform.reference import LEGAL_DELAY_DAYS

SEEDS = Path(__file__).parents[3] / "transformations/seeds/reference"


def test_legal_delays_are_the_seeds_and_cover_every_public_category():
    with (SEEDS / "ref_legal_delays.csv").open(encoding="utf-8") as f:
        seed = {r["public_category"]: int(r["legal_delay_days"]) for r in csv.DictReader(f)}
    assert seed == LEGAL_DELAY_DAYS
    assert set(LEGAL_DELAY_DAYS) == set(get_args(PublicCategory))


def test_the_command_line_offers_every_public_category():
    from vigie.orchestration.cli import main

    create = main.commands["structure"].commands["create"]
    (public,) = [p for p in create.params if p.name == "category"]
    assert list(public.type.choices) == list(LEGAL_DELAY_DAYS)
    assert "public_undertaking 60 days" in public.help
