"""Abuse-or-danger rules: violence, threats and control by a partner or family member.

_ABUSE_RULES are the direct phrasings, _MORE_ABUSE_RULES the indirect ones (someone outside banging on the door,
threats to take the baby, her phone, money and keys taken, not allowed out).
"""

from __future__ import annotations

from nlu.screen._rule import _Rule, _rule
from nlu.screen._vocabulary import _BABY, _BABY_NOUN, _FEAR

_ABUSER = (
    r"(?:partner|my partner|my mum|my dad|my mother|my father|mil|my mother in law|my brother|my stepdad|"
    r"my family|his family|my sister|the dad|his dad|his mum|he|she|they)"
)
# A bare "he"/"she" in a message about a baby or toddler is usually the child ("he kicked me all night").
_NO_CHILD_SUBJECT = (
    r"^(?!.*\b(?:toddler|tantrum|teeth|teething|month old|year old|nursery|bump|kicks|womb|rattle|toy|spoon|"
    r"strong arm|headbutt\w*|in his sleep|in her sleep)\b)"
)
_VIOLENCE = (
    r"(?:punched|punches|punching|slapped|slaps|strangled|strangles|strangling|choked|chokes|choking|beat|beats|"
    r"beating|battered|batters|headbutted|raped|rapes|sexually (?:assaulted|abused)|assaulted|attacked|smacked "
    r"me|hit me|hits me|hitting me|kicked me|kicks me|kicking me|pushed me|pushes me|shoved|dragged me|grabbed "
    r"me|grabs me|grabbed my|threw (?:me|things|stuff|something|a (?:plate|glass|mug|cup|chair|bottle|phone))|"
    r"throws (?:things|stuff|me)|spat (?:at|on) me|locked me|locks me|pinned me|held me down|bit me|burnt me|"
    r"burned me|forced me|forces me|made me have sex|hurt me|hurts me|hurting me|(?:threatened|threatens|"
    r"threatening)(?! to (?:\w+ ){0,2}(?:the |his |my |her |that |a |our )?(?:telly|tv|remote|phone|controller|xbox|"
    r"playstation|ps5|laptop|router|towel|dummy|ball|game|bins?|toys?|kettle|fridge|console|football|takeaway|"
    r"holiday|subscription|netflix|sky|car)\b)|shook me|shakes me|smashed (?:my|the|up)|strangle me|choke me)"
)
_ABUSE_RULES: tuple[_Rule, ...] = (
    _rule(
        "abuse-or-danger",
        rf"\b(?!he |she |they ){_ABUSER} (?:\w+ ){{0,2}}{_VIOLENCE}\b",
    ),
    _rule("abuse-or-danger", rf"(?s){_NO_CHILD_SUBJECT}.*?\b(?:he|she|they) (?:\w+ ){{0,2}}{_VIOLENCE}\b"),
    _rule(
        "abuse-or-danger",
        rf"\b{_ABUSER} (?:\w+ ){{0,3}}(?:threatened|threatens|said (?:he|she|they) (?:would|will|is going to|was "
        r"going to)|says (?:he|she|they) (?:will|would|is going to)|is going to|will|would|wants to|keeps saying "
        r"(?:he|she|they) (?:will|would)) (?:to )?(?:kill|hurt|stab|burn|take|harm|strangle|kick|throw|hit) (?:me|us|"
        rf"the baby|my baby|the kids|my kids|the children|my son|my daughter|{_BABY})\b(?<!take the baby)"
        r"(?<!take my baby)(?<!take the kids)(?<!take me)(?<!take us)",
    ),
    _rule(
        "abuse-or-danger",
        rf"\b{_FEAR} (?:of|of what|what) (?:him|my partner|partner|his temper|he (?:will|might|could|would) do|he "
        r"is going to do|going home|to go home|him coming home|my dad|my mum)\b|\b(?:not|never) (?:feel )?safe (?:at "
        r"home|with him|around him|in my (?:own )?(?:home|house)|with my partner|with partner)\b|\b(?:do not|never|"
        r"cannot) feel safe (?:at home|here|anymore|with|around|in my)\b",
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:partner|my partner|he|she|they) (?:\w+ )?(?:will not|does not|never|would not) let me (?:leave|go "
        r"out|see|have (?:money|my|any|a)|use|talk|speak|out|call|go|eat|access|contact|visit|work)\b(?! (?:to )?"
        r"sleep| down| put| the room| (?:her|his) sight| (?:the )?(?:room|cot|bed))(?!.*\bwithout (?:screaming|"
        r"crying|whinging|kicking off|a tantrum|a meltdown|him|her)\b)|"
        r"\b(?:he|she|partner|my partner|they) (?:\w+ )?(?:takes|took|controls|checks|keeps|has "
        r"taken|went through) (?:my|all my) (?:money|phone|bank|card|wages|benefits|car keys|passport|messages)\b"
        r"(?! (?:to (?:play|watch|film|take|look|charge|ring|call)|for (?:games|a bit)))|"
        r"\b(?:locks|locked) (?:me|us) (?:in|out)\b",
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:domestic (?:abuse|violence)|coercive control|controlling (?:behaviour|relationship)|sexual(?:ly)? "
        r"(?:abuse|abused|assault|assaulted)|raped|rape|abusive (?:relationship|partner|marriage)|abusive)\b",
        topic=True,
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:he|partner|my partner|she|they|someone) (?:is |has )?(?:outside the (?:house|door)|at the door|trying "
        r"to get in|banging on the (?:door|window)|broke in|breaking in|has a knife|got a knife|with a knife|has a "
        r"gun|got a gun)\b",
    ),
    _rule(
        "abuse-or-danger",
        rf"\b(?:partner|my partner|he|she|they|someone|my mum|my dad|his mum) (?:\w+ )?(?:hits|hit|hurts|hurt|"
        rf"shakes|shook|slapped|smacked|threw|kicked|punched|hurting|hitting|shaking|burnt|burned|bruised|touches|"
        rf"touched|abuses|abused|is rough with|was rough with) (?:the|my|our|her|his) {_BABY_NOUN}\b",
    ),
    _rule(
        "abuse-or-danger",
        rf"\b(?:the |my |our )?{_BABY_NOUN} (?:is|are) not safe\b|\b(?:told|tells|telling|said to) me to (?:kill|"
        r"hurt) (?:myself|yourself)\b|\bafraid (?:for|of) my life\b|\b(?:fear|scared|frightened|terrified) for "
        r"(?:my|our|the baby s|my baby s) (?:life|lives|safety)\b",
    ),
)

_MORE_ABUSE_RULES: tuple[_Rule, ...] = (
    _rule(
        "abuse-or-danger",
        r"\b(?:is|s) outside\b(?: \w+){0,4} (?:banging|screaming|shouting|kicking|door|window)\b"
        r"|\bbanging on the (?:door|window)\b",
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:said|says|threatened|threatens|told me) (?:that )?(?:no one|nobody) (?:would|will)"
        r" believe me\b|\b(?:tell|report me to|call|ring) social services\b(?=.*\b(?:he|she|partner|threat)\w*)|"
        r"\b(?:take|get|have) (?:the baby|the kids|her|him|them) (?:off|away from) me\b",
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:he|she|partner|my partner|they) (?:has |have |had |is )?(?:taken|took|takes|tracks|"
        r"tracking|reads|checks|controls|has control of|taken over) (?:all )?(?:my|the|all the|our) (?:phone|money|"
        r"car keys|keys|bank|card|wages|benefits|passport|messages|finances)\b(?! (?:to (?:play|watch|film|take|look|"
        r"charge|ring|call)|for (?:games|a bit)))|\b(?:ask|asking|beg) (?:him )?"
        r"(?:for (?:every|each) penny|(?:his )?permission)\b|\bnot allowed to (?:go|see|have|leave|use|talk|"
        r"speak|visit|eat|wear)\b|\bmakes me (?:sleep on|ask|beg|stay in|hand over)\b",
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:smashing|smashed|breaking|broke|throwing) (?:things|stuff|the house|plates|"
        r"everything|the place up)\b|\bhiding (?:from him|in the (?:bathroom|bedroom|toilet))\b(?=.*\b(?:he|him|"
        r"partner)\b)|\b(?:hide|hiding|cover|covering) (?:up )?(?:the |my )?bruises\b",
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:knocks|knocked|knocking) me (?:about|around)\b|\bgets handy\b|\b(?:lamped|clouted|"
        r"decked|belted|thumped|walloped|whacked) me\b|\b(?:shoves|shoved|pushd|pushed|punches|slaps) me\b|"
        r"\block\w* (?:me|you|us|her) (?:in|out)\b|\bkeeps (?:me|her) locked\b",
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:jump|flinch|freeze|shake|tense up)\w* (?:every time|whenever|when) (?:i hear )?"
        r"(?:he|his|him)\b|\b(?:packed|pack|hidden|hid) (?:a|my) bag\b.*\b(?:get out|escape|leave|flee|run)\b|"
        r"\bstood up to him\b|\bended up in hospital\b(?=.*\bhim\b)|\bburn the (?:house|flat|place) down\b|"
        r"\b{_FEAR} (?:to go|of going) home\b".replace("{_FEAR}", _FEAR),
    ),
    _rule(
        "abuse-or-danger",
        r"\b(?:he|she|partner|my partner|they)\b(?: \w+){0,8} (?:will|would|is going to|going "
        r"to|threatens to|threatened to) (?:take|have) (?:the baby|the kids|her|him|them|my baby)(?: off me| away| "
        r"from me)? (?:and|so|if)\b(?=.*\b(?:never see|unfit|not see|tell|social services|mad|away)\b)|\b(?:say|"
        r"tell (?:them|everyone|people)|report) (?:that )?i am (?:unfit|mad|crazy|a bad mum|an unfit)\b",
    ),
    _rule(
        "abuse-or-danger",
        rf"\b{_ABUSER} (?:\w+ ){{0,8}}(?:threatening|threatened|threatens) to (?:kill|hurt|stab|"
        rf"burn|take|harm|leave with|throw|hit|snatch|run off with|ruin|expose|report)\b(?! (?:the |his |my |her |"
        r"that |a )?(?:telly|tv|remote|phone|controller|xbox|playstation|ps5|laptop|router|towel|dummy|ball|game|"
        r"bins?|toys?|kettle|fridge|console|football)\b)",
    ),
    _rule(
        "abuse-or-danger+third-party",
        rf"\b(?:{_ABUSER}|boyfriend|fella|someone|the woman|the man|the mum|her "
        rf"partner|his partner) (?:\w+ ){{0,2}}(?:hits|hit|hurts|hurt|shakes|shook|slapped|smacked|threw|kicked|"
        rf"punched|hurting|hitting|shaking|burnt|burned|bruised|touches|touched|abuses|abused|beats|beat|is rough "
        r"with|was rough with|leaves|left) (?:the|my|our|her|his|their) (?:little |new )?(?:baby|son|daughter|"
        r"toddler|kids|children|child|brother|sister|boy|girl)\b",
    ),
    _rule(
        "abuse-or-danger+third-party",
        r"\b(?:being abused|beats her|hits her|controls (?:all )?her money|bruises "
        r"on her|covered in bruises|her fella|his temper)\b(?=.*\b(?:friend|sister|mate|she|her|kids|baby)\b)|"
        r"\b(?:kids|children|toddler|baby|they)\b(?: \w+){0,4} (?:covered in|always) (?:\w+ )?bruises\b|"
        r"\b(?:i will|ill) kill you\b(?=.*\b(?:baby|child|kids)\b)|\b(?:leaves|left) (?:her|his|their|the) "
        r"(?:toddler|baby|kids|children|son|daughter) on (?:his|her|their) own\b",
    ),
    _rule(
        "abuse-or-danger+suicidal+third-party",
        r"\bkill (?:himself|herself) if i (?:leave|go|break up|end it|do "
        r"not)\b",
    ),
)
