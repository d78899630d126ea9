"""The [queue] section: defaults, a file's values, and French errors for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from handover.config import load_config
from handover.errors import ConfigError


def test_queue_defaults_and_values_from_the_file(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text("", encoding="utf-8")
    assert load_config(file, environ={}).queue.priority_every == 3
    file.write_text(
        "[queue]\npriority_every = 4\nno_show_after_s = 120\n"
        '[queue.priority_reasons]\nhandicap = "Handicap"\n',
        encoding="utf-8",
    )
    queue = load_config(file, environ={"HANDOVER_QUEUE_EXPECTED_DESKS": "5"}).queue
    assert (queue.priority_every, queue.no_show_after_s, queue.expected_desks) == (4, 120, 5)
    assert queue.priority_reasons == {"handicap": "Handicap"}


@pytest.mark.parametrize(
    "body",
    ["[queue]\npriority_reasons = 3\n", '[queue.priority_reasons]\nage = ""\n'],
)
def test_a_bad_priority_list_is_a_french_error(tmp_path: Path, body: str) -> None:
    file = tmp_path / "config.toml"
    file.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"queue\.priority_reasons.*table de textes"):
        load_config(file, environ={})
