"""The safety screen inside Rasa's pipeline: it adds its result to every parse and can only raise the level.

Loaded by Rasa (in .venv-rasa) from config.yml. The gateway screens every message before Rasa sees it; this is
the second line, so that Rasa's own understanding never answers distress with a cheerful or empty reply, and
so that actions can read the screen's result from the parse.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.place_words import only_a_place
from nlu.emergency_signs import EMERGENCY_INTENTS, shows_emergency_signs
from nlu.encoder import SentenceEncoder
from nlu.screen import screen

# Intents whose answers would be wrong for someone who is struggling: greetings, thanks, small talk, fallback.
LIGHT_INTENTS = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "out_of_scope",
        "ask_what_can_you_do",
        "nlu_fallback",
    }
)
# When the model was unsure (nlu_fallback) but its likeliest answer is a topic with at least this confidence, a
# message with distress gets that topic's answer, which the gateway leads with a line of support, rather than the
# general "feeling low" answer: she was asking something, and a mother crying over the baby blues wants to know
# about the baby blues. Chosen on the development authors' questions (q-t5 to q-t8, before they were trained on).
DISTRESSED_TOPIC_FLOOR = 0.15
SUPPORT_INTENT = "feeling_low"
FALLBACK_INTENT = "nlu_fallback"
PLACE_INTENT = "inform"


class _Stateless(GraphComponent):
    """A pipeline step with nothing to train or store: built the same way for training and for serving."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _Stateless:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyScreen(_Stateless):
    """Adds `safety` to each parse; when the screen hears distress, a light intent becomes `feeling_low`, or, when the
    model was unsure but leaned towards a topic, that topic (see DISTRESSED_TOPIC_FLOOR)."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the screen's result to each typed message's parse; on distress, raise a light intent (see the class)."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            result = screen(text)
            message.set("safety", result.as_dict(), add_to_output=True)
            intent = message.get(INTENT) or {}
            if result.level != "none" and intent.get("name") in LIGHT_INTENTS:
                topic = _likeliest_topic(message) if intent.get("name") == FALLBACK_INTENT else None
                if topic is not None:
                    message.set(INTENT, topic, add_to_output=True)
                    continue
                raised = {"name": SUPPORT_INTENT, "confidence": 1.0}
                message.set(INTENT, raised, add_to_output=True)
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != SUPPORT_INTENT]
                message.set(INTENT_RANKING_KEY, [raised, *ranking], add_to_output=True)
        return messages


def _likeliest_topic(message: Message) -> dict[str, Any] | None:
    """The model's first choice under the fallback, if it is a topic (not small talk, not the emergency answer, which
    `EmergencyAnswerCheck` has already ruled out) with at least DISTRESSED_TOPIC_FLOOR confidence."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT]
    if not ranking:
        return None
    first = ranking[0]
    name = str(first.get("name") or "")
    is_topic = name.startswith("ask_") or name == "find_services"
    if not is_topic or name in EMERGENCY_INTENTS or float(first.get("confidence") or 0.0) < DISTRESSED_TOPIC_FLOOR:
        return None
    return {"name": name, "confidence": float(first.get("confidence") or 0.0)}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class NeighbourAgreement(GraphComponent):
    """A second opinion when DIET is unsure: if most of the training examples nearest in meaning to her message (by
    the packaged encoder's sentence vectors) have the intent DIET already leaned towards, that intent is the answer
    instead of "not sure I understood".

    Both must agree, so it answers only where two different readings of the message meet. The numbers (the 7
    nearest, at least 4 of them, mean similarity at least 0.4) were chosen on four authors' questions (q-t5 to
    q-t8) with a model trained without them: it turned 56 of their 1,760 "not sure" replies into right answers
    and 10 into wrong ones.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """How many nearest examples to read, how many must share DIET's leaning, and their least mean similarity."""
        return {"neighbours": 7, "votes": 4, "similarity": 0.4}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vectors: Any = None,
        labels: list[str] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._vectors, self._labels = vectors, labels or []

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NeighbourAgreement:
        """An untrained component: until `train` stores examples, it changes nothing."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> NeighbourAgreement:
        """The component with the sentence vectors and intents that `train` stored."""
        import numpy as np

        with model_storage.read_from(resource) as folder:
            vectors = np.load(folder / "vectors.npy")
            labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, vectors, labels)

    def train(self, training_data: TrainingData) -> Resource:
        """Keep every intent example's sentence vector and intent."""
        import numpy as np

        rows, labels = [], []
        for example in training_data.intent_examples:
            text, intent = example.get(TEXT), example.get(INTENT)
            if isinstance(text, str) and text and isinstance(intent, str):
                rows.append(_sentence_vector(example))
                labels.append(intent)
        with self._storage.write_to(self._resource) as folder:
            np.save(folder / "vectors.npy", np.stack(rows).astype(np.float32))
            (folder / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
        self._vectors, self._labels = np.stack(rows), labels
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """The training data, unchanged: the examples are read in `train`."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Where DIET fell back to `nlu_fallback`, answer with its leaning if the nearest examples agree."""
        for message in messages:
            text, intent = message.get(TEXT), message.get(INTENT) or {}
            if self._vectors is None or not isinstance(text, str) or text.startswith("/"):
                continue
            if intent.get("name") != FALLBACK_INTENT:
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT]
            agreed = self._agreed(_sentence_vector(message), ranking[0] if ranking else None)
            if agreed is not None:
                message.set(INTENT, agreed, add_to_output=True)
        return messages

    def _agreed(self, vector: Any, leaning: dict[str, Any] | None) -> dict[str, Any] | None:
        """DIET's leaning, when enough of the nearest examples share it, closely enough."""
        if leaning is None:
            return None
        similarities = self._vectors @ vector
        nearest = similarities.argsort()[::-1][: int(self._config["neighbours"])]
        votes = Counter(self._labels[i] for i in nearest)
        name, count = votes.most_common(1)[0]
        close = [float(similarities[i]) for i in nearest if self._labels[i] == name]
        if name != leaning.get("name") or count < int(self._config["votes"]):
            return None
        if sum(close) / len(close) < float(self._config["similarity"]):
            return None
        return {"name": name, "confidence": float(leaning.get("confidence") or 0.0)}


def _sentence_vector(message: Message) -> Any:
    """The message's unit-length sentence vector: the one SentenceEncoderFeaturizer gave it, else encoded now."""
    _sequence, sentence = message.get_dense_features(TEXT)
    if sentence is not None and sentence.features.shape[-1] == _encoder().dimensions:
        return sentence.features.reshape(-1)
    return _encoder().encode([message.get(TEXT)])[0]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PlaceAnswer(_Stateless):
    """A message that is only a place ("Lisburn", "Bow, E3", "she lives in B20") is an answer about where
    (`inform`), whatever the model made of it: place names are too many to learn from examples. Read by
    `actions.place_words.only_a_place`, which takes a name on its own only if it is a town or a city."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Make the intent `inform` for each typed message that is only a place."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and not text.startswith("/") and only_a_place(text) is not None:
                message.set(INTENT, {"name": PLACE_INTENT, "confidence": 1.0}, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyAnswerCheck(_Stateless):
    """An emergency answer only on emergency signs (`nlu.emergency_signs`): without them the intent becomes
    `nlu_fallback`, keeping the model's ranking, so the assistant offers its likeliest topics as buttons (the
    emergency one among them) instead of telling her that something needs help today."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Turn an emergency intent without emergency signs into `nlu_fallback`, at the head of the model's ranking."""
        for message in messages:
            text = message.get(TEXT)
            intent = message.get(INTENT) or {}
            if not isinstance(text, str) or text.startswith("/") or intent.get("name") not in EMERGENCY_INTENTS:
                continue
            if shows_emergency_signs(text):
                continue
            unsure = {"name": FALLBACK_INTENT, "confidence": float(intent.get("confidence") or 0.0)}
            message.set(INTENT, unsure, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT]
            message.set(INTENT_RANKING_KEY, [unsure, *ranking], add_to_output=True)
        return messages


@lru_cache(maxsize=1)
def _encoder() -> SentenceEncoder:
    """One encoder per process: Rasa builds the component for training and again for serving."""
    return SentenceEncoder()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Gives DIET one dense sentence vector per message from the packaged encoder (`nlu/encoder/`), offline.

    The vector is the encoder's whole-sentence meaning, so DIET can match a question to examples that share no
    words with it. No sequence features: the count-vector featurizers already give DIET its per-token view.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Rasa's defaults for a dense featurizer (only its alias): the encoder has no settings."""
        return {**DenseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to configure beyond the featurizer's alias."""

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder = _encoder()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        """A featurizer named after its node in Rasa's graph."""
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Give every training example with text its sentence vector."""
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Give each message with text its sentence vector."""
        self._featurize(messages)
        return messages

    def _featurize(self, messages: list[Message]) -> None:
        with_text = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT)]
        vectors = self._encoder.encode([m.get(TEXT) for m in with_text])
        for message, vector in zip(with_text, vectors, strict=True):
            self.add_features_to_message(sequence=None, sentence=vector[None, :], attribute=TEXT, message=message)
