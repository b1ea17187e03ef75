"""Wider families, of several categories: euphemisms for dying, conditional threats, and reported speech about
someone else (a sister who texted that she would, a friend's partner who beats her).

_WIDER_RULES mixes suicidal, self-harm, overdose, harm-to-baby, psychosis and abuse rules in one tuple, tried after
every other crisis category and before the distress rules; it stays one tuple so that order stays as it is.
"""

from __future__ import annotations

from nlu.screen._rule import _Rule, _rule
from nlu.screen._vocabulary import _BABY_OR_PRONOUN, _DRUGS, _HARM_SOFT, _HARM_STRONG, _THIRD_PARTY_NOUN, _URGE_FRAME

_ALCOHOL = r"(?:vodka|wine|gin|whisky|whiskey|rum|alcohol|booze|cider|lager|prosecco|tequila|brandy|drink)"
_REPORTING = (
    r"(?:said|says|told me|tells me|texted|text|messaged|posted|rang|called|keeps saying|is saying|was saying|"
    r"has been saying|threatened|threatens|is threatening|wrote|sent me a message)"
)
_DEADLY_JUMP = (
    r"(?=\s*(?:[.,!?]|$| off (?:a |the )?(?:bridge|cliff|building|roof|balcony|car park|multi storey)| in front of"
    r"| from (?:a |the )?(?:bridge|roof|balcony|building|window)| tonight| today))"
)

_WIDER_RULES: tuple[_Rule, ...] = (
    _rule(
        "suicidal",
        r"\bif i (?:died|was dead|were dead|did not wake up|never woke up|was gone|got hit)\b(?: \w+){0,3},? i "
        r"(?:would not|would|will not|do not|wouldnt|honestly would not) (?:even |really )?(?:care|mind|be "
        r"bothered)\b|\b(?:so |very |really |getting |too )?(?:close|closer) to (?:ending (?:it|it all|things|"
        r"everything|my life)|killing myself|taking my (?:own )?life|giving up on life|doing it)\b|\bon the "
        r"(?:verge|edge|brink) of (?:ending (?:it|things|my life)|killing myself|suicide|taking my)\b|\b(?:planning|"
        r"planned|arranging|arranged|organising|picked|picking|choosing|chose) (?:out )?(?:my own|my) (?:funeral|"
        r"eulogy|funeral songs|burial)\b|\b(?:planning|planned|choosing|chose|picking|picked|sorting|sorted|"
        r"arranging|organising|writing|wrote) (?:out )?(?:\w+ ){0,3}(?:for|at) my (?:own )?funeral\b",
    ),
    _rule(
        "suicidal",
        r"\bdeserve (?:\w+ ){0,2}better than me\b(?: \w+){0,8} (?:would|will|d) be (?:fine|better|happier|ok|okay|"
        r"better off|alright)\b",
    ),
    _rule(
        "abuse-or-danger+third-party",
        r"\b(?:my|our|a) (?:sister|friend|best friend|mate|daughter|son|mum|cousin|neighbour|niece|aunt|auntie|"
        r"colleague|bestie|brother) (?:partner|husband|boyfriend|fella|bloke|man|wife|girlfriend|ex|dad) (?:\w+ )?"
        r"(?:hits|hit|beats|beat|batters|battered|punches|punched|slaps|slapped|strangles|strangled|chokes|choked|"
        r"kicks|kicked|rapes|raped|hurts|hurt|abuses|abused|threatens|threatened|controls|locks) (?:her|him|them)\b|"
        r"\b(?:she|he) (?:says|said|told me|admitted) (?:that )?(?:he|she|her partner|his partner|her fella|her "
        r"husband|her boyfriend) (?:\w+ )?(?:hits|beats|batters|punches|slaps|strangles|chokes|kicks|rapes|hurts|"
        r"abuses) (?:her|him)\b",
        subject=False,
    ),
    _rule(
        "suicidal",
        r"\bi (?:\w+ ){0,4}(?:step|stepping|stepped|walk|walking|jump|jumping|lie|lying|fall|falling|run|running|"
        r"throw myself|throwing myself|go|going|fling myself)(?: \w+){0,4} (?:in front of|under) (?:a|the|an) "
        r"(?:oncoming )?(?:bus|train|lorry|car|van|traffic|tram|truck)\b(?!.*\b(?:was not looking|did not see|by "
        r"accident|nearly got|beeped|honked)\b)",
    ),
    _rule(
        "suicidal",
        rf"\b(?:got|have|kept|keep|keeping|hidden|hid|stashed|saved|bought) (?:\w+ )?(?:\d+|two|three|four|five|six|"
        rf"several|a few|loads of|lots of|a load of|a stash of|a pile of) (?:boxes|packets|packs|strips|bottles|"
        rf"tubs) of (?:my )?(?:{_DRUGS}|pills)\b(?=.*\b(?:not told|no one knows|nobody knows|secret|hidden|hid|"
        r"hiding|stash\w*|just in case|for when|saving|saved|in case i|under the bed|for later)\b)",
    ),
    _rule(
        "suicidal",
        r"\b(?:would|will|d) (?:soon )?(?:get over it|cope|manage|be fine|be okay|be ok|move on|forget (?:me|about "
        r"me)|be better|not even notice)\b(?: \w+){0,3} (?:if|when|once) i (?:went|go|die|died|was gone|were gone|"
        r"left for good|disappeared|was not here|was not around|was dead)\b(?=\s*(?:[.,!?]|$|they|he|she|for "
        r"good|forever))|\bif i (?:went|died|was gone|disappeared)\b,? (?:\w+ ){0,3}(?:would|will) (?:soon )?(?:get "
        r"over it|cope|manage|be fine|be okay|move on|forget)",
    ),
    _rule(
        "suicidal",
        r"\b(?:do not|dont) think i (?:will|would|am going to|can) (?:be (?:here|around|alive)|last|survive|make it|"
        r"stay|hold on)(?: \w+){0,2} (?:much longer|for long|long|the night|till morning|until morning|another "
        r"(?:day|week|night)|the week|tonight)\b",
    ),
    _rule(
        "overdose-or-injury",
        rf"\b(?:drunk|drank|had|downed|necked|finished) (?:(?:half|most|all) (?:of )?)?(?:a |the |a whole |the whole "
        rf"|a full )?(?:bottle|litre|load|loads|lot|bottles) of {_ALCOHOL}\b(?: \w+){{0,3}} (?:and|with|then|plus|on "
        rf"top of)(?: \w+){{0,6}} (?:{_DRUGS}|pills)\b(?!.*\b(?:hangover|headache|this morning|next day|the "
        r"morning)\b)",
    ),
    _rule(
        "harm-to-baby",
        rf"(?s)^(?=.*\b(?:scream|screams|screaming|screamed|cry|cries|crying|wail\w*|whing\w*|will not (?:sleep|"
        rf"settle|stop)|does not (?:sleep|settle|stop)|feed|feeding|nappy|cot|baby)\b)(?!.*\b(?:partner|husband|"
        rf"man flu|lol|boss|mil)\b).*?(?P<k>)\bi (?:\w+ ){{0,3}}{_URGE_FRAME} (?:to )?(?:just |really )?(?:"
        rf"{_HARM_STRONG}|throttle|strangle|smother|suffocate|shake|drown|choke) (?:her|him|them|it)\b",
        unless_thought=True,
    ),
    _rule(
        "psychosis-signs",
        r"\bpretending to be (?:my|our|the) (?:real )?(?:mum|dad|partner|husband|baby|son|daughter|family|sister|"
        r"brother|mother|wife|nan|gran)\b|\b(?:is|are) (?:an? )?(?:lizard|reptile|imposter|impostor|clone|body "
        r"double|doppelganger)s?\b",
    ),
    _rule(
        "suicidal",
        r"\bi (?:\w+ ){0,3}(?:check|checking|checked|bow|bowing|clock|clocking|sign|signing|tap|tapping|log|logging) "
        r"(?:out|off) (?:for good|permanently|forever|for ever|of life|of this life|of this world|early)\b|\b(?:leave|"
        r"leaving|exit|exiting|escape|escaping) (?:this|the) (?:world|earth)\b(?! (?:of|tour|a better|better|cup|"
        r"record))",
    ),
    _rule(
        "suicidal",
        r"\b(?:want|wanting|wish for|long for|longing for|crave|craving|welcome|pray for|praying for|ready for|"
        r"look forward to|looking forward to) (?:my )?death\b|\bdeath (?:would be|feels like|seems like|"
        r"sounds like|is) "
        r"(?:a |the )?(?:relief|release|easier|peaceful|better|a blessing|the answer|the only way|an escape)\b|"
        r"\b(?:think|thinking|thought) about (?:death|dying)\b(?!.*\b(?:since (?:my|our|her|his) \w+ (?:died|"
        r"passed)|since losing|grief|grieving|passed away|funeral)\b)"
        r"(?: \w+){0,3} (?:constantly|all the time|every day|a lot|"
        r"every night|non stop)\b",
    ),
    _rule(
        "suicidal",
        r"\b(?:would|will|d) be (?:\w+ ){0,2}(?:relieved|glad|happier|better|fine|ok|okay|easier|pleased|free|"
        r"lighter)\b(?: \w+){0,3} (?:if|when|once) i (?:was|were|am|had) (?:gone|dead|not here|not around|no "
        r"longer here|out of the (?:way|picture))\b(?! (?:from|for|out|to|on|at|in|off)\b)|"
        r"\b(?:relieved|glad|happier|better off) (?:if|when|once) i "
        r"(?:died|disappeared|was gone|was dead)\b(?! (?:from|for|out|to|on|at|in|off)\b)",
    ),
    _rule(
        "suicidal",
        r"\b(?:anyone else|other (?:mums|mothers|people)|does anyone|do any of you)\b(?: \w+){0,8} (?:better off|"
        r"happier|easier|fine) without (?:them|us|her|you)\b",
        subject=False,
    ),
    _rule(
        "suicidal",
        r"^(?:just |i want to |want to |going to |i am going to |gonna )?(?:end it|end it all|end "
        r"everything|end me|end my life|finish it|finish it all)[.!?, ]*$",
    ),
    _rule(
        "suicidal",
        r"\b(?:easier|better|simpler|kinder) (?:for everyone|for them|for all of them|for my family) if i (?:just )?"
        r"(?:went|go|disappeared|was not|were not|died|ended|stopped)\b|\b(?:time|ready) to (?:go|leave) for good\b"
        r"(?=.*\b(?:life|world|everyone|family|kids|baby|goodbye|sorry)\b)",
    ),
    _rule(
        "self-harm",
        r"\b(?:hide|hiding|hid|cover|covering|covered|conceal\w*) (?:up )?(?:my |the |all the |these |those |her |his |"
        r"all my )?(?:new |fresh |old )?(?:cuts|self harm|burns|wounds|fresh scars|self harm scars)\b",
    ),
    _rule(
        "self-harm",
        r"\b(?:bite|biting|bit|pinch|pinching|pinched|scratch\w*|hit|hitting|punch\w*|claw\w*|dig|digging|dug) "
        r"(?:at )?(?:my|myself)(?: \w+){0,3} (?:until|till|til|so hard|hard enough|to make)\b(?: \w+){0,3} "
        r"(?:bleed|bleeds|bled|bruise|bruises|bruised|hurt|hurts|marks?|pain|feel something)\b",
    ),
    _rule(
        "overdose-or-injury",
        r"\b(?:i have|i) (?:already |just |gone and |actually |finally )?(?:done|did) it\b(?=.*\b(?:empty|pills|"
        r"tablets|bottle|packet|blood|bleeding|taken|swallowed|too late|goodbye|sorry|feel weird|feel sick)\b)",
    ),
    _rule(
        "overdose-or-injury",
        rf"\b(?:drunk|drank|had|downed|necked|finished) (?:a |half a |a whole |the whole |the |loads of |so much |a "
        rf"full )?(?:bottle of |litre of |load of )?{_ALCOHOL}\b(?: \w+){{0,3}} (?:and|with|then|plus) (?:\w+ ){{0,2}}"
        rf"(?:taken|took|swallowed|necked|had|popped|downed) (?:\w+ ){{0,3}}(?:{_DRUGS}|pills)\b(?!.*\b(?:hangover|"
        r"headache|this morning|next day|the morning)\b)",
    ),
    _rule(
        "harm-to-baby",
        r"(?s)^(?=.*\b(?:if|unless|when) (?:she|he|the baby|it|they|baby) (?:does not|do not|will not|does not "
        r"ever|wont|doesnt) (?:stop|shut up|settle|sleep|go to sleep)\b).*?(?P<k>)\bi (?:swear |honestly |really "
        r"|actually )?(?:i )?(?:will|am going to|might|could|would|may) (?:end up )?(?:do something|lose it|snap|"
        r"hurt|throw|shake|hit|smother|kill|lose control|not be responsible|do something stupid|do something i "
        r"regret|scream at)\b",
        subject=False,
    ),
    _rule(
        "harm-to-baby",
        rf"\bwhat (?:happens|will happen|do i do) if i (?:\w+ ){{0,2}}(?:{_HARM_SOFT}|{_HARM_STRONG}) "
        rf"{_BABY_OR_PRONOUN}\b(?! by accident| accidentally)",
        unless_thought=True,
    ),
    _rule(
        "harm-to-baby",
        r"\b(?:screamed|yelled|shouted|swore|roared) (?:right )?in (?:his|her|the baby|my baby) (?:face|ear)\b|"
        r"\b(?:pushed|kicked|knocked|tipped|threw|shoved|slammed|flung) (?:his|her|the baby|my baby) (?:bouncer|"
        r"cot|pram|moses basket|crib|highchair|car seat|rocker|swing) (?:over|across|into|hard|on purpose)\b",
    ),
    _rule(
        "harm-to-baby",
        rf"\b(?:hold|holding|held|push|pushing|pushed|put|keep|keeping|kept) {_BABY_OR_PRONOUN} (?:under (?:the )?"
        r"(?:bath )?water|underwater|face down in (?:the )?(?:water|bath|pillow))\b",
        unless_thought=True,
    ),
    _rule(
        "psychosis-signs",
        r"\bi am being (?:followed|watched|monitored|tracked|recorded|spied on|poisoned|filmed|controlled|"
        r"tested)\b(?! (?:on|by (?:a|some) (?:account|page|bot)|at work|by the health visitor))|\b(?:bugged|tapped|"
        r"wired|put cameras in) (?:my|the|our) (?:phone|house|flat|car|room|home|bedroom)\b",
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:his|her|their|both) hands? (?:were |was |are |is |went |go |goes )?(?:round|around|on|over|across) "
        r"my (?:neck|throat|mouth)\b|\b(?:he|she|"
        r"they|partner) (?:\w+ ){0,3}(?:put|had|wrapped|got|held|pressed|squeezed) (?:his|her|their|both) (?:hands?|"
        r"fingers?|arm) (?:round|around|on|over|across) my (?:neck|throat|mouth|face)\b|\b(?:pinned|held) me "
        r"(?:down|against|up against|to)\b",
    ),
    _rule(
        "abuse-or-danger",
        r"\bif i (?:tell|leave|go|report|call|ring|try to leave|ever leave|speak to)\b(?: \w+){0,8} (?:he|she|"
        r"partner|they) (?:will|would|is going to|is gonna|swears he will|said he would)\b(?: \w+){0,3} "
        r"(?:kill|hurt|take|make sure|ruin|find|come after|get|burn|destroy)\b|\b(?:make sure|ensure) i (?:never|"
        r"do not|will not) (?:see|get to see) (?:my|the|our) (?:\w+ )?(?:son|daughter|baby|kids|children)\b",
    ),
    _rule(
        "suicidal+third-party",
        rf"\b(?:my|a|our) {_THIRD_PARTY_NOUN} (?:\w+ ){{0,2}}{_REPORTING} (?:me )?(?:that )?(?:she|he|they) "
        rf"(?:is|was|are|were)? ?(?:going to|gonna|will|wants to|want to|is about to|was about to|might|plans to|is "
        rf"planning to) (?:just )?(?:jump{_DEADLY_JUMP}|end it|do it\b(?=.*\b(?:tonight|pills|bridge|goodbye)\b)|kill "
        r"(?:herself|himself|themselves)|take (?:her|his|their) (?:own )?life|overdose|hang|not be here|disappear "
        r"for good)",
        subject=False,
    ),
    _rule(
        "abuse-or-danger+third-party",
        rf"(?s)^(?=.*\b(?:my|a|our) (?:{_THIRD_PARTY_NOUN}|sister s|friend s|daughter s|mum s)\b).*?(?P<k>)\b(?:he|she|"
        r"they|partner|her partner|husband|boyfriend) (?:\w+ )?(?:will not|does not|never|would not) let (?:her|him) "
        r"(?:leave|go out|out of the house|out|see|have (?:money|her|his|any)|use|talk|speak|call|go|eat|work|"
        r"visit)\b(?! (?:the room|down|sleep|(?:her|his) sight))|\b(?:he|partner|husband|boyfriend) (?:\w+ )?(?:takes|"
        r"took|controls|checks|keeps) (?:her|all her) (?:phone|money|bank|card|wages|benefits|passport|keys)\b"
        r"(?=.*\b(?:my|a|our) (?:sister|friend|mate|daughter|mum|cousin|neighbour)\b)",
        subject=False,
    ),
)
