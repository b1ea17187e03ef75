"""Harm-to-baby rules: urges, fear of acting and acts of harm towards the baby.

_HARM_TO_BABY_RULES are the direct phrasings, _MORE_HARM_TO_BABY_RULES the indirect ones (acts described calmly, such
as a hand over his mouth or a pillow by the cot, leaving the baby alone, beliefs that something must be got out of
him). The harm verbs and urge frames they share with other categories live in _vocabulary.
"""

from __future__ import annotations

from nlu.screen._rule import _Rule, _rule
from nlu.screen._vocabulary import _BABY, _BABY_OR_PRONOUN, _FEAR, _HARM_OBJECT, _HARM_SOFT, _HARM_STRONG, _URGE_FRAME

_FEAR_FRAME = rf"(?:{_FEAR} (?:that )?i (?:will|might|would|could|am going to|may)|{_FEAR} of)"
_NOT_ACCIDENT = r"(?! (?:by accident|accidentally|when i cut|cutting|nails|while cutting|in the bath|changing))"

_HARM_TO_BABY_RULES: tuple[_Rule, ...] = (
    _rule(
        "harm-to-baby",
        rf"\bi(?: \w+){{0,4}}? {_URGE_FRAME} (?:to )?(?:actually |just |really |end up |lose it "
        rf"and |snap and )?{_HARM_OBJECT}\b{_NOT_ACCIDENT}",
    ),
    _rule(
        "harm-to-baby",
        rf"\b{_FEAR_FRAME} (?:actually |really |accidentally on purpose )?"
        rf"(?:{_HARM_OBJECT}|{_HARM_SOFT}ing {_BABY_OR_PRONOUN}|{_HARM_STRONG}ing {_BABY})\b{_NOT_ACCIDENT}",
    ),
    _rule(
        "harm-to-baby",
        rf"(?<!\bif )(?<!\bwhen )\bi (?:just |nearly |almost |actually )?(?:shook|hit|slapped|smacked|threw|"
        rf"smothered|suffocated|strangled|throttled|choked|stabbed|drowned|kicked|"
        rf"squeezed|punched|pinched|bit|shoved|pushed|grabbed|covered (?:his|her) (?:face|mouth)) "
        rf"{_BABY_OR_PRONOUN}\b(?! (?:gently|awake|to wake|softly|playfully|back|up|over|on|into|in))",
    ),
    _rule(
        "harm-to-baby",
        rf"\b(?:do not|cannot|can not) trust myself (?:with|around|near|alone with|not to) "
        rf"(?:{_BABY_OR_PRONOUN}|hurt|harm|do)\b|\b{_FEAR} (?:to be|of being) (?:left )?alone with "
        rf"{_BABY_OR_PRONOUN}\b|\b(?:lose|losing|lost) control and (?:hurt|harm|do something|shake)\w*\b",
    ),
    _rule(
        "harm-to-baby",
        rf"\bi(?: \w+){{0,3}}? (?:want|wants|feel like|felt like|tempted|urge|going) to (?:leave|"
        rf"put|throw|abandon|dump) {_BABY_OR_PRONOUN} (?:outside|on (?:a|someone s|the) doorstep|in the "
        rf"(?:car|bin|street|woods|river)|somewhere|at the hospital|out the window|out of the window|and run)\b|"
        rf"\bi (?:just )?(?:left|leave) {_BABY_OR_PRONOUN} (?:alone )?(?:in the bath|in the car|home alone|alone "
        rf"in the house|on (?:his|her) own (?:in the house|and went)|outside and)\b",
    ),
    _rule("harm-to-baby", rf"\b(?:was|been|am|got) (?:too )?rough with {_BABY_OR_PRONOUN}\b"),
    _rule(
        "harm-to-baby",
        rf"\bi (?:\w+ )?(?:want|wish|need) (?:{_BABY}|him|her) (?:to )?(?:die|be dead|"
        rf"stop breathing|not wake up)\b|\bwish (?:he|she|the baby) (?:was|were) (?:dead|never born)\b",
    ),
)

_MORE_HARM_TO_BABY_RULES: tuple[_Rule, ...] = (
    _rule(
        "harm-to-baby",
        r"\b(?:put|held|hold|pressed|press|had|put my|holding)(?!.*\b(?:to (?:support|steady|hold up|wash|clean|"
        r"dry|wipe|check|feel)|supporting|support (?:his|her) head|for support|while (?:washing|bathing|winding))\b)"
        r" (?:my )?(?:hand|hands|a pillow|the"
        r" pillow|a blanket|a cushion)\b(?: \w+){0,2} (?:over|on|round|around) (?:his|her|their|the baby) "
        r"(?:mouth|face|nose|neck|throat)\b|\b(?:hands?|fingers?) (?:were |was |are |is )?(?:round|around|on) "
        r"(?:his|her|the baby) (?:neck|throat|mouth|face)\b(?!.*\b(?:to (?:support|steady|hold up|wash|clean|dry|"
        r"wipe|check|feel)|supporting|support (?:his|her) head|for support|while (?:washing|bathing|winding))\b)",
        unless_thought=True,
    ),
    _rule(
        "harm-to-baby",
        r"\b(?:pillow|cushion)\b(?: \w+){0,10} (?:standing over|over (?:his|her|the baby) "
        r"(?:face|head|mouth)|moses basket|the cot|crib)\b",
        unless_thought=True,
    ),
    _rule(
        "harm-to-baby",
        r"\b(?:left|leave|leaving) (?:the baby|him|her|them|my baby)\b(?: \w+){0,6} (?:and walked "
        r"out|and went out|and left the house|on (?:his|her|their) own for|alone for|for (?:half an hour|an hour|"
        r"hours|ages))\b|\bwalked out (?:and left|on) (?:the baby|him|her)\b",
    ),
    _rule(
        "harm-to-baby",
        r"\b(?:squeezed|grabbed|gripped|shook|pinched|yanked|pulled|threw|shoved|pushed|slapped|"
        r"smacked|hit|bounced|jiggled|put|dropped)\b (?:\w+ ){0,5}(?:too hard|so hard|really hard|hard enough|too "
        r"rough|too roughly)\b(?=.*\b(?:baby|him|her|his|weeks|months|cot|bouncer|crying|cries|head)\b)",
        unless_thought=True,
    ),
    _rule(
        "harm-to-baby",
        r"\b(?:slapped|smacked|hit|pinched|squeezed|shook|bit|grabbed|flicked) (?:his|her|the baby) "
        r"(?:leg|legs|arm|arms|hand|hands|face|head|bum|bottom|cheek|neck|foot|feet)\b",
        unless_thought=True,
    ),
    _rule(
        "harm-to-baby",
        rf"\b(?:urge|urges|tempted|want|wanting) to (?:drop|throw|let go of|shake) "
        rf"{_BABY_OR_PRONOUN}\b",
    ),
    _rule(
        "harm-to-baby",
        rf"\b(?:part of me|bit of me|something in me|i) (?:really )?(?:wants|want) to "
        rf"(?:{_HARM_OBJECT})\b",
    ),
    _rule(
        "harm-to-baby",
        rf"\b(?:normal|okay|ok|bad|wrong) to (?:want|feel like|feel the urge|have the urge) to "
        rf"(?:{_HARM_OBJECT})\b|\bgot (?:really |so )?close to (?:shaking|hurting|hitting|doing it|doing "
        r"something)\b|\bgetting closer every (?:night|day)\b",
    ),
    _rule(
        "harm-to-baby",
        r"\b(?:not|have not|never) (?:\w+ )?(?:hurt|harmed|shaken|shook|hit|done anything to|"
        r"touched) (?:him|her|them|the baby) yet\b",
    ),
    _rule(
        "harm-to-baby",
        rf"\bstop myself (?:from )?(?:{_HARM_OBJECT}|hurting|harming|shaking)\b|\b(?:cannot|can not"
        rf"|should not) be trusted (?:with|around|near) {_BABY_OR_PRONOUN}\b|\blash(?:ing)? out (?:at|on) "
        rf"{_BABY_OR_PRONOUN}\b",
    ),
    _rule(
        "harm-to-baby",
        rf"\b(?:scared|afraid|frightened|terrified|worried|petrified) (?:of )?what i (?:will|might|"
        rf"could|would|am going to) do(?: to)? {_BABY_OR_PRONOUN}\b|\b(?:take|come and get|have) {_BABY_OR_PRONOUN}"
        r"\b(?: \w+){0,3} before i (?:do something|hurt|lose it|snap|do anything)\b|\bdo something i (?:cannot|can "
        r"not|will not be able to|could not) (?:take back|undo)\b(?=.*\b(?:baby|him|her|them)\b)",
    ),
    _rule(
        "harm-to-baby",
        r"(?s)^(?=.*\b(?:baby|him|her|them)\b).*?(?P<k>)\b(?:do something i (?:cannot|can not|will not be "
        r"able to|could not) (?:take back|undo)|lose it with (?:him|her|the baby))\b",
    ),
    _rule(
        "harm-to-baby",
        r"\b(?:nearly|almost) (?:did|done|do) something (?:to|with) (?:him|her|them|the baby)\b|"
        r"\b(?:did not|have not|not) (?:fed|feed|changed|change|picked up) (?:him|her|the baby)(?: \w+){0,3} "
        r"(?:all day|all afternoon|all morning|all night|for hours|since)\b",
    ),
    _rule(
        "harm-to-baby",
        rf"\b(?:{_FEAR}) (?:that )?(?:she|he) (?:will|might|could|would|is going to) (?:{_HARM_SOFT}|"
        rf"{_HARM_STRONG}) (?:her|his|the) (?:baby|son|daughter|kids|children)\b",
    ),
    _rule(
        "harm-to-baby+psychosis-signs",
        rf"\b(?:voices?|god|the devil|they|it|something) (?:\w+ )?(?:telling|tell|"
        rf"tells|told) (?:me|her|him) to (?:{_HARM_SOFT}|{_HARM_STRONG}|get rid of|do something to|do things to|"
        rf"do with) ?{_BABY_OR_PRONOUN}?\b|"
        rf"\b(?:tell|tells|telling|told) me what to do (?:to|with) {_BABY_OR_PRONOUN}\b|"
        rf"\bget (?:it|the devil|the evil|the demon) out of (?:him|her|the baby)\b",
    ),
)
