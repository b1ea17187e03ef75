"""The safety screen inside Rasa's pipeline, run in Rasa's own virtualenv."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from bot.processes.training import rasa_environment
from tests.conftest import PROJECT_ROOT

SCRIPT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from nlu.rasa_component import SafetyScreen
component = SafetyScreen()
cases = json.loads(sys.argv[1])
messages = [Message(data={"text": text, "intent": {"name": intent, "confidence": 0.6},
                          "intent_ranking": [{"name": intent, "confidence": 0.6}]}) for text, intent in cases]
for m in component.process(messages):
    print(json.dumps({"intent": m.get("intent")["name"], "safety": m.get("safety"),
                      "first_ranked": m.get("intent_ranking")[0]["name"]}))
"""


def run_in_rasa(script: str, *arguments: object) -> list[dict[str, Any]]:
    """Run a script in Rasa's own environment with JSON arguments; the JSON lines it prints."""
    env = rasa_environment()
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    result = subprocess.run(
        [str(PROJECT_ROOT / ".venv-rasa" / "bin" / "python"), "-c", script, *(json.dumps(a) for a in arguments)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def run_component(cases: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return run_in_rasa(SCRIPT, cases)


def test_the_component_adds_the_screen_result_and_only_ever_raises_a_light_intent() -> None:
    results = run_component(
        [
            ("hiya im not coping at all, crying all day", "greet"),
            ("cheers, whats cbt", "thank"),
            ("i feel like a failure and i cant stop crying", "nlu_fallback"),
            ("i cant stop crying and need to know how to self refer", "ask_self_referral"),
        ]
    )
    assert [r["intent"] for r in results] == ["feeling_low", "thank", "feeling_low", "ask_self_referral"]
    assert results[0]["safety"] == {"level": "distress", "categories": ["distress"], "ask": False}
    assert results[0]["first_ranked"] == "feeling_low"
    assert results[1]["safety"] == {"level": "none", "categories": [], "ask": False}


EMERGENCY_SCRIPT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from nlu.rasa_component import EmergencyAnswerCheck
cases = json.loads(sys.argv[1])
ranking = [{"name": "ask_postpartum_psychosis", "confidence": 0.7}, {"name": "ask_bonding", "confidence": 0.2}]
messages = [Message(data={"text": text, "intent": {"name": intent, "confidence": 0.7}, "intent_ranking": ranking})
            for text, intent in cases]
for m in EmergencyAnswerCheck().process(messages):
    print(json.dumps({"intent": m.get("intent")["name"], "ranked": [r["name"] for r in m.get("intent_ranking")]}))
"""


def test_the_emergency_answer_needs_emergency_signs_in_what_she_wrote() -> None:
    cases = [
        ("my baby was in neonatal care and still doesn't feel like mine", "ask_postpartum_psychosis"),
        ("my wife hasn't slept for days and is hearing voices", "ask_postpartum_psychosis"),
        ("what is postpartum psychosis", "ask_postpartum_psychosis"),
        ("/ask_postpartum_psychosis", "ask_postpartum_psychosis"),
        ("i dont feel close to my baby", "ask_bonding"),
    ]
    results = run_in_rasa(EMERGENCY_SCRIPT, cases)
    assert [r["intent"] for r in results] == [
        "nlu_fallback",
        "ask_postpartum_psychosis",
        "ask_postpartum_psychosis",
        "ask_postpartum_psychosis",
        "ask_bonding",
    ]
    # The model's guesses are kept, so the assistant can offer them as choices.
    assert results[0]["ranked"] == ["nlu_fallback", "ask_postpartum_psychosis", "ask_bonding"]


TOPIC_SCRIPT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from nlu.rasa_component import SafetyScreen
cases = json.loads(sys.argv[1])
messages = [Message(data={"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.45},
                          "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.45}, *ranking]})
            for text, ranking in cases]
for m in SafetyScreen().process(messages):
    print(json.dumps({"intent": m.get("intent")["name"]}))
"""


def test_a_distressed_question_the_model_leaned_towards_a_topic_on_gets_that_topic() -> None:
    crying = "is it normal to be bawling my eyes out on day 4, i cant stop crying"
    cases = [
        (crying, [{"name": "ask_baby_blues", "confidence": 0.3}, {"name": "ask_fear_of_birth", "confidence": 0.06}]),
        (crying, [{"name": "ask_baby_blues", "confidence": 0.1}]),  # too unsure: support first
        (crying, [{"name": "greet", "confidence": 0.4}]),  # small talk is never the answer to distress
        (crying, [{"name": "ask_postpartum_psychosis", "confidence": 0.4}]),  # nor a guessed emergency
        ("what is the baby blues", [{"name": "ask_baby_blues", "confidence": 0.3}]),  # no distress: stays unsure
    ]
    lines = run_in_rasa(TOPIC_SCRIPT, cases)
    intents = [line["intent"] for line in lines]
    assert intents == ["ask_baby_blues", "feeling_low", "feeling_low", "feeling_low", "nlu_fallback"]


NEIGHBOUR_SCRIPT = """
import json, sys, tempfile
from pathlib import Path
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from nlu.rasa_component import NeighbourAgreement, SentenceEncoderFeaturizer

examples = json.loads(sys.argv[1])
cases = json.loads(sys.argv[2])
featurizer = SentenceEncoderFeaturizer(SentenceEncoderFeaturizer.get_default_config(), "encoder")
data = featurizer.process_training_data(
    TrainingData([Message(data={"text": text, "intent": intent}) for text, intent in examples])
)
storage = LocalModelStorage(Path(tempfile.mkdtemp()))
resource = Resource("neighbours")
NeighbourAgreement.create({}, storage, resource, None).train(data)
component = NeighbourAgreement.load({}, storage, resource, None)
unsure = {"name": "nlu_fallback", "confidence": 0.45}
messages = [
    Message(data={"text": text, "intent": unsure, "intent_ranking": [unsure, {"name": leaning, "confidence": 0.4}]})
    for text, leaning in cases
]
for m in component.process(featurizer.process(messages)):
    print(json.dumps({"intent": m.get("intent")["name"]}))
"""


def test_an_unsure_answer_is_given_when_the_nearest_examples_agree_with_the_models_leaning() -> None:
    panic = [
        "what is a panic attack",
        "my heart races and i cant breathe",
        "panic attacks at night after the baby",
        "sudden fear and shaking, is it panic",
        "how do i stop panic attacks",
    ]
    blues = ["is crying on day 4 normal", "baby blues how long", "weepy in the first week after birth"]
    examples = [(text, "ask_panic_attacks") for text in panic] + [(text, "ask_baby_blues") for text in blues]
    cases = [
        ("i wake up at night with my heart pounding and i cant catch my breath", "ask_panic_attacks"),
        ("i wake up at night with my heart pounding and i cant catch my breath", "ask_baby_blues"),  # they disagree
        ("what's the best pram for hills", "ask_panic_attacks"),  # nothing near it
    ]
    lines = run_in_rasa(NEIGHBOUR_SCRIPT, examples, cases)
    intents = [line["intent"] for line in lines]
    assert intents == ["ask_panic_attacks", "nlu_fallback", "nlu_fallback"]


PLACE_SCRIPT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from nlu.rasa_component import PlaceAnswer
cases = json.loads(sys.argv[1])
messages = [Message(data={"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.45}}) for text in cases]
for m in PlaceAnswer().process(messages):
    print(json.dumps({"intent": m.get("intent")["name"]}))
"""


def test_a_message_that_is_only_a_place_is_an_answer_about_where() -> None:
    cases = ["Lisburn", "She lives in B20.", "bath", "how do i refer myself", "/greet"]
    lines = run_in_rasa(PLACE_SCRIPT, cases)
    intents = [line["intent"] for line in lines]
    assert intents == ["inform", "inform", "nlu_fallback", "nlu_fallback", "nlu_fallback"]
