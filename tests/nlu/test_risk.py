"""The risk model's layer: how it combines with the rules, and the shipped model itself."""

from __future__ import annotations

import pytest

from nlu.risk import load_risk_layer
from nlu.risk.combine import RiskScores, Thresholds, combine, higher
from nlu.risk.model import RiskModel
from nlu.screen import Screening, screen

T = Thresholds(crisis=0.5, ask=0.25, distress=0.4, ask_instead=0.8)
NONE = Screening(level="none", categories=())
CRISIS = Screening(level="crisis", categories=("suicidal",))
ORDINARY = RiskScores(none=0.95, distress=0.03, crisis=0.02)
RISKY = RiskScores(none=0.1, distress=0.1, crisis=0.8)
UNSURE = RiskScores(none=0.5, distress=0.2, crisis=0.3)


def test_the_model_raises_ordinary_to_crisis_past_its_threshold() -> None:
    assert combine(NONE, RISKY, T).level == "crisis"


def test_between_the_thresholds_the_screen_is_unsure_and_asks() -> None:
    result = combine(NONE, UNSURE, T)
    assert (result.level, result.ask) == ("distress", True)


def test_a_rules_crisis_is_never_lowered_by_context() -> None:
    assert combine(CRISIS, ORDINARY, T) == CRISIS, "only the message read on its own may lower"


def test_a_rules_crisis_the_model_reads_alone_as_ordinary_becomes_the_question_never_none() -> None:
    result = combine(CRISIS, ORDINARY, T, alone=ORDINARY)
    assert (result.level, result.ask) == ("distress", True)


def test_without_the_model_the_rules_stand() -> None:
    assert combine(CRISIS, None, T) == CRISIS
    assert combine(NONE, None, T) == NONE


def test_either_reading_can_raise() -> None:
    assert higher(ORDINARY, RISKY).crisis == RISKY.crisis
    assert higher(ORDINARY, RISKY).none == RISKY.none


@pytest.fixture(scope="module")
def layer():  # type: ignore[no-untyped-def]
    loaded, status = load_risk_layer()
    assert loaded is not None, status
    return loaded


def test_the_shipped_model_loads_from_the_repository_and_checks_its_checksum() -> None:
    model = RiskModel()
    assert model.name.startswith("risk model ")


def test_the_shipped_model_is_deterministic(layer) -> None:  # type: ignore[no-untyped-def]
    text = "not slept in three days and the telly keeps talking to me about the baby"
    first = layer.model._assess(text, ())  # uncached: the graph run twice
    assert first == layer.model._assess(text, ())
    assert 0.99 < first.none + first.distress + first.crisis < 1.01


@pytest.mark.parametrize("text", ["i want to end my life", "i want to kill myself", "im going to take all my tablets"])
def test_an_explicit_crisis_after_ordinary_questions_stays_a_crisis(layer, text: str) -> None:  # type: ignore[no-untyped-def]
    history = ("what is cbt", "how do i refer myself to talking therapies")
    result = layer.screen(screen(text, history), text, history)
    assert result.level == "crisis" and not result.ask


def test_a_long_message_is_read_in_windows_so_risk_in_the_middle_is_not_cut_off(layer) -> None:  # type: ignore[no-untyped-def]
    ordinary = "we went to the shops and then to my mums and the baby was grand and we watched telly. " * 8
    buried = ordinary + "i have saved up all my tablets and tonight i am taking them. " + ordinary
    assert len(layer.model._ids(buried)) > 2 * 128, "longer than two of the model's windows"
    assert layer.model.scores(buried, ()).crisis > layer.model.scores(ordinary + ordinary, ()).crisis + 0.3


def test_a_few_words_answering_the_bot_are_left_to_the_rules(layer) -> None:  # type: ignore[no-untyped-def]
    for text in ("tomorrow morning", "EX4", "after the school run"):
        assert layer.screen(screen(text), text, ()) == screen(text)


def test_a_few_words_can_still_be_a_crisis_after_hopeless_messages(layer) -> None:  # type: ignore[no-untyped-def]
    history = ("i cant do this anymore", "everyone would be better off")
    result = layer.screen(screen("tonight", history), "tonight", history)
    assert result.level == "crisis" or result.ask


def test_a_crisis_only_the_model_hears_is_given_the_kind_it_reads_as(layer) -> None:  # type: ignore[no-untyped-def]
    assert layer.categories is not None, "the crisis-kind reader did not load"
    frightened = "keep getting pictures of him falling down the stairs when i carry him, why does my brain do this"
    sister = "my sister keeps saying she cant do this anymore and now she wont answer her phone to anyone"
    assert layer.categories.categories(frightened, ()) == ("intrusive-thoughts",)
    assert "third-party" in layer.categories.categories(sister, ())
    # Forced through the layer: whatever the rules and the model say, a model crisis never leaves without a kind.
    raised = layer.screen(NONE, "ive been saving up my tablets in a drawer", ())
    assert raised.level == "crisis" and raised.categories


def test_the_crisis_kind_reader_refuses_weights_trained_on_another_encoder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from nlu.encoder import SentenceEncoder
    from nlu.risk.categories import WEIGHTS, CategoriesUnavailable, CrisisCategories

    data = json.loads(WEIGHTS.read_text())
    data["encoder_sha256"] = "f" * 64
    other = tmp_path / "categories.json"
    other.write_text(json.dumps(data))
    with pytest.raises(CategoriesUnavailable, match="another encoder"):
        CrisisCategories(SentenceEncoder(), other)


def test_altered_risk_model_weights_are_refused_with_the_reason(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import shutil

    from nlu.risk.model import MODEL_DIR, RiskModelUnavailable

    copy = tmp_path / "model"
    shutil.copytree(MODEL_DIR, copy)
    meta = json.loads((copy / "meta.json").read_text())
    meta["sha256"] = "0" * 64
    (copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(RiskModelUnavailable, match="does not match the checksum"):
        RiskModel(copy)
