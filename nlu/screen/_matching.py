"""Matching one message: every rule in order, with clause-scoped negation, whose-disclosure-is-it subject logic,
and question-about-a-topic suppression.

_all_rules() fixes the order in which rules are tried; _screen_text() screens one message on its own (normalised,
figures of speech blanked, cached), before the history rules in _context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from nlu.screen._figures import _blank_figures
from nlu.screen._normalise import normalise
from nlu.screen._rule import _Rule
from nlu.screen._rules.abuse import _ABUSE_RULES, _MORE_ABUSE_RULES
from nlu.screen._rules.distress import _DISTRESS_RULES, _MORE_DISTRESS_RULES, _WIDER_DISTRESS_RULES
from nlu.screen._rules.harm_to_baby import _HARM_TO_BABY_RULES, _MORE_HARM_TO_BABY_RULES
from nlu.screen._rules.intrusive import _INTRUSIVE_RULES, _MORE_INTRUSIVE_RULES
from nlu.screen._rules.overdose import _MORE_OVERDOSE_RULES, _OVERDOSE_RULES
from nlu.screen._rules.psychosis import _MORE_PSYCHOSIS_RULES, _PSYCHOSIS_RULES, _mania
from nlu.screen._rules.self_harm import _MORE_SELF_HARM_RULES, _SELF_HARM_RULES
from nlu.screen._rules.suicidal import _MORE_SUICIDAL_RULES, _SUICIDAL_RULES
from nlu.screen._rules.wider import _WIDER_RULES
from nlu.screen._verdict import _HOPELESS
from nlu.screen._vocabulary import _CONTEXT_ACT, _SUBJECT, _THIRD_PARTY_ANCHOR

_NEGATOR = re.compile(
    r"\b(?:not|never|no longer|nor|no way|no|asked (?:me )?(?:if|whether|about))\b(?! (?:sure|know|knowing|even|stop|"
    r"help|just|only|always|certain|that|anymore|really sure|want to lie|gonna lie|going to lie|one|able|longer|"
    r"matter|idea|wonder|doubt|point|reason|future|hope|way out|more|energy|sleep|longer))"
)
# Where a negation's reach ends: a new clause, a contrast, or an added afterthought.
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n,]|\b(?:but|though|although|however|except|yet|and|so|because|then|just|only|still|even so|anyway|"
    r"honestly|sometimes|other times|some days|if)\b"
)
_QUESTION_OPENER = re.compile(
    r"^(?:hi |hello |hiya |hey |please |sorry |quick question |can i ask |just wondering )*(?:what|whats|how|where|"
    r"when|who|which|why|is there|are there|are|can you|could you|do you|does|do|tell me|any|info|information|"
    r"signs|symptoms|difference|define|explain|is|can|should|would|will|i want to know|i would like to know|i was "
    r"wondering|i wondered|looking for|need info|leaflets?|resources)\b"
)
# First-person frames that only ask; they do not disclose anything about her.
_ASKING_FRAMES = re.compile(
    r"\b(?:how (?:do|can|could|would|should|will) i (?!stop|cope|deal|manage|handle|get rid|control|tell)|(?:can|"
    r"could|should|do|would|will) i (?!stop|cope|deal|manage|handle|get rid|control|tell|ever)|i (?:can|could) (?!not)|"
    r"(?:gave|give|given|sent|showed) me (?:a|the|some) (?:leaflet|poster|number|card|info|information|link)|my "
    r"(?:gp|midwife|hv|health visitor|doctor|nurse|baby group|group)|near me|for me|(?:help|show|give|send) "
    r"me|where (?:do|can|could|should) i|who (?:do|can|should) i|if i am (?:worried|concerned) about|"
    r"(?:know|tell) if i (?:have|am|might)|if i "
    r"(?:think|suspect) (?:someone|a friend|my friend|a mum)|what (?:do|can|should)"
    r" i|i (?:want|would like|need) to (?:know|find out|understand|learn|read)|i was wondering|i wondered|i am "
    r"(?:looking|trying to find|asking|curious|interested|reading|writing|studying|a student)|help me (?:understand|"
    r"find)|my (?:midwife|hv|health visitor|gp|doctor|nurse|friend|mum) (?:said|mentioned|told me|talked)|i (?:read|"
    r"heard|saw) (?:about|that|an|a|something|on)|i (?:keep )?(?:hearing|reading) about|tell me|(?:give|send|"
    r"show) me)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|myself|mine)\b")
# Questions of the form "is it normal to ..." are how many mothers disclose; they are never just topic questions.
_DISCLOSING_QUESTION = re.compile(
    r"\b(?:is it normal|is this normal|is that normal|does anyone else|do other (?:mums|mothers|people)|am i the "
    r"only one|anyone else (?:get|have|had)|should i be worried|am i (?:normal|a bad|going mad|crazy|mad)|is it "
    r"bad (?:that|if) i|why (?:does|is) everything|why do i (?:feel|keep|cry)|why can ?not i|will i ever)\b"
)
_LAUGHTER = re.compile(r"\blol\b")
_THIRD_PARTY_REFLEXIVE = re.compile(r"\b(?:herself|himself|themselves|themself)\b")
_ABOUT_HER = re.compile(r"\b(?:without me|than (?:with )?me|if i|when i am|once i am|myself)\b")
# "..., i just want a lie-in": the negated risk was a reassurance, not a hedge.
_REASSURANCE = re.compile(
    r"\b(?:i just (?:want|need|wanted)|just (?:tired|exhausted|knackered|want|need)|do not worry|i am (?:fine|ok|okay)"
    r"|i said no|meant it|i promise|(?:too|so) much to live for|love (?:my|them|him|her) too much)\b"
)
# Words that put a described act inside her head rather than in the room.
_THOUGHT_FRAME = re.compile(
    r"\b(?:thoughts?|images?|pictures?|mental picture|flash|flashes|imagine|imagining|picture|picturing|visuali[sz]e"
    r"|seeing myself|see myself|shows me|showing me|my (?:head|mind|brain)|what if)\b"
)
# Films, books and the news: risk words about other people's stories.
_MEDIA = re.compile(
    r"\b(?:(?:reading|read|watching|watched|listening to|finished) (?:a|the|this|that) (?:\w+ )?(?:book|novel|film|"
    r"series|show|programme|documentary|podcast|drama|play|episode|soap)|main character|the character|"
    r"in the (?:film|book|novel|programme|show|series|episode|documentary|article)|the news said|on the news|"
    r"a (?:novel|film|book|documentary|programme|podcast) about|book club|storyline|soap|turned out|turns out|(?:that|"
    r"the|this) (?:episode|advert|film)|it "
    r"was (?:just )?(?:the|my) (?:tv|radio|telly|neighbours))\b"
)
_DISCLOSURE = re.compile(r"\bi (?:feel|am|want|keep|have been|think i|cannot|do not want)\b")


@lru_cache(maxsize=1)
def _all_rules() -> tuple[_Rule, ...]:
    """Every rule, in the order they are tried."""
    return (
        *_SUICIDAL_RULES,
        *_MORE_SUICIDAL_RULES,
        *_SELF_HARM_RULES,
        *_MORE_SELF_HARM_RULES,
        *_OVERDOSE_RULES,
        *_MORE_OVERDOSE_RULES,
        *_HARM_TO_BABY_RULES,
        *_MORE_HARM_TO_BABY_RULES,
        *_INTRUSIVE_RULES,
        *_MORE_INTRUSIVE_RULES,
        *_PSYCHOSIS_RULES,
        *_MORE_PSYCHOSIS_RULES,
        *_ABUSE_RULES,
        *_MORE_ABUSE_RULES,
        *_WIDER_RULES,
        *_DISTRESS_RULES,
        *_MORE_DISTRESS_RULES,
        *_WIDER_DISTRESS_RULES,
    )


_PERSONAL_CATEGORIES = frozenset(
    {"suicidal", "self-harm", "overdose-or-injury", "psychosis-signs", "harm-to-baby", "distress", _HOPELESS}
)


def _clause_start(text: str, position: int) -> int:
    """Return where the clause containing position begins."""
    start = 0
    for brk in _CLAUSE_BREAK.finditer(text, 0, position):
        start = brk.end()
    return start


def _is_negated(text: str, start: int, words: int = 5) -> bool:
    """Whether a negator governs the phrase starting at start (same clause, within a few words)."""
    clause = text[_clause_start(text, start) : start]
    window = " ".join(clause.split()[-words:])
    return _NEGATOR.search(window) is not None


def _affirmed(pattern: re.Pattern[str], text: str) -> bool:
    """Whether pattern occurs somewhere in text without a negation in front of it."""
    return any(not _is_negated(text, match.start()) for match in pattern.finditer(text))


def _subject_is_third_party(
    text: str, start: int, matched: str, anchored: bool = False, mood: bool = False
) -> bool | None:
    """True if someone else is the subject, False if she is, None if a bare pronoun may be the baby."""
    if _THIRD_PARTY_REFLEXIVE.search(matched):
        return True
    own = _SUBJECT.match(matched)
    if (own is not None and own.group("first") is not None) or _ABOUT_HER.search(matched):
        # "i want to ..." or "... better off without me": whoever else is named, the risk is hers.
        return False
    clause = text[_clause_start(text, start) : start]
    last = _last_subject(_SUBJECT.finditer(clause), mood)
    if last is None or (last.group("baby") is not None and not mood):
        # The subject may sit before a clause break ("my sister said that if..."); look back one sentence.
        sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n")
        last = _last_subject(_SUBJECT.finditer(text, sentence_start + 1, start), mood) or last
    if last is None or last.group("first") is not None:
        return False
    if last.group("baby") is not None:
        return None
    if last.group("third") in ("she", "he", "they") and not (anchored or _THIRD_PARTY_ANCHOR.search(text)):
        # A bare "she"/"he" is usually the baby; only a named adult or reported speech makes it someone else.
        return None
    return True


def _last_subject(subjects: Iterable[re.Match[str]], mood: bool) -> re.Match[str] | None:
    """The nearest subject; the baby counts only for her mood ("the baby would be better off without her")."""
    last = None
    baby = None
    for found in subjects:
        if found.group("baby") is not None:
            baby = found
            if mood:
                last = found
            continue
        last = found
    return last if last is not None else baby


def _is_topic_question(text: str) -> bool:
    """Whether the message asks about a topic rather than telling us about herself."""
    if _DISCLOSING_QUESTION.search(text):
        return False
    if not (_QUESTION_OPENER.search(text) or text.rstrip().endswith("?")):
        return False
    return _FIRST_PERSON.search(_ASKING_FRAMES.sub(" ", text)) is None


def _match_rules(text: str, anchored: bool = False) -> set[str]:
    """Return the raw categories (including the internal hopeless marker) that fire on normalised text."""
    found: set[str] = set()
    topic_question: bool | None = None
    reassured = _REASSURANCE.search(text) is not None
    thoughtful = _THOUGHT_FRAME.search(text) is not None
    if _MEDIA.search(text) and not _DISCLOSURE.search(text):
        return found
    for rule in _all_rules():
        for match in rule.pattern.finditer(text):
            # Rules that first look over the whole message mark where the phrase itself starts with (?P<k>).
            start = match.start("k") if "k" in rule.pattern.groupindex else match.start()
            if rule.topic:
                if topic_question is None:
                    topic_question = _is_topic_question(text)
                if topic_question:
                    break
            if _is_negated(text, start, rule.negation_window):
                # "i'm not going to kill myself" still says something; "..., i just want a lie-in" does not.
                if rule.if_negated is not None and not reassured:
                    found.add(rule.if_negated)
                continue
            if rule.unless_thought and thoughtful:
                found.add("intrusive-thoughts")
                break
            categories = rule.category.split("+")
            if rule.subject_sensitive and categories[0] in _PERSONAL_CATEGORIES:
                mood = categories[0] in (_HOPELESS, "distress")
                third = _subject_is_third_party(text, start, text[start : match.end()], anchored, mood)
                if third is None and categories[0] != "psychosis-signs":
                    continue
                if third and categories[0] in (_HOPELESS, "distress"):
                    # Someone else's low mood is not her risk, and not a third-party emergency either.
                    continue
                if third:
                    found.add("third-party")
                elif rule.third_only:
                    continue
            found.update(categories)
            break
    return found


@lru_cache(maxsize=4096)
def _prepared(text: str) -> str:
    """Normalised text with figures of speech blanked (cached: history turns are read again every turn)."""
    return _blank_figures(normalise(text))


@lru_cache(maxsize=4096)
def _screen_text(text: str) -> frozenset[str]:
    """Raw categories for one message on its own."""
    prepared = _prepared(text)
    found = _match_rules(prepared)
    if _mania(prepared):
        found.add("psychosis-signs")
    if found == {"distress"} and _LAUGHTER.search(prepared):
        # Mild moans with a laugh ("going mad with this pram lol") are banter; hopelessness with a laugh is not.
        found.discard("distress")
    if "intrusive-thoughts" in found and _affirmed(_CONTEXT_ACT, prepared):
        # Fear or urge of acting on the thoughts moves them from intrusive to harm-to-baby.
        found.add("harm-to-baby")
    return frozenset(found)
