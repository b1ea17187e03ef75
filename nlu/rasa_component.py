"""The safety screen inside Rasa's pipeline: it adds its result to every parse and can only raise the level.

Loaded by Rasa (in .venv-rasa) from config.yml. The gateway screens every message before Rasa sees it; this is
the second line, so that Rasa's own understanding never answers distress with a cheerful or empty reply, and
so that actions can read the screen's result from the parse.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.screen import screen

# Intents whose answers would be wrong for someone who is struggling: greetings, thanks, small talk, fallback.
LIGHT_INTENTS = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "out_of_scope", "ask_what_can_you_do", "nlu_fallback"}
)
SUPPORT_INTENT = "feeling_low"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyScreen(GraphComponent):
    """Adds `safety` to each parse; when the screen hears distress, a light intent becomes `feeling_low`."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyScreen:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            result = screen(text)
            message.set("safety", result.as_dict(), add_to_output=True)
            intent = message.get(INTENT) or {}
            if result.level != "none" and intent.get("name") in LIGHT_INTENTS:
                raised = {"name": SUPPORT_INTENT, "confidence": 1.0}
                message.set(INTENT, raised, add_to_output=True)
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != SUPPORT_INTENT]
                message.set(INTENT_RANKING_KEY, [raised, *ranking], add_to_output=True)
        return messages
