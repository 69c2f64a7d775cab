"""The benchmark commands run and print their figures (the paths never rot)."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_bench_dashboards_times_every_page(vigie_cli, demo_home):
    proc = vigie_cli(
        ["bench", "dashboards", "--repeats", "3", "--renders", "1", "--json"], demo_home.home
    )
    assert proc.returncode == 0, proc.stderr
    timings = {t["page"]: t for t in json.loads(proc.stdout)}
    pages = {"bilan", "delais", "rejets", "ereporting", "recherche"}
    assert set(timings) == pages | {"delais (supplier)", "rejets (supplier)"}
    assert all(t["queries"] >= 1 and t["query_p95_ms"] > 0 for t in timings.values())
    # rendered as the demo's operator sees them; a supplier's views: their queries
    assert all(timings[p]["render_s"] > 0 for p in pages)
    assert timings["delais (supplier)"]["render_s"] is None


@pytest.mark.long
def test_bench_national_runs_the_whole_chain_at_small_scale(vigie_cli, tmp_path):
    home = tmp_path / "national"
    proc = vigie_cli(
        ["bench", "national", "--scale", "0.001", "--home", str(home), "--json"],
        tmp_path / "unused",
    )
    assert proc.returncode == 0, proc.stderr
    run = json.loads(proc.stdout)
    steps = {s["name"]: s for s in run["steps"]}
    assert list(steps) == [
        "generate",
        "extract",
        "full build",
        "publish",
        "dashboards",
        "e-reporting month",
        "one more day",
    ]
    assert 50_000 <= int(steps["generate"]["detail"].split()[0].replace(",", "")) <= 60_000
    assert all(s["seconds"] > 0 and s["peak_gib"] > 0 for s in run["steps"])
    assert "0 invalid" in steps["e-reporting month"]["detail"]
    assert run["sizes_gib"]["warehouse"] > 0 and run["peak_gib"] < 12
    assert (home / "serving" / "current.json").exists()  # --home is kept
