"""Psychosis-signs rules: hallucinations, strange beliefs, and sleepless elation (mania).

_PSYCHOSIS_RULES are the direct phrasings, _MORE_PSYCHOSIS_RULES the indirect ones; _mania() reads no sleep for
days together with elation, an early sign of postpartum psychosis.
"""

from __future__ import annotations

import re

from nlu.screen._rule import _Rule, _rule
from nlu.screen._vocabulary import _BABY, _BABY_NOUN

_PSYCHOSIS_RULES: tuple[_Rule, ...] = (
    _rule(
        "psychosis-signs",
        r"\b(?:hear|hearing|heard|hears)(?!.*\b(?:it is|it was|turned out|turns out|just) (?:just )?(?:the|my) "
        r"(?:kids|children|neighbours|tv|telly|radio|baby monitor|monitor)\b)"
        r" (?:voices|a voice|someone talking|people talking|things that are not "
        r"there|things no one else|god|whispers|whispering|music that is not)\b|\bvoices? (?:in my head|telling|"
        r"tell|tells|told|talking to|keep|keeps|say|says|said|are back|came back)\b",
    ),
    _rule(
        "psychosis-signs",
        r"(?s)^(?!.*\b(?:next door|neighbours|radio|tv|telly|downstairs|picking up|lost my|singing)\b)"
        r".*?(?P<k>)\bvoices\b(?! of (?:the )?(?:other|mums|kids|children|people|my (?:kids|friends)|reason))",
        topic=True,
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:see|seeing|saw|sees) (?:things|people|shadows|faces|figures|someone|bugs|insects|spiders|a man|"
        r"a woman|a figure|blood|snakes)(?: \w+){0,5} (?:that are not|that were not|who are not|which are not|no "
        r"one else|nobody else|not really|that is not|that was not) (?:there|real|can see|sees)\b|\bthings that "
        r"(?:are not|were not|is not) (?:there|real)\b",
    ),
    _rule(
        "psychosis-signs",
        rf"\b(?:{_BABY}|he|she|him|her|it) (?:is|was|has been|got|is not|looks|feels) (?:not (?:mine|my baby|"
        r"my real baby|really mine|really my baby|my son|my daughter|human|real|the same baby)|swapped|switched|"
        r"replaced|possessed|evil|the devil|an imposter|an impostor|a changeling|a robot|an alien|a demon|the "
        r"antichrist|the messiah|the chosen one|chosen|sent (?:by|from)|being controlled|controlled|a fake|"
        r"pretending)\b",
    ),
    _rule(
        "psychosis-signs",
        rf"\b(?:someone|they|the hospital|the nurses|the midwives|somebody|people) (?:\w+ )?(?:swapped|switched|"
        rf"replaced|stole|changed) (?:my|the|our) {_BABY_NOUN}\b|\bnot (?:my|the) (?:real|actual|same) {_BABY_NOUN}\b|"
        rf"\b(?:someone|they|the hospital|the nurses|the midwives|somebody|people) (?:\w+ )?(?:swapped|switched|"
        rf"replaced|stole) (?:him|her|them)\b(?= (?:at|in|for|with|when|while|after)\b)|\b(?:that|this|it|he|she) "
        rf"(?:is not|isnt|was not) (?:my|our) (?:real |actual |own )?(?:{_BABY_NOUN})?(?=[.,!?]|$| (?:they|she|he|it|"
        rf"someone|i know|any ?more|anymore)\b)",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:they|people|the neighbours|neighbours|someone|the government|the nurses|the midwives|the health "
        r"visitor|the police|everyone|my family|mi5|the doctors|social services|strangers) (?:are|is|have been|keep|"
        r"keeps) (?:\w+ )?(?:watching me|watching us|following me|following us|spying on|listening to (?:me|us|my)|"
        r"poisoning|plotting|tracking|reading my mind|reading my thoughts|controlling my|putting thoughts|out to "
        r"get|after me|trying to (?:poison|kill|harm|hurt|control))\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:cameras|microphones|a chip|chips|tracker|implant|wires) (?:in|inside) (?:my|the|our) (?:head|"
        r"house|walls|baby|brain|teeth|phone|tv)\b|\b(?:messages|signs|codes|secret messages) (?:from|in|on|through) "
        r"(?:the )?(?:tv|telly|radio|numbers|number plates|god|the universe|the stars|adverts|songs)\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:god|the devil|satan|angels?|demons?|spirits?|the universe|jesus) (?:is |are |has |have |keeps? )?"
        r"(?:speaking|talking|told|tells|telling|sent|sending|chose|chosen|speaks|talks) (?:to )?me\b|\b(?:i have|"
        r"i got|i have got|i have been given) (?:special|super|magic|healing) powers\b|\bi am (?:the messiah|"
        r"chosen|god|jesus|the chosen one|on a mission|immortal|invincible)\b|\bspecial (?:mission|purpose) from\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:do not|cannot|can not|could not) (?:know|tell|work out) (?:what is|whats|if anything is|if this "
        r"is|if i am|what is) (?:real|really happening|dreaming|awake)\b|\b(?:confused|do not know) (?:about )?"
        r"(?:where i am|who i am|what day it is|who my baby is|who people are)\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:postpartum|postnatal|puerperal|post partum) psychosis\b|\bpsychosis\b|\bpsychotic\b|"
        r"\bhallucinat\w*\b|\bdelusions\b",
        topic=True,
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:mind|thoughts|brain) (?:is |are )?(?:racing|going a million miles|on fire|going so fast)\b(?=.*\b"
        r"(?:not slept|no sleep|slept|sleep|days|energy|amazing|brilliant)\b)|\b(?:do not|dont) need (?:to )?sleep\b",
    ),
)

_MANIA_SLEEPLESS = re.compile(
    r"\b(?:not|no|barely|hardly|never|zero|0) (?:\w+ ){0,2}(?:slept|sleep|sleeping|shut ?eye)(?: \w+){0,3} "
    r"(?:in|for) (?:days|\d+ days|two|three|four|five|several|a few|a couple of|over \d+|72|48|\d+ nights|nights)"
    r"|\b(?:days|\d+ days|\d+ nights|three nights|four nights) (?:without|with no|and no) (?:sleep|sleeping)"
    r"|\b(?:been )?awake for (?:days|\d+ days|\d+ hours|two days|three days|four days|72 hours)"
    r"|\b(?:not|have not|no|barely|hardly) (?:\w+ )?slept (?:since|for) (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|last week|the weekend|days|\d+ days|a week)"
    r"|\bup (?:for )?(?:\d+|two|three|four|five|several) (?:nights|days)(?! (?:in a row )?with (?:the baby|him|her))"
)
_MANIA_ELATED = re.compile(
    r"\b(?:elated|buzzing|wired|amazing|incredible|invincible|on top of the world|euphoric|racing|so much energy|"
    r"full of energy|loads of energy|high|powers|genius|best i have ever|never felt better|brilliant ideas?|"
    r"never felt (?:so|more) (?:alive|awake|good|clear|creative|powerful)|so alive|so creative|so productive|"
    r"writing a book|big plans|so many ideas|redesign\w*|"
    r"mission|unstoppable|superhuman|do not need sleep|not even tired|not tired|special|enlightened|"
    r"so clear|everything makes sense|talking so fast|cannot stop talking|speeding|fizzing|electric|chosen|so fast|"
    r"keep track|miles an hour|could run the country|could do anything|take on the world|better than fine|"
    r"brilliant|fantastic|on fire|mission|sent to me|god)\b"
)

_MORE_PSYCHOSIS_RULES: tuple[_Rule, ...] = (
    _rule(
        "psychosis-signs",
        r"\b(?:tv|telly|radio|television|walls|baby monitor|monitor|adverts|number plates|"
        r"newsreader|the news)\b(?: \w+){0,2} (?:is |are |keeps |keep )?(?:talking|speaking|saying|telling|"
        r"sending)(?: \w+){0,3} (?:to me|my name|me|to her|her name)\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:see|seeing|saw|sees|hear|hearing|heard|smell|smelling)\b.*\b(?:nobody there|no one"
        r" there|nothing there|no one else (?:can|does|sees|hears|smells)|nobody else (?:can|does|sees|hears)|"
        r"(?:nobody|no one) "
        r"(?:is|was) (?:home|in|there|here))\b",
    ),
    _rule(
        "psychosis-signs",
        r"\bpoison(?:ing|ed)? (?:the baby|me|us|my|our|his|her)\b(?!.*\bfood\b)|\b(?:in on it|"
        r"all plotting|plotting (?:against|to)|conspir\w+|out to get (?:me|us|her))\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:messages|signs|codes|signals)(?: \w+){0,3} (?:in|on|from|through) (?:the )?(?:tv|"
        r"telly|radio|numbers|number plates|god|the universe|stars|adverts|songs|clothes|colours)\b|\bhidden "
        r"(?:meaning|message)s?\b|\bsecret (?:messages|meaning|code)\b|\b(?:is|are) a code\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:baby|he|she|it)\b(?: \w+){0,2} (?:talking|speaking) to me in (?:proper )?"
        r"(?:sentences|words)\b|\b(?:baby|tv|telly|radio|walls|voices?|monitor|god|devil|someone|signs|they)\b"
        r"(?: \w+){0,5} telling me (?:to|what to do|things|that i)\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:been |was |is |got |has been )?replaced by (?:someone|a|an|somebody)\b|(?s:^(?=.*\b(?:baby|"
        r"she|he|him|her|hospital)\b).*?)(?P<k>)\b(?:has been|been|was|got|is) (?:switched|swapped)\b|\bhospital "
        r"(?:swapped|switched) (?:him|her|them)\b|\b(?:is not|isnt) (?:ours|mine|really ours|really mine)\b|"
        r"\b(?:do not think|not sure|doubt) (?:this|she|he|it) is (?:really |actually )?(?:my|mine|our)\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:cameras?|microphones?|bugs|trackers?) (?:in|inside|hidden in) (?:the|my|our) "
        r"\w+\b(?=.*\b(?:watch|watching|for me|listening|spy)\w*)|\bwatching (?:how i|what i|everything i|my "
        r"every)\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:devil|demon|evil|spirit|satan)\w* (?:is )?(?:inside|in) (?:the baby|him|her|my "
        r"baby|me)\b|\b(?:something|someone) (?:is )?(?:using|inside|controlling) (?:his|her|the baby|my) "
        r"(?:voice|body|mind)\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:know|knows|can hear|can read|reading|read|hear) (?:what i am thinking|my "
        r"thoughts|my mind)\b|\bcrawling (?:under|in|on) (?:my|her|his|the baby) skin\b",
    ),
    _rule(
        "psychosis-signs",
        r"\b(?:forgetting|forget|forgot|confused about) (?:where i am|who i am|where i was)\b|"
        r"\b(?:everything|everyone) (?:looks|feels|seems) (?:fake|like a film set|staged|like a dream)\b|"
        r"\b(?:could not|cannot|can not) find my way (?:home|back)\b|\bgot lost (?:on the way home|in my own)\b",
    ),
    _rule(
        "psychosis-signs",
        r"\btalking (?:too|so|really) fast\b|\bnot making (?:any )?sense\b|\b(?:mission|message|"
        r"sign)s? from god\b|\bmeant to do something (?:big|important|special)\b|\bon a (?:special )?mission "
        r"(?:from|for) (?:god|the universe)\b|\b(?:not|never|do not) (?:even )?need (?:any |to )?sleep\b|"
        r"\bput (?:something|a chip|chips|things) in (?:me|my|the baby)\b|\bgod is (?:talking|speaking) to "
        r"(?:her|him|me)\b",
    ),
)


def _mania(text: str) -> bool:
    """No sleep for days together with elation or racing: an early sign of postpartum psychosis."""
    return bool(_MANIA_SLEEPLESS.search(text) and _MANIA_ELATED.search(text))
