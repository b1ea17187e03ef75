"""The semantic layer of the safety screen: a sentence encoder fine-tuned to read risk, run with onnxruntime.

The rules (`nlu.screen`) are the floor. This layer reads her message with her last few messages and can raise the
level, or mark the screen unsure so that Nightlight asks her directly (`combine`). It is loaded once by the gateway
(`RiskModel.load`); its weights, tokenizer and licence live in `nlu/risk/model/`, and `nlu/risk/train.py` is how
they were made. Nothing is downloaded at run time, and PyTorch is only needed to train, never to run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from nlu.screen import Screening

if TYPE_CHECKING:
    from nlu.risk.categories import CrisisCategories


class RiskLayer(Protocol):
    """Anything that turns the rules' verdict into the screen's final one, given the message and her history."""

    name: str

    def screen(self, rules: Screening, text: str, history: Sequence[str]) -> Screening:
        """The final verdict, given the rules' verdict, the message and her earlier messages (empty: read it alone)."""
        ...


def load_risk_layer() -> tuple[RiskLayer | None, str]:
    """The semantic layer from nlu/risk/model/, or None and the plain reason it could not be loaded."""
    from nlu.risk.model import RiskModel, RiskModelUnavailable, SemanticScreen

    try:
        model = RiskModel()
    except RiskModelUnavailable as error:
        return None, str(error)
    categories, status = _crisis_categories()
    return SemanticScreen(model, categories), status


def _crisis_categories() -> tuple[CrisisCategories | None, str]:
    """The reader of crisis kinds; without it, a crisis only the model heard gets the default crisis reply."""
    from nlu.encoder import EncoderUnavailable, SentenceEncoder
    from nlu.risk.categories import CategoriesUnavailable, CrisisCategories

    try:
        return CrisisCategories(SentenceEncoder()), "loaded"
    except (EncoderUnavailable, CategoriesUnavailable) as error:
        return None, f"loaded, but a crisis only the model hears gets the default reply: {error}"
