"""The direct question Nightlight asks when the screen is unsure, and what each answer leads to.

Crisis-line volunteers are trained to ask about suicide directly and kindly when they are not sure: asking does not
put the idea in anyone's head, and it tells her she can say it. So when the screen's layers disagree or the model
is unsure, Nightlight does not answer from the topic list; it asks.
"""

from __future__ import annotations

import re

from bot.answers.replies import BotMessage, Button

QUESTION = (
    "Thank you for telling me. Can I ask you something directly? Are you thinking about ending your life, or about "
    "harming yourself or your baby?"
)
YES = "/safety_check_yes"
STRUGGLING = "/safety_check_struggling"
OK = "/safety_check_ok"
PAYLOADS = frozenset({YES, STRUGGLING, OK})

STRUGGLING_TEXT = (
    "Thank you for telling me. It sounds like things are really hard right now, and I'm glad you said so. "
    "You don't have to manage this on your own."
)
OK_TEXT = (
    "Thank you for answering, and I'm sorry if the question felt strange: I'd always rather ask. I'm here if "
    "anything changes. You can tell me more, or ask me anything."
)

TYPED_YES = re.compile(r"^\s*(y|yes|yeah|yep|yea|ye|aye|i am|i think so|maybe|sort of|kind of)\b", re.IGNORECASE)
TYPED_NO = re.compile(r"^\s*(n|no|nope|nah|naw|not really|no i'?m not)\b", re.IGNORECASE)


def question() -> BotMessage:
    """The direct question, with three answers she can tap."""
    return BotMessage(
        text=QUESTION,
        buttons=(
            Button("Yes", YES),
            Button("No, but I'm struggling", STRUGGLING),
            Button("No, I'm OK", OK),
        ),
        kind="safety-check",
    )


def typed_answer(text: str) -> str | None:
    """Her typed answer to the question, as a payload. A plain "no" is taken as "no, but I'm struggling": she
    still gets support and the offer of a person, which costs her nothing if she is fine."""
    if TYPED_YES.match(text):
        return YES
    if TYPED_NO.match(text):
        return STRUGGLING
    return None


def was_asked(last_reply: dict[str, object] | None) -> bool:
    """Whether the last thing said to her was the direct question."""
    messages = last_reply.get("messages") if last_reply else None
    return isinstance(messages, list) and any(isinstance(m, dict) and m.get("kind") == "safety-check" for m in messages)
