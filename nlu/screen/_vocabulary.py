"""Word families shared by the rules of several categories: subject x verb family x object family.

The baby and pronouns, fear words, drugs and quantities, other people, harm verbs and urge frames, the subject
patterns that decide whose disclosure a phrase is, and _CONTEXT_ACT (fear or urge of acting), which is read both on
one message (intrusive thoughts plus fear of acting are harm to the baby) and after earlier turns.
"""

from __future__ import annotations

import re

_REFLEXIVE = r"(?:myself|herself|himself|themselves|themself|yourself)"
_BABY_NOUN = r"(?:baby|son|daughter|boy|girl|twins|kids|children|child|toddler|newborn|bairn)"
_BABY = rf"(?:(?:the|my|our|this|her|his|your|poor) )?(?:little |own |tiny |poor )?{_BABY_NOUN}"
_PRONOUN = r"(?:him|her|them|it)"
_BABY_OR_PRONOUN = rf"(?:{_BABY}|{_PRONOUN})"
_FEAR = r"(?:scared|afraid|frightened|terrified|worried|petrified|fear|panicking|paranoid|convinced)"
_DRUGS = (
    r"(?:tablets|pills|paracetamol|meds|medication|medicine|sertraline|citalopram|fluoxetine|mirtazapine|"
    r"antidepressants|anti depressants|ibuprofen|codeine|co codamol|cocodamol|tramadol|sleeping tablets|"
    r"sleeping pills|diazepam|painkillers|pain killers|insulin|lithium|quetiapine|propranolol|aspirin|"
    r"morphine|oramorph|iron tablets|nytol|zopiclone|pregabalin|gabapentin|olanzapine|amitriptyline)"
)
_QUANTITY = (
    r"(?:all|all of|all the|a (?:whole|full|load|lot|handful|bunch|box|packet|pack|bottle|strip|tub)(?: of)?|"
    r"the (?:whole|rest|lot|entire)(?: of)?|loads(?: of)?|lots(?: of)?|too many|too much|handfuls(?: of)?|"
    r"every|both|\d{2,}|[1-9] (?:boxes|packets|packs|strips|bottles)|"
    r"(?:ten|eleven|twelve|fifteen|sixteen|twenty|thirty|forty|fifty|hundred)\w*(?: \w+)?|double|triple|"
    r"a (?:few|couple of) (?:boxes|packets|packs|strips))"
)
_THIRD_PARTY_NOUN = (
    r"(?:friend|mate|sister|brother|mum|dad|partner|wife|cousin|colleague|neighbour|aunt|auntie|niece|"
    r"sister in law|best friend|bestie|flatmate|another mum|a mum|one of the mums|girlfriend|step ?mum|"
    r"stepdad|daughter|son|teenager)"
)
# Who is doing it: the nearest subject before a match decides whether a disclosure is hers or someone else's.
_SUBJECT = re.compile(
    rf"\b(?P<baby>(?:my|the|our|this) (?:little )?(?:baby|toddler|twins|newborn))\b|"
    rf"\b(?P<third>(?:my|a|our|her|his) {_THIRD_PARTY_NOUN}|she|he|they)\b|\b(?P<first>i|me|my|myself)\b"
)
_THIRD_PARTY_ANCHOR = re.compile(
    rf"\b(?:my|a|our) {_THIRD_PARTY_NOUN}\b|\b(?:she|he|they) (?:says|said|keeps saying|told me|texted|"
    r"messaged|is talking|was talking|has been talking|talks|thinks|mentioned|is saying|keeps posting|posted|"
    r"rang)\b|\b(?:herself|himself|themselves)\b"
)

# Harm verbs that, said of the baby by a pronoun ("shake her"), still mean the baby; "kill him" usually means a
# partner in a moan, so the strong verbs need the baby named.
_HARM_SOFT = (
    r"(?:hurt|hurting|harm|harming|shake|shaking|shook|smother|smothering|suffocate|suffocating|drown|drowning|"
    r"throw|throwing|threw|choke|choking|squeeze|squeezing|stab|stabbing|snap (?:his|her|its) neck|"
    r"put (?:a|the) pillow over|hold (?:him|her|them) under|do something (?:bad |terrible |awful )?to|"
    r"slap|slapping|smack|smacking|pinch|pinching|batter|battering)"
)
_HARM_STRONG = r"(?:kill|killing|murder|murdering|strangle|strangling|throttle|throttling|hit|hitting|punch|punching)"
_HARM_OBJECT = rf"(?:{_HARM_SOFT} {_BABY_OR_PRONOUN}|{_HARM_STRONG} {_BABY})"

_URGE_FRAME = (
    r"(?:want to|wanna|feel like|felt like|feel like i could|felt like i could|urges? to|tempted to|could|might|"
    r"may|am going to|going to|gonna|will|would|am about to|about to|nearly|almost|close to|on the verge of|"
    r"ready to|so close to)"
)

_CONTEXT_ACT = re.compile(
    r"\b(?:scared|afraid|frightened|terrified|worried|petrified) (?:that )?i (?:will|might|could|would|am going "
    r"to|may) (?:actually |really )?(?:do it|do something|act on (?:it|them|these|the thoughts)|go through with it|"
    r"lose (?:it|control)|snap|follow through|give in)\b|\b(?:what if|i think) i (?:actually |really )?(?:do it|act "
    r"on (?:it|them)|go through with it)\b|\b(?:want|wants|urge|urges|tempted|feel like) (?:i could |i might |to )?"
    r"(?:do it|act on (?:it|them))\b|\bi (?:feel like i )?(?:could|might|will) (?:actually )?(?:do it|act on "
    r"(?:it|them)|do something|go through with it)\b|\b(?:do not|cannot) trust myself\b|\bi (?:nearly|almost) did\b"
)
