"""History rules: what earlier turns of the conversation add to a message.

Short, final-sounding messages ("tonight's the night", "bye") are crisis only after hopeless or risky turns, and
follow-ups ("it's started again", "he's back") only mean something after an earlier disclosure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.screen._matching import _affirmed, _match_rules, _prepared, _screen_text
from nlu.screen._verdict import _CRISIS_CATEGORIES, _HOPELESS
from nlu.screen._vocabulary import _CONTEXT_ACT, _THIRD_PARTY_ANCHOR

# Short, final-sounding messages that are only crisis after earlier risky turns. STRONG ones need any earlier
# hopelessness; WEAK ones ("bye", "i love them") need an earlier suicidal or self-harm disclosure.
_HELP_SEEKING = r"(?! to (?:call|ring|phone|talk|speak|see|get|go to|ask|tell|try|book|text|reach|contact|accept))"
_CONTEXT_STRONG = re.compile(
    rf"\b(?:tonight is the night|tonight s the night|it is (?:tonight|happening)|i am ready\b{_HELP_SEEKING}|"
    rf"(?:made (?:up )?my mind|mind is made up|i have decided|i decided|decision is made|made my decision)"
    rf"{_HELP_SEEKING}|made (?:my )?peace|no turning back|goodbye|i (?:will|am going to|am gonna) (?:do it|go "
    r"through with it)|(?:do|doing) it (?:tonight|today|tomorrow|now|soon)|(?:got|have|counted|lined up|sorted|ready|"
    r"here|next to me|in my hand|in front of me) (?:all )?(?:the |my )?(?:tablets|pills|rope|meds|blades?|razor|"
    rf"knife|paracetamol)|(?:tablets|pills|rope|meds|blades?|knife|paracetamol) (?:are |is )?(?:all )?(?:ready|"
    r"here|counted|lined up|next to me|in my hand|in front of me|sorted)|nothing (?:will|can) stop me|no one (?:can|"
    r"will) stop me|not (?:be|going to be) (?:here|around)|will not be (?:here|around)|i have a plan|i know how|i know"
    r" what i am going to do|it will be quick|(?:driving|going|walking|heading|on my way|sat|sitting|standing) "
    r"(?:to|at|on|by) the (?:bridge|river|sea|station|tracks|woods|cliff|car park|edge|platform)|i have written|"
    r"letters? (?:are )?(?:written|done)|note (?:is )?(?:written|done)|(?:this|it) is (?:my )?(?:last|final)|"
    r"last (?:message|time|night)|one last (?:time|cuddle|look)|soon it will|it will (?:all )?be over|(?:there is|got|"
    r"have) enough (?:now|saved|here|to)|(?:looking|staring|look|stare) at (?:the |my |a )?(?:box|packet|bottle|pack|"
    r"strip|tablets|pills))\b"
)
_CONTEXT_WEAK = re.compile(
    r"\b(?:bye|take care of (?:him|her|them|my|the)|tell (?:him|her|them|my|the) (?:i|that)|sorry for everything|"
    r"i am (?:so )?sorry\b(?! (?:to|for (?:the|asking|bothering|rambling|going on|the essay|the long)))|forgive me|"
    r"thank you for (?:trying|everything)|i love (?:him|her|them|my)|i mean it|i am serious|not joking|i have had "
    r"enough|i am done|it is time\b(?! (?:for|to feed))|this is it|they will be better off|better off|nobody will "
    r"notice|no one will notice|i cannot anymore|i am tired|too tired to fight|i want to|i will|nothing will change)\b"
)
_CONTEXT_DONE = re.compile(
    r"\b(?:i have (?:done|taken) it|i did it|i took (?:them|it|the lot|everything|all)|i have taken (?:them|the "
    r"lot|everything|all)|taken (?:them|it) all|took (?:them|it) all|it is done|done it now|swallowed (?:them|it)|"
    r"i have cut|i cut again|i did it again|i have (?:gone|went) and done it)\b"
)

# Follow-ups that only mean something after an earlier disclosure.
_COMING_BACK = re.compile(
    r"\b(?:started again|started up again|back again|are back|is back|they are back|it is back|again|relapsed|"
    r"cannot make (?:them|it) stop|will not stop|worse)\b"
)
_GRANDIOSE = re.compile(
    r"\b(?:sent to me|for a reason|tell everyone|mission|chosen|special|destiny|meant to|god|the universe|signs?|"
    r"powers?|genius|incredible|amazing|brilliant|everything makes sense)\b"
)
_DANGER_BACK = re.compile(
    r"\b(?:he is|he s|hes|partner is|they are) (?:back|outside|here|at the door|coming|on his way)\b|\b(?:scared|"
    r"terrified|frightened|hiding)\b"
)
_UNREACHABLE = re.compile(
    r"\b(?:not|stopped|is not|has not been) (?:answering|replying|picking up)\b|\bphone (?:is )?(?:off|dead|"
    r"switched off)\b|\b(?:cannot|can not) (?:get hold of|reach|find) her\b|\bno answer\b"
)
_CONTEXT_CONTINUING = re.compile(
    r"\b(?:still|again|every day|every night|all the time|keep|constantly|getting worse|worse|more and more|"
    r"stronger|louder)\b"
)


def _with_history(found: set[str], text: str, history: Sequence[str]) -> set[str]:
    """Add categories that only follow from the earlier turns."""
    earlier: set[str] = set()
    for turn in history:
        earlier |= _screen_text(turn)
    prepared = _prepared(text)
    before = " ".join(_prepared(turn) for turn in history)
    if "pastselfharm" in before and _affirmed(_COMING_BACK, prepared):
        found.add("self-harm")
    if _THIRD_PARTY_ANCHOR.search(before) and not found & _CRISIS_CATEGORIES:
        # "my friend at group..." then "she rolled her sleeves up...": the pronoun is the friend, not the baby.
        found |= _match_rules(prepared, anchored=True)
    if not earlier:
        return found
    if "psychosis-signs" in earlier and _GRANDIOSE.search(prepared):
        found.add("psychosis-signs")
    if "abuse-or-danger" in earlier and _DANGER_BACK.search(prepared):
        found.add("abuse-or-danger")
    if "intrusive-thoughts" in earlier and _COMING_BACK.search(prepared):
        found.add("intrusive-thoughts")
    if {"third-party", "suicidal"} <= earlier and _UNREACHABLE.search(prepared):
        found |= {"third-party", "suicidal"}
    disclosed = earlier & {"suicidal", "self-harm", "overdose-or-injury"}
    hopeless = disclosed or earlier & {_HOPELESS}
    if earlier & {"intrusive-thoughts", "harm-to-baby"} and _affirmed(_CONTEXT_ACT, prepared):
        found.add("harm-to-baby")
    if hopeless:
        own = "self-harm" if "self-harm" in earlier and "suicidal" not in earlier else "suicidal"
        if _affirmed(_CONTEXT_DONE, prepared):
            found.add("overdose-or-injury")
        elif (
            _affirmed(_CONTEXT_STRONG, prepared)
            or _affirmed(_CONTEXT_ACT, prepared)
            or (disclosed and _affirmed(_CONTEXT_WEAK, prepared))
        ):
            found.add(own)
    if (
        disclosed & {"suicidal", "self-harm"}
        and found & {_HOPELESS, "distress"}
        and _CONTEXT_CONTINUING.search(prepared)
    ):
        # Hopelessness that carries on after a disclosure of suicidal thoughts is still that disclosure.
        found.add("suicidal" if "suicidal" in earlier else "self-harm")
    return found
