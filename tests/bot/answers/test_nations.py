"""She gets her own nation's routes once she says where she is, and not because someone else lives there."""

from __future__ import annotations

import pytest

from bot.answers.nations import mentioned_nation


@pytest.mark.parametrize(
    ("text", "nation"),
    [
        ("im in scotland", "scotland"),
        ("we live in Cardiff", "wales"),
        ("I'm from belfast originally and still here", "northern-ireland"),
        ("we moved to northern ireland last year", "northern-ireland"),
        ("i live in glasgow with my partner", "scotland"),
        ("im in england btw", "england"),
    ],
)
def test_her_own_nation_is_recognised(text: str, nation: str) -> None:
    assert mentioned_nation(text) == nation


@pytest.mark.parametrize(
    "text",
    ["my mum lives in scotland", "wales are playing tonight", "how do i self refer", "newport", "bangor"],
)
def test_other_mentions_do_not_change_her_nation(text: str) -> None:
    assert mentioned_nation(text) is None
