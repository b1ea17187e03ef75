"""The gateway's own replies for crisis and for when Rasa cannot answer. They never depend on the model."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.answers.replies import BotMessage, route_taps, with_routes
from bot.contacts import Contacts
from nlu.screen import Screening, screen

NO_SCREENING = Screening(level="none", categories=())


@dataclass(frozen=True)
class CrisisTemplate:
    """Words and routes for one kind of crisis. Numbers are never written here: routes are data ids."""

    opening: str
    urgent_lead: str
    urgent_routes: tuple[str, ...]
    talk_lead: str
    talk_routes: tuple[str, ...]


SUICIDAL = CrisisTemplate(
    opening="Thank you for telling me. I'm so sorry things feel this hard. You don't have to carry this alone.",
    urgent_lead="If you might act on these thoughts, or you've hurt yourself:",
    urgent_routes=("emergency",),
    talk_lead="Talk to someone now, any time of day or night:",
    talk_routes=("nhs-111-mental-health", "samaritans", "shout", "pandas-text"),
)

OVERDOSE_OR_INJURY = CrisisTemplate(
    opening="Please get help straight away, even if you feel all right at the moment.",
    urgent_lead="If you've taken something or hurt yourself, do this now and tell anyone who is near you:",
    urgent_routes=("emergency",),
    talk_lead="If you can't do that, or once you're safe:",
    talk_routes=("nhs-111-mental-health", "samaritans"),
)

HARM_TO_BABY = CrisisTemplate(
    opening=(
        "Thank you for telling me. That took courage. Right now, put your baby somewhere safe, like their cot, "
        "and go into another room. Call someone to come and be with you."
    ),
    urgent_lead="If you or your baby are in danger now:",
    urgent_routes=("emergency",),
    talk_lead="Then get urgent help today:",
    talk_routes=("nhs-111-mental-health", "samaritans"),
)

PSYCHOSIS_SIGNS = CrisisTemplate(
    opening=(
        "What you describe needs help today. Seeing or hearing things, very strange thoughts, or days without "
        "sleep after a baby can be signs of postpartum psychosis. It is an emergency, and it is treatable. "
        "Please tell someone who is with you now, and ask your GP for a same-day appointment."
    ),
    urgent_lead="If anyone is in danger:",
    urgent_routes=("emergency",),
    talk_lead="If you can't see your GP today:",
    talk_routes=("nhs-111-mental-health",),
)

ABUSE_OR_DANGER = CrisisTemplate(
    opening="I'm so sorry this is happening. It is not your fault, and you deserve to be safe.",
    urgent_lead="If you are in danger now:",
    urgent_routes=("emergency", "domestic-abuse-helpline"),
    talk_lead="To talk it through, day or night:",
    talk_routes=("samaritans",),
)

THIRD_PARTY = CrisisTemplate(
    opening=(
        "It's good that you're looking out for them. If it's safe, stay with them or keep in touch, "
        "and help them reach one of these."
    ),
    urgent_lead="If they are in danger now or have hurt themselves:",
    urgent_routes=("emergency",),
    talk_lead="For urgent advice about someone else, or for them to talk:",
    talk_routes=("nhs-111-mental-health", "samaritans", "shout"),
)

INTRUSIVE_THOUGHTS = CrisisTemplate(
    opening=(
        "Thank you for telling me. Unwanted, scary thoughts like these are really common after having a baby. "
        "Having them does not mean you want to act on them, or that you will. They upset you because they go "
        "against what you want. If they keep coming back, it may be perinatal OCD, which is very treatable. "
        "It's worth telling your GP, midwife or health visitor."
    ),
    urgent_lead="",
    urgent_routes=(),
    talk_lead="If you'd like to talk to someone, day or night:",
    talk_routes=("samaritans", "pandas-text"),
)

# The first category present chooses the reply.
# Danger from someone else comes first; then someone else at risk (what she can do for them); then her own.
PRECEDENCE: tuple[tuple[str, CrisisTemplate], ...] = (
    ("abuse-or-danger", ABUSE_OR_DANGER),
    ("third-party", THIRD_PARTY),
    ("overdose-or-injury", OVERDOSE_OR_INJURY),
    ("harm-to-baby", HARM_TO_BABY),
    ("psychosis-signs", PSYCHOSIS_SIGNS),
    ("suicidal", SUICIDAL),
    ("self-harm", SUICIDAL),
    ("intrusive-thoughts", INTRUSIVE_THOUGHTS),
)

# The offer of a peer supporter comes as its own message right after this one, honest about who is on.
ALWAYS_OPEN = "These lines are free and always open."


def template_for(screening: Screening) -> CrisisTemplate:
    """The reply that fits the most urgent category; suicidal words when none is named."""
    for category, template in PRECEDENCE:
        if category in screening.categories:
            return template
    return SUICIDAL


def crisis_reply(screening: Screening, contacts: Contacts, nation: str = "england") -> BotMessage:
    """One message, under 1,000 characters, with the routes that fit what she said and where she is."""
    template = template_for(screening)
    text = template.opening
    if template.urgent_routes:
        text = with_routes(f"{text}\n\n{template.urgent_lead}", template.urgent_routes, contacts, nation)
    text = with_routes(f"{text}\n\n{template.talk_lead}", template.talk_routes, contacts, nation)
    text = f"{text}\n\n{ALWAYS_OPEN}"
    listed = template.urgent_routes + template.talk_routes
    routes = tuple(c.id for c in contacts.for_nation(listed, nation))
    return BotMessage(text=text, kind="crisis", routes=routes, taps=route_taps(listed, contacts, nation))


FALLBACK_TEXT = (
    "I'm sorry, I can't answer properly just now because something on my side isn't working. "
    "Please try again in a few minutes. If you need someone now, these are free and open day and night:"
)
FALLBACK_ROUTES = ("emergency", "samaritans", "shout")
REFUSAL_TEXT = "If you need someone now, these are free and open day and night:"
# A refused message is still read: this much of it, at most, is screened for a crisis.
REFUSAL_SCREEN_CHARS = 64 * 1024
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def unavailable_reply(contacts: Contacts, nation: str = "england") -> BotMessage:
    """What she gets when Rasa or the action server cannot answer: never silence, always the crisis line."""
    return BotMessage(
        text=with_routes(FALLBACK_TEXT, FALLBACK_ROUTES, contacts, nation),
        kind="fallback",
        routes=FALLBACK_ROUTES,
        taps=route_taps(FALLBACK_ROUTES, contacts, nation),
    )


def readable(text: str) -> str:
    """Text with lone UTF-16 surrogates (which no one can type, and no store can keep) taken out."""
    return LONE_SURROGATE.sub("", text)


def refusal(contacts: Contacts, text: str | None = None, nation: str = "england") -> dict[str, Any]:
    """What goes with any refusal of a message: the text it carried is screened first, so a crisis still gets the
    crisis reply; anything else gets the 24/7 routes. {"messages": [...], "safety": {...}}"""
    screening = screen(readable(text)[:REFUSAL_SCREEN_CHARS]) if text else NO_SCREENING
    if screening.level == "crisis":
        message = crisis_reply(screening, contacts, nation)
    else:
        message = BotMessage(
            text=with_routes(REFUSAL_TEXT, FALLBACK_ROUTES, contacts, nation),
            kind="fallback",
            routes=FALLBACK_ROUTES,
            taps=route_taps(FALLBACK_ROUTES, contacts, nation),
        )
    return {"messages": [message.as_dict()], "safety": screening.as_dict()}


def footer(contacts: Contacts, nation: str = "england") -> str:
    """One line of 24/7 routes that ends every reply for a day after a crisis."""
    routes = contacts.for_nation(("nhs-111-mental-health", "samaritans", "shout"), nation)
    return "Day or night: " + " · ".join(contact.short() for contact in routes)
