"""The emergency answer rests on emergency signs: the illness named, or one of its warning signs."""

from __future__ import annotations

import pytest

from nlu.emergency_signs import shows_emergency_signs
from tests.rasa.content import assistant


@pytest.mark.parametrize(
    "text",
    [
        "what is postpartum psychosis",
        "post partum pychosis",
        "my wife hasn't slept for days and keeps saying strange things",
        "she is hearing voices since the birth",
        "I keep seeing things that aren't there",
        "my sister is really high and talking so fast, not herself",
        "she thinks people are watching her and plotting against us",
        "feeling on top of the world and not needing sleep after birth",
        "she's very confused and doesn't make sense",
    ],
)
def test_signs_of_the_emergency_are_recognised(text: str) -> None:
    assert shows_emergency_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "my baby was in neonatal care for three weeks and she still doesn't feel like mine",
        "i have panic attacks at night",
        "i'm scared of giving birth again after last time",
        "will my gp just give me pills",
        "i keep having horrible thoughts about the baby getting hurt",
        "i'm exhausted, the baby wakes every two hours",
    ],
)
def test_questions_near_it_show_no_emergency_signs(text: str) -> None:
    assert not shows_emergency_signs(text)


def test_the_psychosis_examples_from_every_author_show_signs() -> None:
    examples = assistant().training["ask_postpartum_psychosis"] + assistant().held_out["ask_postpartum_psychosis"]
    without = [text for text in examples if not shows_emergency_signs(text)]
    assert len(examples) >= 80
    assert without == []


@pytest.mark.parametrize(
    ("text", "signs"),
    [
        ("my wife believes the baby is not our baby, she says they swapped him", True),
        ("it feels like he's not my baby, I don't feel anything", False),  # distance, not a delusion
        ("is it true you can go mad after having a baby", True),
        ("my thoughts are racing and i aint slept in days", True),
    ],
)
def test_a_belief_is_a_sign_and_a_feeling_of_distance_is_not(text: str, signs: bool) -> None:
    assert shows_emergency_signs(text) is signs
