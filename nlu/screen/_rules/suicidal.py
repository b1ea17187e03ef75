"""Suicidal rules: wishes to die or not to exist, plans, methods, goodbyes and "better off without me".

_SUICIDAL_RULES are the direct phrasings; _MORE_SUICIDAL_RULES the indirect ways it is written (arrangements,
absence, methods, research). Both are tried in this order, before every other category.
"""

from __future__ import annotations

from nlu.screen._rule import _Rule, _rule
from nlu.screen._vocabulary import _BABY_NOUN, _DRUGS, _REFLEXIVE, _THIRD_PARTY_NOUN

_WANT = (
    r"(?:might as well|may as well|might just as well|want|wants|wish|wishes|wishing|"
    r"ready|longing|praying|pray|prays|hope|hoping|hoped|rather|would like|"
    r"like|need|needs|desperate|tempted|planning|plan|plans|thinking of|should|"
    r"thinking about|think about|thought about|considering|decided|urge|urges)"
)
_DIE = (
    r"(?:die|died|dying|be dead|were dead|was dead|be gone|was gone|were gone|not be here|not be alive|"
    r"not exist|stop existing|never wake up|not wake up|not have woken up|not woken up|disappear forever|"
    r"disappear for good|disappear and never come back|be with (?:my )?(?:nan|grandad|dad|mum) in heaven|"
    r"fall asleep and (?:not|never) wake up|go to sleep and (?:not|never) wake up|sleep forever|"
    r"sleep and never wake up|never been born|not been born|never existed|not here|no longer be here|"
    r"cease to exist|(?:end|ending) (?:it all|it|my life|everything|things)|kill myself|take my (?:own )?life)"
)

_SUICIDAL_RULES: tuple[_Rule, ...] = (
    _rule(
        "suicidal",
        rf"\b(?:kill|killing|killed|kills|hang|hanging|hanged|drown|drowning|poison|poisoning|gas|gassing|shoot|"
        rf"shooting|stab|stabbing|starve|starving|suffocate|suffocating|smother|strangle|strangling|throw|"
        rf"throwing|end|ending) {_REFLEXIVE}\b(?! (?:if i have to|when i hear|laughing|lol))",
        if_negated="distress",
    ),
    _rule(
        "suicidal",
        r"\b(?:take|taking|took|end|ending|ended) (?:my|her|his|their) (?:own )?life\b|\bend my life\b",
        if_negated="distress",
    ),
    _rule("suicidal", r"\bsuicid(?:e|al|ality)\b|\bsuicidal (?:thoughts|feelings|ideation)\b", topic=True),
    _rule(
        "suicidal",
        rf"\b{_WANT} (?:to |i could |i would |i was |i were |i had |i |that i |if i could |for me to )?"
        rf"(?:just |simply |quietly |peacefully )?{_DIE}\b",
        if_negated="distress",
    ),
    _rule(
        "suicidal",
        r"\b(?:i )?(?:do not|did not|does not|no longer|never|dont|doesnt) (?:really |even )?(?:want|wants|wish) to "
        r"(?:be alive|"
        r"live|exist|be here|wake up|go on|carry on|keep going(?! to)|be around|be on this earth|be in this world|"
        r"do life|continue|live like this|be me)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:tired|sick|weary|exhausted) of (?:living|being alive|life|existing|being here|"
        r"waking up|breathing)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:life|living|it) (?:is|is just|feels) not worth (?:it|living)\b|\bno(?:t any)? "
        r"(?:point|reason|purpose) (?:in |to )?(?:living|being alive|being here|going on|carrying on|existing|"
        r"life|me being here|me being alive|me anymore|to live|in me|staying|waking up|keep going)\b|"
        r"\bnothing (?:left )?to live for\b(?! (?:except|apart from|but|other than|besides))|\b(?:what is|"
        r"whats) the point (?:of|in) (?:me|living|being alive|"
        r"life|going on|carrying on|waking up|being here|existing|my life)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:better|happier|easier|safer) (?:off )?(?:without me|with me gone|with me dead|if i "
        r"(?:was|were|am|was not|were not|had not been|did not|died|left|disappeared|was gone|were gone|"
        r"was dead|never|just|could|went|ended)|when i am gone|once i am gone|if i am gone|with(?:out)? me "
        r"(?:in|around|here)|off dead|dead|if i (?:was|were) not (?:here|around|alive))\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:do not|cannot|can not|could not) see (?:the|any) point (?:in|of) (?:living|life|being here|being alive|"
        r"going on|carrying on|waking up|existing)\b|\b(?:hold|holding|held|look at|looking at|staring at|stare at|"
        r"stood|standing) (?:a|the|my) (?:knife|knives|blade|razor|rope|pills|tablets|edge|bridge|tracks)\b"
        r"(?: \w+){0,4} (?:think|thinking|wonder|wondering|imagine)\b",
    ),
    _rule(
        "suicidal",
        rf"\bhow (?:many|much) (?:of )?(?:my |the |her |his )?(?:{_DRUGS}|pills)\b(?: \w+){{0,3}} (?:it takes|it would "
        r"take|would it take|does it take|to take|kills|would kill|is fatal|is lethal|is too much)\b|\b(?:want|wants|"
        r"need|wish) (?:everything|it all|life|my life) to (?:end|be over)\b|\bi (?:will |would |am going to |could |"
        r"might )?(?:end it|end it all|end things|end everything)\b(?! with)|\b(?:fall|go|drift) (?:asleep|to sleep|"
        r"off) (?:forever|for ever|for good|and never wake)\b|\b(?:bought|got|have|hidden|hid|tied|found) (?:a |the |"
        r"some )?(?:rope|noose|ligature)\b(?! (?:swing|ladder|toy|for the|to tie))|\b(?:going to|gonna|will|want to|"
        r"wants to|planning to|about to|is going to) (?:overdose|take an overdose)\b",
    ),
    _rule(
        "suicidal",
        r"(?s)^(?=.*\b(?:mum|mother|mummy|me)\b).*?(?P<k>)\b(?:better|happier) (?:off )?with (?:a|another|someone|"
        r"somebody) (?:else|better|different|new|proper|real|good)\b(?: mum| mother)?",
        subject=False,
    ),
    _rule(
        "suicidal",
        r"\b(?:world|everyone|family|they|baby) (?:would|will|d) be (?:a )?(?:better|happier) "
        r"(?:place )?without me\b",
    ),
    _rule(
        "suicidal",
        r"\bno one (?:would|will|d) (?:miss|care|notice|even notice|even care|even miss|mind)"
        r"(?: me)?(?: if i| when i| once i)? ?(?:was|were|died|disappeared|was gone|went|left|dead|gone)?\b"
        r"(?=.*(?:gone|died|disappear|dead|not here|miss me|left|wake|exist))",
    ),
    _rule(
        "suicidal",
        r"\b(?:wish|wishes|wishing) (?:i|that i) (?:had|was|were|had not been|could) (?:never been "
        r"born|not been born|not born|not here|gone|dead|never existed|not woken up|never woke up|"
        r"just disappear|disappear|not alive|go to sleep forever|not exist|fade away)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:would not|would|will not|wouldnt|do not|dont) (?:mind|care) if i (?:died|did not "
        r"wake up|never woke up|got hit|was hit|was gone|was killed|dropped dead|had an accident|crashed|did "
        r"not make it|got run over|got ill and died|did not come back|never came back|disappeared)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:hope|hoping|wish|pray|praying) (?:i|that i) (?:do not|never|did not) wake up\b|"
        r"\b(?:hope|hoping|wish|pray|praying) (?:i|that i) (?:die|get hit|crash|do not make it)\b|\b(?:hope|hoping|"
        r"wish|pray|praying|want) (?:i|that i) (?:\w+ ){0,4}(?:and die|and do not wake up|and never wake up|and not "
        r"wake up)\b|\b(?:hope|hoping|wish|pray|praying) (?:i|that i) (?:get|have|catch|develop) (?:cancer|something "
        r"terminal|a terminal illness|an accident|run over|killed|hit by)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:walk|walking|step|stepping|jump|jumping|throw myself|throwing myself|drive|driving|"
        r"run|running|swerve|swerving|lie|lying) (?:out |off (?:the )?(?:kerb|curb|pavement|platform) |out (?:of|"
        r"from) (?:\w+ ){0,2})?(?:in front of|under|off|into|onto) (?:a|the|an oncoming|the oncoming) "
        r"(?:train|bus|lorry|car|traffic|road|motorway|bridge|building|cliff|roof|car park|multi storey|"
        r"sea|river|canal|water|tree|wall|tracks|railway|platform|balcony)\b",
        if_negated="distress",
    ),
    _rule(
        "suicidal",
        r"\b(?:stand|standing|stood|sat|sitting|sit|lean|leaning|leaned|climb\w*|hover\w*|hang\w*|wait\w*) "
        r"(?:\w+ ){0,2}(?:on |at |over |near |by )?(?:the |a )?(?:very )?edge of (?:the |a )?(?:platform|bridge|"
        r"cliff|roof|balcony|building|multi storey|car park|tracks|railway|motorway bridge|quarry|river)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:walk|walking|wade|wading) into the (?:sea|river|water|canal|lake)\b|\bcrash the car"
        r"(?: on purpose| deliberately)?\b|\bjump(?:ing)? off (?:something|somewhere|a height)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:noose|ligature|slit my wrists?|slitting my wrists?|slash my wrists?|"
        r"cut my wrists?|hang myself|lethal dose|fatal dose)\b",
    ),
    _rule(
        "suicidal",
        rf"\bhow many {_DRUGS} (?:would|does it|to|will|does|it|can|would it|do you need|to take)"
        r"(?: take)?(?: to)? ?(?:kill|die|end|be fatal|be lethal|overdose|stop)\b",
    ),
    _rule(
        "suicidal",
        rf"\b(?:stockpil\w*|saving up|saved up|hoarding|collecting|storing up) (?:my |the |all my )?"
        rf"(?:{_DRUGS}|pills)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:have|got|made|making|make|working on) (?:a|the|my) plan(?:s)?(?: to| for| of| how)? ?"
        r"(?:end|die|kill|do it|take|go|how)\b|\b(?:planning|planned|plan) (?:how|when|where) (?:to|i will|i "
        r"would|i am going to) (?:do it|die|end|kill|go)\b",
    ),
    _rule(
        "suicidal",
        r"(?s)^(?!.*\b(?:birthday|christening|memory box|anniversary|santa|christmas|first day)\b).*?(?P<k>)"
        r"\b(?:written|wrote|writing|write|left|leaving|leave) (?:a|the|my|some) (?:suicide "
        r"|goodbye )?(?:note|notes|letter|letters)(?: for| to)? ?(?:my )?(?:family|kids|baby|partner|everyone|"
        r"mum|them|him|her|goodbye)?\b(?=.*(?:goodbye|sorry|when i am gone|for after|family|kids|baby|"
        r"partner|everyone|them|explain|forgive))|\b(?:suicide|goodbye) (?:note|letter|message)s?\b",
    ),
    _rule(
        "suicidal",
        r"\bthis is (?:my )?goodbye\b|\bgoodbye (?:everyone|world|forever|for good|for ever|"
        r"cruel world)\b|\bsaying (?:my )?goodbyes?\b|\b(?:this is|it is) (?:my )?(?:last|final) (?:message|"
        r"night|day|goodbye|time)\b|\bby the time (?:you|anyone|someone|they) (?:read|reads|see|sees|get|"
        r"gets) this\b|\b(?:it|this|everything) (?:will|is going to) (?:all )?be over (?:soon|tonight|"
        r"tomorrow|by morning)\b",
    ),
    _rule(
        "suicidal",
        rf"\b(?:please )?(?:tell|make sure|let) (?:my|the) (?:{_BABY_NOUN}|partner|mum|family|boys|"
        r"girls|parents) (?:\w+ )?(?:that )?(?:i|mummy|mum) (?:loved?|am sorry|did love)\b|\blook after "
        rf"(?:my|the) (?:{_BABY_NOUN}|boys|girls) for me\b|\b(?:will not|won t|never) have to (?:worry|"
        r"deal|put up) (?:about|with) me (?:again|anymore|much longer|soon|for much longer)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:not|will not|never) (?:be|going to be) (?:here|around) (?:for )?(?:much longer|"
        r"for long|long|anymore|by (?:the )?morning|tomorrow|when you wake|to see|after tonight|after today)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:can ?not|could not|cannot) (?:go on|carry on|keep going|keep living|live like this|"
        r"live with (?:this|myself)|do life|be alive|exist|face (?:tomorrow|another day|waking up)|keep doing "
        r"life|see a future|see a way out|see any way out|see the point)\b(?! like this)",
    ),
    _rule(
        "suicidal",
        r"\b(?:thoughts|thinking|thought|ideas|urges|dreaming|obsessed|obsessing|fantasi[sz]\w*) (?:of|about|"
        r"with) (?:dying|death|suicide|killing|"
        r"ending|not being here|not waking up|not existing|being dead|taking my)\b",
        topic=True,
    ),
    _rule("suicidal", r"\b(?:dark|suicidal|death) thoughts\b(?!.*\b(?:baby|him|her|son|daughter)\b)", topic=True),
    _rule(
        "suicidal",
        r"\b(?:everyone|they|baby|family|kids) (?:\w+ )?(?:would|will|d) be (?:fine|okay|ok|"
        r"alright|better) (?:without me|if i (?:was|were) gone|when i am gone|if i (?:died|left|disappeared))\b",
    ),
    _rule(
        "suicidal",
        r"\bfeel(?:ing)? like dying\b|\b(?:i am|i feel) (?:ready|done) (?:to die|with life|with "
        r"living|with everything)\b|\bready to go\b(?=.*\b(?:die|life|gone|goodbye)\b)",
    ),
    _rule(
        "suicidal",
        r"\b(?:want|wish|need|pray|praying|hope|hoping) (?:someone|something|god|a car|a bus|a "
        r"lorry|the cancer|an illness|it) (?:would |to |could )?(?:kill|take|end) me\b|\b(?:want|wish|need) to "
        r"be (?:hit|run over|killed)\b|\bget hit by a (?:bus|car|lorry|train)\b",
    ),
    _rule("suicidal", r"\b(?:rather|prefer to) be dead\b|\bbe better (?:off )?dead\b|\bwould be better dead\b"),
    _rule(
        "suicidal",
        r"\b(?:want|wanna|need|going|ready) to (?:disappear|go away|vanish|fade away) (?:forever|"
        r"for good|permanently|and never come back|and not come back|for ever)\b|\bwish i could (?:just )?"
        r"(?:disappear|vanish|fade away|stop existing|not exist|cease to exist)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:no|not any|no other) way out\b(?!.* (?:of|from) (?:the|this|that|my) (?:contract|"
        r"house|room|car park|job))|\bonly way out\b|\bone way out\b|\bpermanent solution\b",
    ),
    _rule("suicidal", r"\b(?:kill|killing) (?:me|myself) (?:off)?\b(?= (?:tonight|today|tomorrow|soon|now))"),
)

_GONE = (
    r"(?:was not here|were not here|was not around|were not around|am not here|am not around|was gone|were gone|"
    r"am gone|died|was dead|were dead|disappeared|left for good|just went|did not wake up|never woke up|"
    r"was not alive|ended it|end it|ended my life|killed myself|was not in the picture)"
)

_MORE_SUICIDAL_RULES: tuple[_Rule, ...] = (
    _rule(
        "suicidal",
        r"\b(?:googl\w*|search\w*|look\w* up|research\w*|read\w* about|find|found|looking for) "
        r"(?:\w+ ){0,2}(?:ways|way|methods|how) to (?:die|kill myself|end it|end my life|do it|not wake up|go)\b|"
        r"\b(?:painless|quickest|easiest|best) (?:way|ways|method) to (?:die|go|end it|kill)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:better|happier|easier|fine|okay|ok|cope better|manage better|safer)\b(?: \w+){0,4} "
        r"without me\b|\bwithout me (?:in it|around|here|in the way|in their lives)\b",
    ),
    _rule(
        "suicidal",
        rf"\b(?:better|easier|happier|simpler|kinder|fairer)\b(?: \w+){{0,4}} if i {_GONE}\b|\bif i "
        rf"{_GONE}\b(?: \w+){{0,8}} (?:relieved|relief|better|easier|would not mind|would not care|who would "
        r"look after|would (?:my|they|he|she|the baby|anyone)|will (?:they|he|she) still|nobody would|no one would|"
        r"what would happen to)\b",
    ),
    _rule(
        "suicidal",
        r"\bbetter off with\b.*\bthan (?:with )?me\b|\b(?:life insurance|insurance) (?:\w+ ){0,3}"
        r"(?:pays? out|pay out|paid out|money|would cover|covers)\b|\b(?:a|another|different|better|new) "
        r"(?:mum|mother) (?:who is not|that is not|who isnt) me\b|\bno mum at all\b",
    ),
    _rule("suicidal", r"\bbetter (?:off )?without (?:her|him|them)\b", third_only=True),
    _rule(
        "suicidal",
        r"\b(?:want|need|wish|wants) (?:it|everything|this|the pain|life|my life) (?:all )?to (?:stop|end|be "
        r"over)[.,!]* (?:forever|for good|permanently|for ever)\b|"
        r"\b(?:want|need|wants) (?:it|this|everything) (?:all )?to "
        r"be over\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:sort\w*|sorted) (?:out )?(?:who gets what|my affairs|his affairs|her affairs|everything"
        r" for after)\b|\b(?:affairs|things) in order\b|\b(?:given|giving|give|gave) (?:away )?(?:\w+ )?(?:my|her|"
        r"his|all my|all her|all his) (?:passwords|things|stuff|belongings|clothes)(?: away)?\b(?=.*\b(?:sorted|"
        r"need|needing|where|after|away)\b)|\bwhere everything is\b(?=.*\b(?:sorted|in case|after|when)\b)|"
        r"\b(?:will not|wont) be needing (?:them|it|any of|my|her|his)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:will not|wont|not going to|never going to) be (?:\w+ ){0,4}(?:for )?(?:much|a lot) "
        r"longer\b|\bnot (?:going to|gonna) be (?:around|here) (?:for|to see|at|when|by)\b|\b(?:will not|wont) "
        r"be (?:around|here) (?:for|to see) (?:her|his|their|christmas|the|my)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:said|say|saying|done|did) (?:all )?(?:my|her|his) goodbyes\b|\bsaying goodbye "
        r"(?:to (?:everyone|you all|my (?:baby|kids|family|partner)|the kids)|forever)\b",
    ),
    _rule(
        "suicidal",
        r"(?s)^(?=.*\b(?:on purpose|think|thinking|want|wish|tempted|urge|just|deliberately|keep)\w*)"
        r".*?(?P<k>)\b(?:steer\w*|swerv\w*|crash\w*|plough\w*|drive|driving|drove|walk\w*|step\w*|jump\w*) "
        r"(?:the car )?(?:straight )?(?:in|into|off|under|in front of|onto) (?:a|the) (?:wall|tree|bridge|lorry|"
        r"bus|train|traffic|sea|river|motorway|oncoming|barrier|bollard)\b",
    ),
    _rule(
        "suicidal",
        r"\bbe done with (?:it all|everything|life|living|this life)\b|\bhoping i (?:just )?(?:will "
        r"not|would not|do not|never) wake up\b|\b(?:would not|do not|will not) (?:mind|care) if i (?:just )?(?:did "
        r"not|do not|never|will not) wake up\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:chuck|chucking|fling|flinging|hurl|hurling|launch|launching|throw|throwing) myself "
        r"(?:off|under|in front of|into|down)\b",
    ),
    _rule(
        "suicidal",
        r"\bif (?:a|the) (?:bus|car|lorry|train|van) (?:hit|hits|ran over|runs over|knocked) me\b|"
        r"\bif i (?:got|get) (?:hit|run over|knocked down|ill and died)\b",
    ),
    _rule("suicidal", r"\b(?:when|once|after) i am (?:gone|dead|no longer here|not here anymore)\b"),
    _rule(
        "suicidal",
        r"\b(?:cannot|can not|could not|do not|unable to) (?:picture|see|imagine) (?:a|any|my) "
        r"future\b(?: \w+){0,4}(?: me| myself)?|\bfuture (?:that has|with) me in it\b|\bno future for me\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:tell|let) (?:my|the|our) (?:\w+ ){0,2}(?:that )?(?:i|mummy|mum|his mummy|her mummy|"
        r"his mum|her mum|their mum|their mummy|mommy) (?:loved?|love|am sorry|did love|is sorry)\b",
    ),
    _rule(
        "suicidal",
        rf"\bhow many (?:of )?(?:my |the |her |these |those )?(?:{_DRUGS}|pills|them)\b(?: \w+){{0,5}} "
        r"(?:take|kill|die|enough|lethal|fatal|not wake up|to go|overdose)\b",
    ),
    _rule(
        "suicidal",
        r"\bhow easy it (?:would|could|will) be to (?:just )?(?:go|end it|die|jump|step|fall|do it|"
        r"let go|not be here|slip away)\b",
    ),
    _rule(
        "suicidal",
        r"\bno one (?:would|will|d) (?:even )?(?:miss|notice|care about) me\b|\b(?:would|will) "
        rf"(?:anyone|anybody|people|they) (?:even )?(?:notice|miss me|care) if i {_GONE}?\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:run out of|out of|no|cannot find|cannot think of|any|not got any|no more) "
        r"(?:\w+ )?reasons? (?:to|for) (?:stay|staying|live|living|be here|keep going|carry on|go on|stick around)\b",
    ),
    _rule(
        "suicidal",
        r"\bpack (?:it|it all|life) in (?:for good|forever|for ever)\b|\bcall it a day on life\b|"
        r"\b(?:done|finished|had it|had enough) with (?:life|living|being alive)\b|\bhad enough of (?:life|living|"
        r"being alive)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:rather|prefer to|wish i was|want to be|better off|ready to be|should be) (?:\w+ )?"
        r"(?:six feet under|pushing up daisies|in the ground|in a box|dead and buried|in my grave|in the grave)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:thought|thinking|think|planned|planning|plan|worked out|know) (?:about |out )?how "
        r"(?:i would|i could|i will|i might|to|i am going to) (?:do it|end it|go|die|kill|take|finish)\b|"
        r"\blooked at (?:the )?(?:train times|trains|bridge|tracks|drop|height)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:do not|cannot|can not) see (?:why|the point|how|any reason) (?:i should |i would |to |"
        r"i can )?(?:carry on|go on|keep going|keep living|be here|stay|bother|live|continue)\b(?! to )|\bwhy "
        r"(?:should|would|do|bother) i (?:keep going|carry on|go on|bother living|stay|be here|keep living|keep "
        r"trying)\b(?! to )",
    ),
    _rule(
        "suicidal",
        r"\b(?:any|no|what|the) (?:\w+ )?(?:point|reason|purpose) (?:in |to |of |for )?(?:me being "
        r"(?:here|alive|around)|me living|me staying|my life|me carrying on|me going on|me even being)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:is|am|are|was|is going to|am going to|are going to|going to) (?:end|ending) "
        r"(?:it|it all|things|everything|my life|her life|his life)\b(?! with)",
    ),
    _rule(
        "suicidal",
        rf"\b(?:going to|planning to|want to|about to|will|wants to|threatening to|thinking (?:of|about)|"
        rf"considering|tempted to|tempted by|feel like|urge to|could|might|keep thinking about) (?:just )?"
        rf"(?:take|taking|swallow|swallowing|neck|necking|down|downing|have) (?:all|a load of|every|the whole|"
        rf"loads of|a whole|all of) (?:of )?(?:my|her|his|the|"
        rf"them|those)? ?(?:{_DRUGS}|pills|tablets|lot|box|packet)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:go|going|went|gone|want to go|wants to go) to sleep (?:for good|forever|for ever|and "
        r"not wake up|and never wake up)\b|\bsleep for good\b",
    ),
    _rule(
        "suicidal",
        rf"\b(?:keeping|kept|holding|held|hiding|hid|stashing|stashed|squirrel\w*|putting|put) "
        rf"(?:back |away |aside )?(?:my |the |all my |some of my |her |his )?(?:{_DRUGS}|pills)\b(?=.*\b(?:instead "
        r"of taking|not taking|rather than taking|enough|saved|saving|for later|stockpil)\w*)",
    ),
    _rule(
        "suicidal+third-party",
        rf"(?s)^(?=.*\b(?:{_THIRD_PARTY_NOUN}|she|he)\b)(?=.*\b(?:worried|not answering|"
        r"not replying|posting|posted|message|messages|texted|sent|saying|said)\b).*?(?P<k>)\b(?:not long now|"
        r"sorry (?:to|for)"
        r" (?:everyone|everything|being a burden)|goodbye|saying goodbye)\b",
        subject=False,
    ),
    _rule(
        "suicidal",
        r"\b(?:written|wrote|writing|write|left|leaving|leave) (?:a |the |my |some |her |his )?(?:note|"
        r"notes|letter|letters|goodbye letter|goodbye letters) (?:to|for) (?:my|her|his|the|everyone|each)\b"
        r"(?!(?: \w+){0,6} (?:birthday|christening|anniversary|christmas|memory box|santa|first day))",
    ),
    _rule(
        "suicidal+third-party",
        r"\blast (?:thing|message|post|text|photo) (?:she|he|they) (?:posted|sent|wrote|said|"
        r"shared)\b(?: \w+){0,6} (?:bridge|goodbye|sorry|pills|tablets|rope|cliff|tracks|river|sea|train|railway|"
        r"forgive|love you all)\b",
        subject=False,
    ),
    _rule(
        "suicidal+harm-to-baby",
        r"\b(?:take|taking|took) (?:her|him|them|the baby|the kids|my baby|my kids) with me\b"
        r"(?! (?:to|on|for|into|in|at|when i go out|shopping|today|tomorrow))",
    ),
    _rule(
        "suicidal",
        r"\b(?:before i do something|do something) (?:stupid|silly|i regret|i will regret|daft|"
        r"drastic)\b(?!.*\b(?:baby|him|her|them)\b)|\b(?:scared|afraid|frightened|terrified) (?:of )?what i "
        r"(?:will|might|could|would|am going to) do\b(?!.*\b(?:baby|him|her|them|to)\b)",
    ),
)
