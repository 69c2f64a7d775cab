"""The days a build may change are remembered until a publication replaces them."""

import json
from datetime import date

from vigie.orchestration.publish import UNPUBLISHED, note_build_started
from vigie.platform.settings import get_settings


def _remembered(settings):
    return json.loads((settings.serving_dir / UNPUBLISHED).read_text())["changed_from"]


def test_the_earliest_day_of_unpublished_builds_is_kept(tmp_path):
    settings = get_settings({"VIGIE_HOME": str(tmp_path)})
    note_build_started(settings, date(2020, 3, 1))
    assert _remembered(settings) == "2020-03-01"
    note_build_started(settings, date(2020, 5, 1))  # a later build: the earlier day stays
    assert _remembered(settings) == "2020-03-01"
    note_build_started(settings, date(2020, 2, 1))
    assert _remembered(settings) == "2020-02-01"


def test_a_full_refresh_means_everything_until_published(tmp_path):
    settings = get_settings({"VIGIE_HOME": str(tmp_path)})
    note_build_started(settings, date(2020, 3, 1))
    note_build_started(settings, None)
    assert _remembered(settings) is None
    note_build_started(settings, date(2020, 4, 1))  # still everything
    assert _remembered(settings) is None
