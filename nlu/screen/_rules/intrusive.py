"""Intrusive-thought rules: unwanted, frightening thoughts or images of the baby coming to harm.

_INTRUSIVE_RULES are the direct phrasings, _MORE_INTRUSIVE_RULES the indirect ones. For this category a negator
counts only within two words before the phrase (the thoughts are there even when she "would never").
"""

from __future__ import annotations

from nlu.screen._rule import _Rule, _rule
from nlu.screen._vocabulary import _BABY_OR_PRONOUN, _FEAR, _HARM_SOFT, _HARM_STRONG

_ACCIDENT = (
    r"(?:drop|dropping|dropped|fall|falling|fell|roll off|rolling off|trip|tripping|forget (?:him|her|them)|"
    r"leave (?:him|her|them) in the car|slip|slipping)(?! asleep| off to sleep)"
)

_THOUGHT = r"(?:thoughts?|images?|pictures?|visions?|flashes|scenarios|intrusions)"
_SCARY = (
    r"(?:scary|horrible|awful|intrusive|terrible|disturbing|frightening|weird|unwanted|sick|evil|violent|graphic|"
    r"horrific|vile|twisted|strange|upsetting|gruesome|morbid|messed up|mad|bad|nasty|dreadful|shocking|"
    r"terrifying|creepy|unwelcome|obsessive|crazy|disgusting|harmful|worst)"
)
_HARM_EVENT = (
    r"(?:(?:being|getting|get|got|be) (?:hurt|harmed|killed|stabbed|crushed|burned|burnt|drowned|smothered|"
    r"hit|run over|injured|snatched|attacked|dropped)|drowning|drown|drowned|dying|die|died|dead|"
    r"(?:falling|fall|fell)(?! asleep| off to sleep)|hurt|hurting|stabbing|stab|smothering|suffocating|crushing|"
    r"stopping breathing|stop breathing|not breathing|choking|burning|hit by|in a coffin|in a car crash|cot death|"
    r"(?:something|things|stuff) (?:bad|awful|terrible|horrible) (?:happening|happen|happens)|harm coming|slipping "
    r"under|going under|under the water|(?:rolling|running|falling|going) into (?:the )?(?:road|traffic|water|river|"
    r"canal)|(?:drop|throw|threw|shak|shook|hurt|harm|kill|stab|drown|smother|suffocat|squeez|push|microwav|burn)"
    rf"\w* {_BABY_OR_PRONOUN})"
)
_THINKING = (
    rf"(?:{_THOUGHT}|imagining|imagine|picturing|picture|visuali[sz]ing|keep seeing|keep thinking|cannot stop "
    r"thinking|can not stop thinking|thinking about|thought about|dreams?|dreaming|daydreaming|obsessing)"
)

_INTRUSIVE_RULES: tuple[_Rule, ...] = (
    _rule(
        "intrusive-thoughts",
        r"\bintrusive (?:thoughts?|images?|pictures?)\b|\b(?:perinatal |postnatal )?ocd\b",
        topic=True,
    ),
    _rule(
        "intrusive-thoughts",
        rf"\b{_SCARY} {_THOUGHT}\b(?! about (?:myself|me|dying|death|suicide|ending|killing myself|not))",
        topic=True,
    ),
    _rule("intrusive-thoughts", rf"\b{_THINKING}(?: \w+){{0,5}} {_HARM_EVENT}\b", topic=True),
    _rule(
        "intrusive-thoughts",
        rf"\bwhat if i (?:\w+ ){{0,2}}(?:{_HARM_SOFT}|{_HARM_STRONG}|{_ACCIDENT}|lose control|snap|do something|"
        r"put (?:him|her|them|the baby)|leave (?:him|her|them|the baby))\b",
    ),
    _rule(
        "intrusive-thoughts",
        rf"\b{_FEAR} (?:that )?i (?:will|might|could|would|am going to|may) (?:\w+ )?{_ACCIDENT}\b",
    ),
    _rule(
        "intrusive-thoughts",
        r"(?s)^(?=.*\b(?:baby|him|her|them|hurt|harm|knife|knives|stairs|drop|drown|die|dead|scary|horrible|awful|bad|"
        r"scared|frighten|terrif|sick|evil)).*?(?P<k>)"
        r"\b(?:pictures?|images?|thoughts?|things|stuff|videos?|scenes?|flashes|movies?)(?: \w+){0,2} (?:in|inside|"
        r"pop into|pops into|popping into|popped into|flash into|flashing into|flash through|flashing through|run "
        r"through|running through|come into|coming into|keep coming into|stuck in|going round|go round|going "
        r"through|playing in|play in) my (?:head|mind|brain)\b",
    ),
    _rule(
        "intrusive-thoughts",
        r"(?s)^(?=.*\b(?:never|would not|could not|do not want|love (?:him|her|them|my baby)|act on|hurt|harm)\b)"
        r".*?(?P<k>)\b(?:these|the|those|such|my|horrible|having|getting) (?:thoughts|images|pictures|flashes)\b",
    ),
    _rule(
        "intrusive-thoughts",
        rf"\b(?:thoughts?|images?|pictures?|thinking|ideas?|feeling|urge) (?:of|about|that) (?:me |i |myself )?"
        rf"(?:\w+ )?(?:{_HARM_SOFT}|{_HARM_STRONG}|{_ACCIDENT})\w* {_BABY_OR_PRONOUN}\b",
    ),
)

_MORE_INTRUSIVE_RULES: tuple[_Rule, ...] = (
    _rule(
        "intrusive-thoughts",
        r"(?s)^(?=.*\b(?:baby|him|her|water|oven|stairs|knife|knives|balcony|window|road|"
        r"throat|mouth|neck|letting go|drown|smother|hurt|stab|die|dying|dead)\b).*?(?P<k>)\b(?:flash|flashes|thought|"
        r"thoughts|image|images|picture|pictures|vision|visions|mental picture|mental image|idea)(?: \w+){0,2} "
        r"(?:of|about) (?:\w+ ){0,3}\w+ing\b",
        topic=True,
    ),
    _rule(
        "intrusive-thoughts",
        r"\b(?:brain|mind|head)\b(?: \w+){0,2} (?:shows|showing|show|says|saying|tells|"
        r"telling|keeps going|goes|plays|playing|keeps throwing)\b(?! (?:me to|i should|to))|\bfrightened of my "
        r"own (?:head|mind|brain|thoughts)\b",
    ),
    _rule(
        "intrusive-thoughts",
        rf"\b{_SCARY} (?:\w+ )?{_THOUGHT}\b(?=.*\b(?:baby|him|her|son|daughter)\b)|"
        r"\bsexual (?:thoughts|images|pictures) (?:about|of)\b",
        topic=True,
    ),
    _rule("intrusive-thoughts", r"\bwhat if you (?:just )?(?:drop|throw|threw|hurt|drown|smother|shake|stab)\w*\b"),
    _rule(
        "intrusive-thoughts",
        r"\bbecause of (?:the|these|my|what (?:my|the)) (?:thoughts|images|pictures|head|"
        r"brain|mind)\b|\b(?:cannot|can not|do not) trust (?:the|my) (?:pictures|images|thoughts|head|brain)\b",
    ),
    _rule("intrusive-thoughts", r"\b(?:see|seeing|picture|picturing|imagine|imagining) myself (?:\w+ing)\b"),
    _rule(
        "intrusive-thoughts",
        r"\b(?:keep|keeps|cannot stop|can not stop) (?:seeing|imagining|picturing|thinking "
        r"about) (?:\w+ ){0,3}(?:slipping|going|rolling|falling|sinking) (?:under|into|down|off|out)\b",
    ),
)
