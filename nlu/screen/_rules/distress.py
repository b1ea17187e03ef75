"""Distress rules: struggling without risk to life, and hopelessness (the internal _HOPELESS marker).

_DISTRESS_RULES, _MORE_DISTRESS_RULES and _WIDER_DISTRESS_RULES (the plain words of low mood the other families
leave out) are tried last, in that order.
"""

from __future__ import annotations

from nlu.screen._rule import _Rule, _rule
from nlu.screen._verdict import _HOPELESS
from nlu.screen._vocabulary import _BABY_OR_PRONOUN

_DISTRESS_RULES: tuple[_Rule, ...] = (
    _rule(
        _HOPELESS,
        r"\b(?:cannot|can not|could not|not able to|unable to) (?:cope|do this|do it anymore|take (?:it|this|any "
        r"more|anymore|much more)|handle (?:it|this|anything|anymore|life)|go on like this|carry on like this|"
        r"function|keep going|keep doing this|face (?:it|anything|today|another)|manage|get through (?:the day|"
        r"another|this|today))\b",
        topic=True,
    ),
    _rule(
        _HOPELESS,
        r"\b(?:not|no longer|barely|am not) coping\b|\bhopeless\b|\bworthless\b|\bno hope\b|\bno future\b|"
        r"\b(?:what is|whats) the point\b|\b(?:giving|give|gave) up on (?:me|myself|life|everything)\b|\bi (?:just )?"
        r"(?:want to )?give up\b(?! (?:breast|feeding|bf|formula|pumping|expressing|work|my job|smoking|dairy|on "
        r"(?:breast|feeding)))|\bi have (?:just )?had enough\b(?! of (?:this|the|that|his|her) (?!life|world)\w+)|"
        r"\bhad enough of (?:everything|this life|it all|life|"
        r"being|feeling)\b|\bi am (?:so )?done\b(?! with (?:the|this|my|that|nappies)|"
        r" for (?:the day|today|tonight|now|the night))|\bno way out\b|\bbreaking "
        r"point\b|\bend of my (?:tether|rope)\b|\brock bottom\b|\bdark(?:est)? place\b|\b(?:a|such a|just a) "
        r"burden\b|\b(?:feel|feeling|so|am) trapped\b|\bcannot see a way\b|\bno light\b|\bfalling apart\b|\bnothing "
        r"matters\b|\b(?:feel|feeling|so|am|just) (?:empty|numb)\b|\b(?:empty|numb) inside\b|\bemotionally numb\b|"
        r"\bwhy (?:bother|am i even here)\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\b(?:i am|i have been|been|am|i|really|so|still) struggl\w*\b|\bstruggling (?:so much|to cope|mentally|a "
        r"lot|with everything|with life|emotionally|with my mental)\b|\boverwhelm\w*\b(?! (?:with|by) (?:love|"
        r"how much|joy|happiness|gratitude|emotion|cuteness))|\b(?:i am|feel|feeling|so|"
        r"completely) broken\b|\bbroken inside\b|\bbreaking down\b|\bbreak down\b|\bmiserable\b|\bdepress\w*\b|"
        r"\b(?:so|really|very|constantly|always) anxious\b|\banxious all the time\b|\banxiety\b|\bpanic attacks?\b|"
        r"\bpanicking\b|\blonely\b|\bisolated\b|\b(?:all|so|completely|totally|very|feel|feeling) alone\b|\bon my own"
        r"\b(?=.*\b(?:feel|cry|crying|struggl|cope|alone|nobody|no one)\w*)|\bfailure\b(?! to thrive)|\bfailing\b|"
        r"\b(?:i am|i feel|feel|feeling|so) useless\b|\bunhappy\b|\bsad all the time\b|\bso sad\b|\bvery low\b|"
        r"\bso low\b|\bfeel(?:ing)? low\b|\blow mood\b|\bin a (?:bad|dark) way\b|\bdespair\w*\b|\b(?:feel|so|am) "
        r"desperate\b(?! for| to)|\blost myself\b|\bdo not recogni[sz]e myself\b|\bhate myself\b|\bhate my life\b|"
        r"\bhate being a (?:mum|mother)\b|\bhate (?:everything|this|it all)\b|\b(?:so|feel so|constant|eaten up "
        r"with) guilt\w*\b|\bashamed\b|\bi am drowning\b|\bdrowning\b(?! in)|\blosing my mind\b|\bgoing (?:mad|"
        r"crazy|insane)\b|\bmeltdown\b|\bsinking\b|\bspiral\w*\b|\bsuffocat\w*\b(?! (?:him|her|the baby))",
        topic=True,
    ),
    _rule(
        "distress",
        r"\b(?:crying|cry|cried|sobbing|sob|in tears|tearful|weeping|bawling)(?: \w+){0,3} (?:all (?:the time|day|"
        r"night|day long)|every (?:day|night|single day|morning|evening)|constantly|non ?stop|for (?:hours|days|"
        r"weeks)|nonstop|every time|myself to sleep|so much|uncontrollabl\w*|and cannot stop|for no reason|over "
        r"nothing|at everything)\b|\b(?:cannot|can not) stop crying\b|\bkeep crying\b|\bcry(?:ing)? myself to sleep\b",
        topic=True,
    ),
    _rule(
        "distress",
        rf"\b(?:terrible|bad|awful|rubbish|crap|shit|useless|horrible|worst|failure of a|not a good|not good "
        rf"enough|not a real|not a proper|failing as a|failure as a) (?:mum|mother|parent|wife|partner)\b|\bnot good "
        rf"enough\b|\b(?:do not|cannot|can not|never) (?:love|feel anything for|feel anything towards|bond with|"
        rf"feel love for|feel connected to|feel like a mum to|like) {_BABY_OR_PRONOUN}\b|\bnot bonding\b|\bno bond\b|"
        rf"\bnot bonded\b|\bfeel nothing\b",
        topic=True,
    ),
    _rule(
        "distress",
        rf"\b(?:regret|regretting|regrets) (?:having|becoming|ever having|getting pregnant|being a mum|being a "
        rf"mother|it all|{_BABY_OR_PRONOUN})\b|\b(?:should|should not) (?:never )?have (?:had|become) (?:a baby|him|"
        r"her|them|kids|children|a mum)\b|\bmistake having (?:a baby|him|her|them)\b|\bwant my old life back\b|"
        r"\bwish i (?:had|would) never (?:had|have)\b|"
        r"\bmistake (?:\w+ ){0,2}(?:having|becoming|to have)\b|"
        r"\bwish i (?:had not|never|did not) (?:had|have|become|got pregnant)\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\b(?:no one|nobody) (?:cares|understands|listens|helps|to talk to|gets it|checks on me|asks)\b|\b(?:want|"
        r"wants|need|needs) to (?:run away|escape|get away|walk out|disappear|hide)\b|\bwish i could (?:run away|"
        r"escape|disappear|leave|hide)\b|\bso (?:tired|sick) of (?:everything|it all|all of it|feeling like this)\b|"
        r"\bfed up (?:of|with) (?:everything|life|it all|feeling)\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\b(?:so|really|completely|utterly|totally|absolutely|beyond) (?:broken|drained|empty|lost|alone|lonely|low|"
        r"sad|miserable|overwhelmed)\b|\b(?:completely|utterly|totally|absolutely|beyond) exhausted\b|\bexhausted "
        r"(?:and|i) (?:cannot|crying|alone|struggling|broken)\b|\brunning on empty\b|\bnothing left (?:in me|to "
        r"give)\b|\bnot (?:myself|me anymore)\b|\b(?:i am|i feel|feel|feeling|i am just) not (?:okay|ok|alright|"
        r"fine)\b|\bcannot feel anything\b|\bno motivation\b|\bcannot get out of bed\b|\bcannot stop (?:worrying|"
        r"panicking)\b|\b(?:feel|feeling) (?:like )?(?:a )?(?:mess|wreck|shell|zombie|robot|ghost|failure)\b|"
        r"\bjust surviving\b|\bbarely surviving\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\b(?:postnatal|postpartum|post natal|perinatal|antenatal) (?:depression|anxiety|pnd)\b|\bpnd\b|\bbaby "
        r"blues\b|\bbirth trauma\b|\btraumatic birth\b|\bptsd\b|\bflashbacks?\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\bscream(?:ing)? into (?:a|my|the) pillow\b|\bwant to scream\b|\b(?:snapping|snapped|shouting|shouted|"
        r"screaming|screamed|yelled|yelling) at (?:the baby|my baby|him|her|everyone|my partner|partner|the kids|my "
        r"toddler)\b|\b(?:resent|resenting|resentful of) (?:the baby|my baby|him|her|them|my partner|partner)\b|"
        r"\b(?:angry|rage|raging|furious) all the time\b|\bmum rage\b",
        topic=True,
    ),
)

_MORE_DISTRESS_RULES: tuple[_Rule, ...] = (
    _rule(
        _HOPELESS,
        r"\b(?:everything|it all|it|life|this|things) (?:is|are|feels|feel|seems) (?:\w+ )?(?:too much|"
        r"2 much|unbearable|pointless)\b|\b(?:how much longer i can|much longer)\b(?=.*\b(?:cope|keep|do this|"
        r"take)\w*)|\b(?:never|not) (?:going to )?(?:get|getting) better\b|\bfeel like this forever\b|\bdo not see "
        r"(?:things|it) getting better\b|\bso over everything\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"(?<!baby )(?<!he )(?<!she )(?<!is )(?<!to )(?<!him )(?<!her )\b(?:crying|cry|cried|sobbing|"
        r"sob|sobbed|tears|tearful|weeping|bawling|in bits|in pieces|to pieces)\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\b(?:feel|feeling|so|am|just|completely|totally) (?:\w+ )?(?:empty|numb|invisible|awful|"
        r"terrible|horrible|rubbish|shit|crap|dreadful|a mess|a failure|guilty|worthless)\b|\bi am (?:such |a )?"
        r"(?:\w+ )?mess\b|\b(?:i have|i) (?:\w+ )?(?:failed|ruined)\b|\bruined my life\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\bon my knees\b|\bwits end\b|\bhead above water\b|\bgoing under\b|\btreading water\b|\bclinging "
        r"on\b|\bknackered beyond\b|\bhit a (?:brick )?wall\b|\bbreaking\b|\bgrieving\b|\bfalling to pieces\b|"
        r"\bgoing through the motions\b|\bbehind glass\b|\bon edge\b|\bcannot switch off\b|\brelivin\w*\b|\bdread"
        r"\w*\b|\bfml\b|\bcba\b|\bcannot be bothered\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\b(?:cannot|can not|could not|do not) (?:even )?(?:find the energy|face|make myself|get up|"
        r"enjoy|remember the last time i (?:laughed|smiled|felt))\b|\b(?:do not|never|have not|not) enjoy(?:ed)? "
        r"(?:anything|a "
        r"single)\b|\blost (?:all|every bit of|my) (?:\w+ )?confidence\b|\bnot (?:a person|me|myself|human) "
        r"anymore\b|\bmilk machine\b|\b(?:got|have) no one\b|\bpushed (?:all )?(?:everyone|my friends|people|all my"
        r" friends) away\b|\bnobody needs me\b|\bno one needs me\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\bsaying i am fine\b|\bnot really (?:fine|ok|okay|anything)\b|\b(?:i am|i) (?:really )?not "
        r"(?:fine|ok|okay)\b|\bnot (?:sleeping|eating)\b(?=.*\bnot (?:sleeping|eating|really)\b)|\bnever (?:should"
        r" have|have) been a mum\b|\bshould never have been a (?:mum|mother)\b|\bendless\b|\bcount(?:ing)? the "
        r"hours\b|\b(?:wake|feed) (?:\w+ )?(?:feed|cry) (?:\w+ )?repeat\b|\bno one understands\b|\bnot good enough\b"
        r"|\bnothing i do is\b|\bwhy it (?:is not|isnt) like that for me\b|\b(?:do not think|not sure|doubt) i can "
        r"(?:cope|do this|keep going|go on|carry on|manage|keep doing)\b|\b(?:not|do not) feel like (?:his|her|"
        r"their|a|the baby) (?:mum|mother)\b|\bwhy "
        r"(?:is it not|isnt it) like that for me\b|\bwhy can not i cope\b|\bwhy cannot i cope\b|\bever feel like "
        r"myself\b|\bstop feeling like\b|\bso hopeless\b|\bcannot even\b|\bproper low\b|\bfeel(?:ing)? (?:\w+ )?"
        r"low\b|\bi want my mum\b|\bi just want my mum\b|\b(?:i am|feel) (?:so |really )?(?:lonely|alone)\b",
        topic=True,
    ),
)

_WIDER_DISTRESS_RULES: tuple[_Rule, ...] = (
    _rule(_HOPELESS, r"\b(?:deserve|deserves) (?:\w+ ){0,2}better than me\b", topic=True),
    _rule(
        "distress",
        r"\b(?:not|never|have not|did not|do not think i|cannot|can not|still not|not really) (?:\w+ )?bond(?:ed|ing)?"
        r" (?:with|to)\b|\bnothing (?:makes|brings|gives) me (?:\w+ )?(?:happy|joy|happiness|pleasure|smile)\b|"
        r"\bhate (?:who|what) i (?:have )?(?:become|am)\b|\bhate the person i\b|\b(?:black|dark|grey) (?:cloud|"
        r"fog|hole|dog)\b|\b(?:exhausted|tired|knackered|drained|shattered) beyond\b|\bcannot think straight\b|"
        r"\b(?:so |feel |feeling |completely |totally )?(?:disconnected|detached|cut off) from (?:everyone|"
        r"everything|him|her|the baby|my baby|reality|the world|people|my life|myself|my friends)\b",
        topic=True,
    ),
    _rule(
        "distress",
        r"\b(?:proper|properly|massively|seriously|really|just|honestly|badly|still) struggling\b|"
        r"^(?:i am )?struggling\b(?! (?:to (?:find|get|decide|choose|work out|latch|open|fit|understand|pick)|with "
        r"(?:the |his |her )?(?:latch|pram|car seat|zip|lid|app|form|wind|buggy|straps)))",
        topic=True,
    ),
)
