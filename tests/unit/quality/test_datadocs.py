"""Values bound for Data Docs are escaped wherever they nest."""

from __future__ import annotations

from orchestration.quality.datadocs import escape_values


def test_strings_are_escaped_wherever_they_nest_and_other_values_kept():
    value = {"partial_unexpected_list": ["<b>", 3, None], "<k>": ({"x": '"&'},), "observed_value": 0.5}
    assert escape_values(value) == {
        "partial_unexpected_list": ["&lt;b&gt;", 3, None],
        "&lt;k&gt;": ({"x": "&quot;&amp;"},),
        "observed_value": 0.5,
    }
