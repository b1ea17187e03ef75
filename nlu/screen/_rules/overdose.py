"""Overdose-or-injury rules: something already taken or done (tablets swallowed, an injury that will not stop).

_OVERDOSE_RULES are the direct phrasings, _MORE_OVERDOSE_RULES the indirect ones ("taken something" and feeling
strange, someone else's tablets swallowed, more than she should, a crash on purpose).
"""

from __future__ import annotations

from nlu.screen._rule import _Rule, _rule
from nlu.screen._vocabulary import _DRUGS, _QUANTITY

_OVERDOSE_RULES: tuple[_Rule, ...] = (
    _rule(
        "overdose-or-injury",
        r"\b(?:overdosed|overdosing|taken an overdose|took an overdose|had an overdose|"
        r"done an overdose|did an overdose|have overdose)\b",
        if_negated=None,
    ),
    _rule(
        "overdose-or-injury",
        rf"\b(?:taken|took|swallowed|had|necked|downed|eaten|ate|take|just took|have "
        rf"taken) (?:\w+ )?{_QUANTITY} (?:of )?(?:my |the |her |his |our |baby s |these |those |them )?"
        rf"(?:\w+ )?(?:{_DRUGS}|pills|them|it|bottle|box|packet|pack|strip)\b(?! of (?!(?:{_DRUGS}|pills|them|my "
        rf"\w+)\b))",
    ),
    _rule(
        "overdose-or-injury",
        rf"\b(?:taken|took|swallowed|necked|downed) (?:\w+ )?{_DRUGS} (?:and|with) "
        r"(?:a |some |loads of |half a |a whole |the )?(?:bottle|vodka|wine|gin|whisky|alcohol|drink|booze)\b|"
        rf"\b(?:taken|took|swallowed) (?:them|it) all\b|\b(?:taken|took|swallowed) (?:everything|every pill|"
        rf"every tablet) (?:i|in|from)\b",
    ),
    _rule(
        "overdose-or-injury",
        r"\b(?:drank|drunk|swallowed|drinking|took) (?:some |a bottle of |the )?(?:bleach|"
        r"antifreeze|weed killer|weedkiller|poison|dettol|cleaning stuff)\b",
    ),
    _rule(
        "overdose-or-injury",
        r"\b(?:cut|slashed|stabbed|burnt|burned|hurt|cuts|wound|wounds) (?:myself|my "
        r"(?:wrists?|arms?|legs?|thighs?)|is|are)?(?: \w+){0,3} (?:too deep|really deep|very deep|deep|badly|so "
        r"bad|bleeding|will not stop bleeding|blood everywhere|a lot of blood|needs? stitches|gaping)\b",
    ),
    _rule(
        "overdose-or-injury",
        r"(?s)^(?!.*\b(?:trimmed nails|nails?|nosebleed|nose|period|tooth|gums|lip|birth|c section|section|nipples?)\b)"
        r".*?(?P<k>)\b(?:bleeding|blood) (?:will not stop|won t stop|a lot|everywhere|loads|is not "
        r"stopping|keeps coming)\b|\bcannot stop the bleeding\b|\bso much blood\b",
    ),
    _rule(
        "overdose-or-injury",
        r"\b(?:i have|i|have|just|already) (?:done|did) something (?:stupid|silly|bad|"
        r"terrible|really bad|to myself|i should not have)\b(?!.* (?:at work|to the car|with the|in the "
        r"kitchen|with my hair|online|shopping))",
    ),
)

_MORE_OVERDOSE_RULES: tuple[_Rule, ...] = (
    _rule(
        "overdose-or-injury",
        r"\b(?:taken|took|had|swallowed|necked) (?:something|some \w+|stuff|a load|loads|some"
        r" of)(?: \w+){0,6} (?:feel|feeling|felt|going|heart|everything)(?: \w+){0,2} (?:weird|funny|dizzy|sick|"
        r"strange|drowsy|sleepy|fuzzy|racing|numb|odd|faint|wobbly|spinning|blurry)\b|\b(?:feel|feeling) "
        r"(?:\w+ )?(?:weird|funny|dizzy|sick|strange|odd) after (?:what|the stuff|the pills|the tablets|everything) i "
        r"(?:took|have taken|had|swallowed)\b",
    ),
    _rule(
        "overdose-or-injury",
        rf"\b(?:swallowed|necked|downed) (?:the|my|his|her|all the|all my|a|some) "
        rf"(?:\w+ )?(?:{_DRUGS}|pills)\b|\b(?:took|taken|had) (?:some|loads|a load|a handful) of (?:his|her|my "
        rf"mum s|my partner s|someone s|the|their) (?:{_DRUGS}|pills)\b",
    ),
    _rule(
        "overdose-or-injury",
        rf"\b(?:had|taken|took)\b(?: \w+){{0,5}} (?:all|a whole|the whole) (?:of )?(?:my |the "
        rf")?(?:{_DRUGS}|pills)\b|\b(?:extra|more|double|triple)\b(?: \w+){{0,3}} (?:of )?(?:my |the )?"
        rf"(?:{_DRUGS}|pills|everything)\b(?: \w+){{0,4}} (?:than i should|than i am (?:meant|supposed)|than "
        r"prescribed|to knock myself out|to sleep forever)|\bknock myself out\b",
    ),
    _rule("overdose-or-injury+suicidal", r"\b(?:drove|drive|crashed|crash|steered) (?:\w+ ){0,4}on purpose\b"),
)
