"""Self-harm rules: cutting, burning, hitting herself and hidden injuries, now or started again.

_SELF_HARM_RULES are the direct phrasings, _MORE_SELF_HARM_RULES the indirect ones (walls punched, things pressed
into the skin, pain as the only way to cope, punishing herself).
"""

from __future__ import annotations

from nlu.screen._rule import _Rule, _rule

_SELF_HARM_RULES: tuple[_Rule, ...] = (
    _rule("self-harm", r"\bself harm\w*\b|\bself injur\w*\b|\bself mutilat\w*\b", topic=True),
    _rule(
        "self-harm",
        r"\b(?:cut|cutting|cuts|burn|burning|burnt|burned|scratch|scratching|scratched|hit|"
        r"hitting|hits|punch|punching|punched|bite|biting|bit|harm|harming|harmed|hurt|hurting|hurts|pinch|"
        r"pinching|bash|bashing|bang|banging|beat|beating|slap|slapping|slapped|starve|starving|punish|"
        r"punishing|carve|carving|carved|bruise|bruising) (?:myself|herself|himself|themselves|yourself)\b",
        if_negated="distress",
    ),
    _rule(
        "self-harm",
        r"\b(?:cut|cutting|cuts|burn|burning|burnt|burned|scratch|scratching|scratched|carve|"
        r"carving|slash|slashing) (?:my|into my|her|his) (?:arms?|wrists?|legs?|thighs?|skin|stomach|tummy|"
        r"hips?|hands?|body)\b(?! (?:on|while|when|shaving|by accident))",
        if_negated="distress",
    ),
    _rule(
        "self-harm",
        r"\b(?:urges?|urge|want|wanting|tempted|craving|itching|need) to (?:cut(?! down| back| out| up| the|"
        r" his| her| it| off| my)|burn(?! off| the| it)|self harm|"
        r"harm myself|hurt myself|scratch|bleed|feel pain)\b",
        if_negated="distress",
    ),
    _rule(
        "self-harm",
        r"\b(?:razors?|blades?|sharpener blade)\b(?=.*\b(?:hid|hidden|hide|hiding|stash|got out|"
        r"holding|looking at|pressed|took out|bought|arms?|wrists?|legs?|thighs?|skin|relapse|clean)\b)",
    ),
    _rule(
        "self-harm",
        r"\b(?:until|till|til|so) (?:i|it|they|my \w+) (?:bleed|bleeds|bled|bleeding|bruise|"
        r"bruises|bruised|hurt|hurts)\b(?=.*\b(?:myself|my (?:arms?|legs?|skin|head|wrists?)|scratch|cut|"
        r"hit|punch|pinch|bang)\w*)|\bmake myself bleed\b",
    ),
    _rule(
        "self-harm",
        r"\b(?:bang|banging|banged|hit|hitting|bash|bashing|bashed|smash|smashing|smashed|slam|slamming|slammed) "
        r"my head (?:against|on|off|into) (?:the )?"
        r"(?:wall|floor|door|table)\b",
    ),
    _rule("self-harm", r"\b(?:deserve|deserves) (?:to (?:be hurt|feel pain|suffer|be punished|bleed)|pain)\b"),
    _rule(
        "self-harm",
        r"\b(?:relapsed|relapse|relapsing)\b(?=.*\b(?:cut|cutting|self harm|blade|scars?|"
        r"clean)\b)|\b(?:months|weeks|years|days) clean\b(?=.*\b(?:cut|self harm|blade)\w*)",
    ),
)

_MORE_SELF_HARM_RULES: tuple[_Rule, ...] = (
    _rule(
        "self-harm",
        r"\b(?:punch\w*|hit|hitting|smash\w*|bang\w*) (?:the |a )?(?:wall|walls|door|mirror)\b"
        r"(?: \w+){0,3} (?:till|until|so hard|and (?:it|my))\b",
    ),
    _rule(
        "self-harm",
        r"\b(?:dig|digging|dug|press|pressing|pressed|stub|stubbing|stubbed|hold|holding|held|scrape|"
        r"scraping|scraped) (?:my |a |the )?(?:nails|lighter|cigarette|fag|hot|ice|needle|pin|compass|scissors|"
        r"key|keys)\w* (?:\w+ )?(?:into|onto|against|on|across) (?:my|her|his) (?:wrists?|arms?|skin|legs?|"
        r"thighs?|hands?|stomach)\b",
    ),
    _rule(
        "self-harm",
        r"\b(?:only|the) (?:thing|way) (?:that )?(?:helps|works|i can cope)(?: \w+){0,2} (?:is|are) "
        r"(?:the )?(?:pain|hurting myself|cutting|hurting|burning)\b|\b(?:deserve|deserves) to hurt\b|\bmake "
        r"myself (?:hurt|bleed|bruise|suffer)\b|\bwant to feel (?:the )?pain\b",
    ),
    _rule(
        "self-harm",
        r"\bpunish\w*\b(?=.*\bon purpose\b)|\bon purpose\b(?=.*\bpunish)|\bpunishing myself\b|"
        r"\bstarv\w* myself\b",
    ),
    _rule(
        "self-harm",
        r"\b(?:old habit|habit)\b(?=.*\b(?:razor|blade|cut|cutting|burn|scars?)\b)|\b(?:razor|"
        r"blade)s?\b(?=.*\b(?:habit|again|back|arms?|legs?|thighs?)\b)",
    ),
    _rule(
        "self-harm",
        r"\bwhat i (?:have|had) done to (?:my|her|his) (?:arms?|legs?|wrists?|skin|body|thighs?)\b|"
        r"\b(?:marks|scars|cuts|burns|bruises) (?:all )?(?:up|on|over|across|down) (?:my|her|his) (?:arms?|legs?|"
        r"wrists?|thighs?|stomach)\b|\b(?:covered in|fresh|new) cuts\b",
    ),
    _rule(
        "self-harm",
        r"\b(?:been|started|start|keep|kept|back to|went back to|gone back to) (?:cutting|burning|"
        r"scratching)\b(?! (?:back|down|out|up|the|his|her|my (?:hair|nails)|it|carbs|sugar|caffeine|onions|veg|"
        r"food|corners|costs|wheat|dairy))|\bcut (?:a bit|a little|again|deeper|too deep|last night|tonight)\b",
    ),
    _rule(
        "self-harm",
        r"\b(?:dressings|plasters|steri strips|bandages|blades|razors)\b(?: \w+){0,8} (?:hidden|hide|"
        r"under the bed|nobody knows|no one knows|secret|stash\w*|for after|in case)\b",
    ),
    _rule(
        "self-harm",
        r"\b(?:giving|give|gave|doing|do|did|done|been doing) myself (?:a )?(?:\w+ )?(?:battering|"
        r"beating|harm|damage|bruises|a kicking)\b|\btaking it out on myself\b",
    ),
    _rule(
        "self-harm+overdose-or-injury",
        r"\b(?:threw|thrown|throw) myself\b.*\bon purpose\b|\b(?:stabbed|cut|"
        r"slashed|burnt|burned|hit) (?:myself|my (?:leg|legs|arm|arms|hand|wrist|wrists|thigh|thighs|stomach))\b"
        r"(?: \w+){0,8} (?:bleeding|blood|stitches|deep|broken)\b",
    ),
    _rule(
        "self-harm+overdose-or-injury",
        r"\b(?:cut|cuts|cutting) (?:\w+ ){0,4}(?:too deep|really deep|so deep|"
        r"very deep|deep this time|will not stop bleeding|need stitches|needs stitches)\b|\bi cut (?:it|myself|my "
        r"\w+) and (?:it|i) (?:will not|cannot|can not) (?:stop|make it stop)\b",
    ),
)
