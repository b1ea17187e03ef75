"""Whether a message shows signs that make the emergency answer (postpartum psychosis) the right one.

The intent model can pick that answer for a question that only sounds near it ("my baby was in neonatal care and
doesn't feel like mine yet"). An answer that says "this needs help today" must rest on what she wrote: the name of
the illness, or one of its warning signs (NHS: hearing or seeing things, strange beliefs, feeling high or manic,
racing thoughts, confusion, hardly sleeping). Without them the assistant asks which topic she means instead.
"""

from __future__ import annotations

import re

# The answers that tell her something is an emergency.
EMERGENCY_INTENTS = frozenset({"ask_postpartum_psychosis"})

_SIGNS = re.compile(
    "|".join(
        (
            r"\bp\w{0,3}ch?os[ie]s\b",  # psychosis, as typed: pychosis, psycosis, phsycosis
            r"\bpsychotic\b",
            r"\bpuerperal\b",
            r"\bpp\b",
            r"\bmani(?:a|c)\b",
            r"\bhallucinat",
            r"\bdelusion",
            r"\bparanoi",
            r"\b(?:hear|hears|hearing|heard)\s+(?:voices|things|noises|someone|people)\b",
            r"\bvoices\b",
            r"\b(?:see|sees|seeing|saw|seen)\s+(?:things|people|stuff|shapes)\s+(?:that\s+)?"
            r"(?:are\s*n[o']?t|aint|isnt|arent|no one|nobody|others)",
            r"\bnot\s+(?:really\s+)?there\b",
            r"\b(?:strange|weird|odd|bizarre|crazy|mad)\s+(?:things|beliefs|ideas|stuff|thoughts)\b",
            r"\b(?:talking|speaking)\s+(?:very\s+|really\s+|so\s+)?fast\b",
            r"\bracing\s+thoughts\b",
            r"\bthoughts?\s+(?:are|is|keep|keeps)\s+racing\b",
            r"\b(?:mad|feel|feeling|felt)\s+high\b",
            r"\b(?:go|goes|going|gone|went)\s+(?:mad|insane|crazy)\b",
            r"\blos(?:e|ing|t)\s+(?:my|her|your|their)\s+mind\b",
            r"\b(?:really|very|so)\s+high\b",
            r"\bon\s+a\s+high\b",
            r"\b(?:confused|confusion|disoriented)\b",
            r"\b(?:not|n[o']?t|no|aint|hardly|barely)\s+(?:slept|sleeping|sleep)\s+(?:for|in)\s+"
            r"(?:days|\d+\s+days|two|three|a\s+few)",
            r"\bno\s+need\s+(?:to|for)\s+sleep\b",
            r"\bnot\s+needing\s+(?:any\s+|much\s+)?sleep\b",
            r"\btop\s+of\s+the\s+world\b",
            r"\bdoesn?t\s+need\s+(?:to\s+)?sleep\b",
            r"\b(?:not|doesnt|dont|isnt)\s+(?:make|making)\s+(?:any\s+)?sense\b",
            r"\bout\s+of\s+touch\s+with\s+reality\b",
            r"\bwhat\s+is\s+real\b",
            r"\b(?:watching|following|spying\s+on|plotting\s+against|poisoning|controlling)\s+(?:me|her|us|them)\b",
            r"\b(?:special\s+powers|messages?\s+(?:for|from)|chosen\s+one|god\s+(?:is|told|speaks|talks))\b",
            r"\b(?:act|acts|acting|behaving|behaves)\s+(?:really\s+|very\s+|so\s+)?"
            r"(?:strange|strangely|weird|weirdly|odd|oddly|bizarre)",
            r"\b(?:see|sees|seeing|saw)\s+tings\b",
            # Believing the baby is not theirs, or was swapped: a delusion, not a feeling of distance.
            r"\b(?:believes?|thinks?|convinced|says?|insists?)\s+(?:that\s+)?(?:the\s+)?(?:baby|he|she|it)\s+"
            r"(?:is\s*n[o']?t|is\s+not|not)\s+(?:our|my|her|their)\b",
            r"\b(?:changed|swapped|switched|replaced)\s+(?:him|her|the\s+baby|our\s+baby|my\s+baby)\b",
            r"\bnot\s+(?:herself|himself|myself)\b.*\b(?:strange|weird|odd|voices|sleep)",
        )
    )
)


def shows_emergency_signs(text: str) -> bool:
    """Whether the message names the illness or one of its warning signs."""
    lowered = re.sub(r"['’`]", "", text.lower())
    return _SIGNS.search(lowered) is not None
