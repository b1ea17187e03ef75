"""Deterministic safety screen: reads a mother's raw message and returns a risk level and categories.

Pure standard-library Python, so both Rasa's virtualenv and ours can import it. The screen works in three steps:
normalise the text (case, apostrophes, text-speak, stretched letters, common typos), blank out figures of speech,
then match families of phrasings (subject x verb family x object family) with clause-scoped negation and
question-about-a-topic suppression. Earlier messages in the conversation give context to short, final-sounding
messages ("tonight's the night") that are only risky after hopeless ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

LEVELS = ("none", "distress", "crisis")

CATEGORIES = (
    "suicidal",
    "self-harm",
    "overdose-or-injury",
    "harm-to-baby",
    "intrusive-thoughts",
    "psychosis-signs",
    "abuse-or-danger",
    "third-party",
    "distress",
)

_CRISIS_CATEGORIES = frozenset(CATEGORIES) - {"distress"}

# Internal marker for hopeless distress; it counts as distress but also arms the context rules.
_HOPELESS = "hopeless"


@dataclass(frozen=True)
class Screening:
    """The screen's verdict on one message."""

    level: str
    categories: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """Return the JSON-ready form used by the gateway and the CLI."""
        return {"level": self.level, "categories": list(self.categories)}


# --------------------------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"'})

# Laughing emoji mark banter, which the figure-of-speech rules use; other symbols carry nothing we read.
_LAUGH_EMOJI = re.compile("[\U0001f602\U0001f923\U0001f606\U0001f605\U0001f639]")

# Contractions with or without the apostrophe, since mothers typing one-handed at 3am drop them.
_CONTRACTIONS: tuple[tuple[str, str], ...] = (
    (r"\bcan'?t\b|\bcarn'?t\b|\bcnt\b|\bcannae\b|\bcanny\b|\bcan not\b", "cannot"),
    (r"\bwnt to\b", "want to"),
    (r"\bwon'?t\b|\bwnt\b", "will not"),
    (r"\bshan'?t\b", "shall not"),
    (r"\bain'?t\b", "am not"),
    (r"\bdnt\b|\bdinnae\b|\bdont\b|\bdon't\b", "do not"),
    (r"\bdidnae\b|\bdidnt\b|\bdidn't\b", "did not"),
    (
        r"\b(does|is|are|was|were|have|has|had|would|could|should|must|need|might)n'?t\b",
        r"\1 not",
    ),
    (r"\bi'?m\b|\bi ?am\b", "i am"),
    (r"\bi'?ve\b", "i have"),
    (
        r"\bi'll\b|\bill(?= (?:just|be|do|never|go|have|kill|end|take|hurt|try|probably|get|make|call|see|not))",
        "i will",
    ),
    (
        r"\bi'd\b|\bid(?= (?:rather|be|never|just|like|love|kill|do|have|go|take|hurt|probably|feel|want|sooner))",
        "i would",
    ),
    (r"\b(you|they)'?re\b|\b(we)'re\b", r"\1\2 are"),
    (r"\b(you|we|they|she|he|it|everyone|everybody|they|that|who)'d\b", r"\1 would"),
    (r"\b(you|we|they|she|he|it|everyone|that|who)'ll\b", r"\1 will"),
    (r"\b(you|we|they|could|would|should|might|must)'ve\b", r"\1 have"),
    (r"\b(it|that|what|there|tonight|he|she|everything|who|today|this)'?s\b", r"\1 is"),
    (r"\bwhats\b", "what is"),
)

# Text-speak and dialect words mapped to the plain words the rules are written in.
_WORDS: dict[str, str] = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "ya": "you",
    "gonna": "going to",
    "gona": "going to",
    "wanna": "want to",
    "wana": "want to",
    "gotta": "got to",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "bc": "because",
    "bcos": "because",
    "tho": "though",
    "rn": "right now",
    "idk": "i do not know",
    "idc": "i do not care",
    # "not gonna lie" would otherwise read as a negation of what follows it.
    "ngl": "honestly",
    "tbh": "honestly",
    "tbf": "honestly",
    "pls": "please",
    "plz": "please",
    "ppl": "people",
    "nite": "night",
    "tonite": "tonight",
    "2nite": "tonight",
    "2night": "tonight",
    "2moro": "tomorrow",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tomoz": "tomorrow",
    "2day": "today",
    "wiv": "with",
    "wid": "with",
    "nuffin": "nothing",
    "nothin": "nothing",
    "nufin": "nothing",
    "sumthin": "something",
    "summat": "something",
    "evry1": "everyone",
    "every1": "everyone",
    "any1": "anyone",
    "no1": "no one",
    "noone": "no one",
    "some1": "someone",
    "wud": "would",
    "wld": "would",
    "cud": "could",
    "cld": "could",
    "shud": "should",
    "wen": "when",
    "av": "have",
    "ov": "of",
    "b4": "before",
    "cba": "cannot be bothered",
    "mam": "mum",
    "mom": "mum",
    "mommy": "mum",
    "mummy": "mum",
    "bby": "baby",
    "babby": "baby",
    "bubba": "baby",
    "bub": "baby",
    "lil": "little",
    "hubby": "husband",
    "dh": "husband",
    "dp": "partner",
    "bf": "boyfriend",
    "bout": "about",
    "abt": "about",
    "tok": "took",
    "tuk": "took",
    "chokd": "choked",
    "choaked": "choked",
    "strangeled": "strangled",
    "stangled": "strangled",
    "strangld": "strangled",
    "punchd": "punched",
    "slaped": "slapped",
    "slappd": "slapped",
    "kickd": "kicked",
    "battred": "battered",
    "swallowd": "swallowed",
    "swalowed": "swallowed",
    "overdosd": "overdosed",
    "overdoesed": "overdosed",
    "hurtin": "hurting",
    "wna": "want to",
    "myslef": "myself",
    "mysef": "myself",
    "mysel": "myself",
    "meself": "myself",
    "mysen": "myself",
    "mesel": "myself",
    "kms": "kill myself",
    "ctb": "kill myself",
    "kys": "kill myself",
    "jus": "just",
    "sewerslide": "suicide",
    "su1c1de": "suicide",
    "suic1de": "suicide",
    "su1cide": "suicide",
    "sucide": "suicide",
    "suicde": "suicide",
    "suiside": "suicide",
    "suicidel": "suicidal",
    "suicidle": "suicidal",
    "sucidal": "suicidal",
    "suisidal": "suicidal",
    "su1c1dal": "suicidal",
    "selfharm": "self harm",
    "selfharming": "self harming",
    "selfharmed": "self harmed",
    "sh": "self harm",
    "sh'ing": "self harming",
    "od": "overdose",
    "oded": "overdosed",
    "odd'd": "overdosed",
    "wnat": "want",
    "cnat": "cannot",
    "evry": "every",
    "2much": "too much",
    "wan": "want",
    "wuld": "would",
    "beter": "better",
    "gunna": "going to",
    "sed": "said",
    "frend": "friend",
    "bak": "back",
    "neva": "never",
    "havnt": "have not",
    "hvnt": "have not",
    "hed": "head",
    "c": "see",
    "n": "and",
    "b": "be",
    "fr": "",
    "atm": "right now",
    "tooken": "taken",
    "pils": "pills",
    "slef": "self",
    "cutted": "cut",
    "cuttted": "cut",
    "agian": "again",
    "nurofen": "ibuprofen",
    "sh'd": "self harmed",
    "lmao": "lol",
    "lmfao": "lol",
    "haha": "lol",
    "hahaha": "lol",
    "lolol": "lol",
    "pmsl": "lol",
    "amirite": "",
    "omg": "",
    "omfg": "",
    "pj": "",
    "paracetemol": "paracetamol",
    "paracetmol": "paracetamol",
    "tabs": "tablets",
    "tablet": "tablets",
    "pill": "pills",
    "anymore": "anymore",
    "nomore": "no more",
    "wivout": "without",
    "w/o": "without",
    "alot": "a lot",
    "everythin": "everything",
    "tired": "tired",
    "kno": "know",
    "knw": "know",
    "thx": "thanks",
    "ty": "thanks",
}

# Long, distinctive words whose misspellings we repair by edit distance one; short or common words are left out
# because a one-letter change turns them into other real words ("crying" -> "trying").
_TYPO_VOCABULARY = (
    "suicidal",
    "suicide",
    "myself",
    "overdosed",
    "paracetamol",
    "anymore",
    "hopeless",
    "worthless",
    "pointless",
    "intrusive",
    "everyone",
    "everybody",
    "strangle",
    "smother",
    "suffocate",
    "struggling",
    "exhausted",
    "terrified",
    "frightened",
    "horrible",
    "without",
    "thoughts",
    "anything",
    "tablets",
    "nothing",
    "disappear",
    "overwhelmed",
    "depressed",
    "miserable",
    "psychosis",
    "hallucinating",
    "crying",
    "failure",
    "lonely",
    "guilty",
    "terrible",
    "understands",
    "understand",
    "killing",
    "thinking",
    "carrying",
    "better",
    "cutting",
    "again",
    "everything",
    "someone",
    "pushed",
    "trusted",
    "people",
    "because",
    "really",
    "tonight",
    "stopped",
    "scared",
    "longer",
)
# Real words one edit from a vocabulary word: a token near one of these is left alone, never "corrected".
_TYPO_GUARDS = (
    "lovely",
    "batter",
    "butter",
    "bitter",
    "thanking",
    "shared",
    "scarred",
    "snared",
    "spared",
    "stared",
    "sacred",
    "homeless",
    "smoother",
    "shopped",
    "hopeful",
    "started",
    "starred",
    "staring",
    "sharing",
    "starting",
    "stepped",
    "slipped",
    "sobbing",
)


@lru_cache(maxsize=1)
def _typo_index() -> dict[str, str]:
    """Map each vocabulary word and each of its one-letter deletions to the word (symmetric delete)."""
    index: dict[str, str] = {}
    ambiguous: set[str] = set()
    for word in (*_TYPO_VOCABULARY, *_TYPO_GUARDS):
        for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            if variant in index and index[variant] != word:
                ambiguous.add(variant)
            index[variant] = word
    for variant in ambiguous:
        del index[variant]
    return index


def _fix_typo(token: str) -> str:
    """Return the vocabulary word one edit away from token, or token itself."""
    if len(token) < 5 or not token.isalpha():
        return token
    index = _typo_index()
    hit = index.get(token)
    for i in range(len(token)):
        if hit is not None:
            break
        hit = index.get(token[:i] + token[i + 1 :])
    # Typos keep the first and last letters; "letter" is not a misspelt "better", nor "trying" of "crying".
    if hit is None or hit in _TYPO_GUARDS or hit[0] != token[0] or hit[-1] != token[-1]:
        return _restore_g(token)
    return hit


# Real words ending in "-in" that are not a dropped "-ing" ("thinkin" -> "thinking").
_REAL_IN_WORDS = frozenset(
    [
        "again",
        "within",
        "cousin",
        "begin",
        "cabin",
        "basin",
        "robin",
        "muffin",
        "margin",
        "napkin",
        "pumpkin",
        "raisin",
        "violin",
        "dolphin",
        "penguin",
        "latin",
        "satin",
        "toxin",
        "vitamin",
        "insulin",
        "heroin",
        "protein",
        "origin",
        "domain",
        "bargain",
        "captain",
        "certain",
        "curtain",
        "mountain",
        "fountain",
        "britain",
        "sustain",
        "remain",
        "explain",
        "obtain",
        "contain",
        "retain",
        "maintain",
        "complain",
        "chain",
        "brain",
        "drain",
        "train",
        "grain",
        "plain",
        "stain",
        "pain",
        "rain",
        "spain",
        "main",
        "gain",
        "twin",
        "skin",
        "thin",
        "spin",
        "grin",
        "chin",
        "admin",
        "coin",
        "join",
        "ruin",
        "akin",
        "cabin",
        "bobbin",
        "kevin",
        "gavin",
        "colin",
        "martin",
        "justin",
        "dustin",
        "austin",
        "erin",
        "karin",
        "lin",
        "jasmin",
        "aspirin",
        "codein",
        "morphin",
        "olympian",
    ]
)


def _restore_g(token: str) -> str:
    """Restore a dropped final g ("gettin" -> "getting"), which text-speak does constantly."""
    if token.endswith("in") and len(token) >= 5 and token not in _REAL_IN_WORDS and token[-3] not in "aeiou":
        return token + "g"
    return token


_SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    # Spellings of the reflexive and of phrasings that mean "kill myself" in British slang.
    (r"\bmy ?self\b|\bmy sel\b", "myself"),
    (
        r"\b(?:top|topping|topped|off|offing|offed|neck|necking|necked|end|ending) "
        r"(myself|herself|himself|themselves)\b",
        r"kill \1",
    ),
    (r"\b(?:do|doing|did|done) (myself|herself|himself|themselves) in\b", r"kill \1"),
    (r"\bunaliv(?:e|ed|ing) (myself|herself|himself|themselves)\b", r"kill \1"),
    (r"\bunaliv(?:e|ed|ing)\b", "kill myself"),
    (r"\b(?:a|the) hole (packet|box|bottle|strip|pack|lot)\b", r"a whole \1"),
    (r"\bhell (burn|kill|hurt|take|do|go|be)\b", r"he will \1"),
    (r"\b(has|have|he is|she is|i have|hes|shes|ive) bin\b", r"\1 been"),
    (r"\b(want|need|going|have|got|ready|wanna) 2\b", r"\1 to"),
    (r"\b(?:do not|dont) no\b", "do not know"),
    (r"\b(want|wanna|wish|going|ready|need) to dye\b(?! (?:my|her|his|it|the|them))", r"\1 to die"),
    (r"\b(?:wan|want) ?2\b", "want to"),
    (r"\btake myself out\b", "kill myself"),
    (r"\bself[ -]?harm", "self harm"),
    (r"\bs/h\b", "self harm"),
    (r"\bo\.?d'?(?:ed|'d)\b|\bod'd\b", "overdosed"),
    (r"\bo\.d\.?(?= |$)", "overdose"),
    (r"\bwith out\b", "without"),
    (r"\bany more\b", "anymore"),
    (r"\bno ?one\b|\bnobody\b", "no one"),
    (r"\bevery ?one\b|\beverybody\b", "everyone"),
    (r"\bsome ?one\b|\bsomebody\b", "someone"),
    (r"\bwanting\b", "want"),
    (r"\bwanted\b", "want"),
    (r"\bwants\b", "wants"),
    (r"\bpara(?:cetamol|cetemol|cetomol|ceta|s)\b", "paracetamol"),
    (r"\bdo not wanna\b", "do not want to"),
    (r"\b(?:little one|lo|newborn|bubs|babe|babies|baby's|babys|dd\d?|ds\d?)\b", "baby"),
    (r"\bmy oh\b", "my partner"),
    (r"\bsee section\b", "c section"),
    (r"\b(?:husband|boyfriend|fiance|fiancee|other half|babys dad|baby s dad|baby daddy|ex)\b", "partner"),
)


def _collapse_repeats(text: str) -> str:
    """Shrink stretched letters ("soooo", "pleeeease") to two, which every real English word allows."""
    return _REPEATS.sub(r"\1\1", text)


_REPEATS = re.compile(r"([a-z])\1{2,}")
_POSSESSIVE = re.compile(r"'s\b")
_INTRUSIVE_ABBREVIATION = re.compile(r"\bITs\b|\bIT's\b")
_NON_WORD = re.compile(r"[^a-z0-9'.,;:!?\n/ ]+")
_SPACES = re.compile(r"[ \t]+")
_TOKEN = re.compile(r"[a-z0-9'/]+")


@lru_cache(maxsize=1)
def _compiled_substitutions() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compile the contraction and phrase substitutions once."""
    return tuple((re.compile(p), r) for p, r in (*_CONTRACTIONS, *_SUBSTITUTIONS))


def normalise(text: str) -> str:
    """Return the lower-case, canonical spelling of text that the rules are written against."""
    # "ITs" (capitalised) is how perinatal forums abbreviate intrusive thoughts; lower case would lose it.
    text = _INTRUSIVE_ABBREVIATION.sub("intrusive thoughts", text).replace("&", " and ")
    lowered = _LAUGH_EMOJI.sub(" lol ", text.translate(_APOSTROPHES).lower()).replace("a and e", "hospital")
    lowered = _collapse_repeats(_NON_WORD.sub(" ", lowered))
    words = _TOKEN.sub(lambda m: _WORDS.get(m.group(0), _fix_typo(m.group(0))), lowered)
    for pattern, replacement in _compiled_substitutions():
        words = pattern.sub(replacement, words)
    # Any apostrophe left is possessive or stray: "the baby's cot" reads as "the baby cot".
    words = _POSSESSIVE.sub("", words).replace("'", "")
    return _SPACES.sub(" ", words).strip()


# --------------------------------------------------------------------------------------------------------------
# Figures of speech: blanked before matching, so "this teething is killing me" cannot reach a rule.
# --------------------------------------------------------------------------------------------------------------

_FIGURES: tuple[tuple[str, str], ...] = (
    (r"\b(?:is|are|was|were|be|s|keeps|keep) (?:\w+ )?killing me\b", " is hard "),
    (r"\bkilling me (?:softly|slowly|lol)\b", " hard "),
    (r"\b(?:kill|killing|killed) myself laughing\b", " laughing "),
    (
        r"\b(?:could|would|will|gonna|going to) (?:murder|kill|destroy|demolish|eat) (?:a|an|some|the|another) "
        r"(?:\w+ )?(?:coffee|tea|brew|cuppa|wine|gin|pint|beer|curry|pizza|takeaway|kebab|burger|chips|chocolate|"
        r"cake|biscuit|sandwich|bacon|nap|sleep|bath|lie in|drink|glass|bottle|bar|packet|family)\w*",
        " want a treat ",
    ),
    (r"\bkill (?:for|to have) (?:a|an|some|the|\d+)\b", " want "),
    (
        r"\b(?:dying|die|dies) (?:for|to) (?:a|an|some|the|my|get|have|go|know|see|meet|try|sleep|wee|pee|poo|"
        r"hear|tell|nap|cuppa|coffee|tea|bed)\b",
        " want ",
    ),
    (
        r"\b(?:dying|died|die|dead) (?:of|from|with) (?:embarrassment|shame|boredom|cringe|laughter|laughing|"
        r"the heat|heat|thirst|hunger|cuteness|jealousy)\b",
        " cringing ",
    ),
    (r"\bdead (?:tired|beat|on my feet|to the world|exhausted|on our feet)\b|\bdeadbeat\b", " very tired "),
    (r"\b(?:bored|sick|scared|frightened|worried|tired) to death\b", " very worried "),
    (r"\b(?:will|would|gonna|going to) be the death of me\b", " is hard "),
    (r"\bover my dead body\b", " no way "),
    (r"\b(?:kill|shoot) me now\b", " ugh "),
    (r"\bnearly (?:died|had a heart attack)\b|\balmost died laughing\b", " was shocked "),
    (
        r"\b(?:overdose|overdosed|overdosing) on (?:chocolate|caffeine|coffee|sugar|cake|netflix|tv|love|cuteness|"
        r"biscuits|carbs|crisps|snacks|sweets|baby shark|peppa|cbeebies|tea|cheese|nappies|cuddles|hobnobs|"
        r"christmas|box sets|reality tv)\b",
        " ate loads ",
    ),
    (
        r"\bcut (?:myself|my \w+) (?:shaving|chopping|cooking|slicing|on (?:a|the) (?:tin|can|knife|glass|paper|"
        r"lid|grater|razor)|opening|by accident)\b",
        " had a kitchen accident ",
    ),
    (r"\b(?:accidentally|by accident) (?:cut|burnt|burned|hurt) myself\b", " had an accident "),
    (
        r"\b(?:burnt|burned|scalded) myself (?:on|with) (?:the|a|my) \w+"
        r"(?!.*\b(?:on purpose|deliberately|meant to|wanted to|punish\w*|again)\b)",
        " had a kitchen accident ",
    ),
    (
        r"\bhurt myself (?:lifting|carrying|on (?:the|a)|when i (?:fell|slipped|tripped)|falling|getting|doing)\b",
        " had an accident ",
    ),
    (r"\b(?:fell|slipped|tripped)(?: \w+){0,4} and hurt myself\b", " had an accident "),
    (
        r"\bdrowning in (?:washing|laundry|nappies|paperwork|work|bottles|emails|toys|housework|dishes|sick|"
        r"milk|poo|clothes|forms|bills)\b",
        " busy ",
    ),
    (r"\bsuicide (?:squad|mission|blonde|run)\b", " film "),
    (
        r"\b(?:so |that |too )?(?:happy|proud|relieved|grateful|excited|chuffed|emotional|touched)\b(?: \w+){0,3} "
        r"(?:i )?(?:could have|could|nearly|almost|actually|literally) (?:cried|cry|wept|weep|burst into tears)\b",
        " moved ",
    ),
    (
        r"\b(?:strangl|chok|squeez|punch|hit|kick|smother|throttl)\w* (?:the|his|her|a|my|their) (?:\w+ )?(?:teddy|"
        r"toy|doll|bear|balloon|cushion|ball|dog|cat|puppy|kitten)s?\b",
        " played ",
    ),
    (
        r"\b(?:partner|he|she|mum|dad|my mum|my dad) (?:will|is going to|would|is gonna|going to) kill me "
        r"(?:when|if) (?:he|she|they|i) (?:sees?|finds? out|buy|spend|order|get|tell|forget|see|find)\w*",
        " will be cross ",
    ),
    (r"\bkill (?:my )?partner (?:for|when|if)\b", " tell him off "),
    (r"\bending (?:it|things) with (?:him|her|my partner|partner|them)\b", " breaking up "),
    (r"\bend (?:it|things) with (?:him|her|my partner|partner|them)\b", " break up "),
    (r"\bbanging my head (?:against|on|off) a brick wall\b", " getting nowhere "),
    (r"\b(?:would|d) rather die than\b(?=.*\b(?:lol|boring|so boring|class|again)\b)", " would hate to "),
    (r"\b(?:killed|destroyed|broke) me\b(?=.*\b(?:episode|film|advert|programme|show|book|ending)\b)", " moved me "),
    (
        r"\b(?:this|that) is my last (?:message|text) (?=(?:tonight|for (?:today|now|tonight)|off to bed|before bed))",
        " that is all ",
    ),
    (r"\bsaying goodbye to (?!(?:everyone|you|my|the kids|the baby|him|her|them)\b)", " leaving "),
    # Self-harm long past is not a crisis, but it is remembered: if it "has started again" that is one.
    (
        r"\bused to (?:self harm|hurt myself|cut|cut myself|harm myself)\b(?=.*\b(?:fine now|stopped|years ago|"
        r"teenager|"
        r"as a teen|at school|not since|ages ago|proud)\b)(?!.*\b(?:started again|again|relapse\w*|back to|"
        r"since (?:she|he|the baby) was born|recently|lately|this week|last night)\b)",
        " pastselfharm ",
    ),
    (
        r"\b(?:had|history of|family history of) (?:postpartum |postnatal |puerperal )?psychosis\b(?=.*\b(?:after her|"
        r"after his|after my|years ago|at risk|risk|likely|chance)\b)",
        " had an illness ",
    ),
    (r"\bcut (?:his|her|their|the baby) (?:nails?|finger)\b", " trimmed nails "),
    (
        r"\basked (?:me )?(?:if|whether|about) (?:i )?(?:would |had |have |am |was |ever |been |having |any "
        r"|feel |felt )*"
        r"(?:self harm\w*|hurt\w* myself|harm\w* myself|thoughts? (?:of|about) \w+(?: \w+)?|suicidal\w*)",
        " asked a routine question ",
    ),
    (r"\bon a mission to (?:find|get|buy|sort|clean|make)\b", " trying to find "),
    (r"\b(?:little|tiny|inner|small) voice (?:in my head )?(?:saying|telling|says|tells)\b", " i thought "),
    (
        r"\b(?:going (?:mad|crazy|insane)|losing my mind) (?!with (?:exhaustion|tiredness|worry|grief|anxiety|"
        r"it all|everything|lack of sleep|no sleep))(?=(?:trying|with|over|looking|choosing|deciding|waiting|"
        r"because of (?:the|this) (?:pram|car seat|noise)))",
        " frustrated ",
    ),
    (r"\b(?:nipples|boobs|back|feet|body|stitches|hands) (?:are|is) in (?:bits|pieces)\b", " sore "),
    (
        r"\bhappy tears\b|\bcried at (?:the|an|a) (?:\w+ ){0,3}(?:advert|film|episode|programme|wedding|video)\b",
        " moved ",
    ),
    (
        r"\bcannot be bothered (?=with (?:cooking|tea|dinner|the washing|the ironing|cleaning|makeup|going out|"
        r"the gym))",
        " not fussed ",
    ),
    (r"\bcried on day (?:3|three|4|four|5|five)\b", " had a wobble "),
    (r"\bhad a (?:good|little|quick|proper|big) cry\b(?=.*\b(?:better|helped|needed (?:it|that))\b)", " let it out "),
    (
        r"\bcannot do this (?=(?:car|buckle|pram|sling|app|form|seat|puzzle|bottle|zip|thing|stupid|nappy|recipe|"
        r"sudoku|crossword|jigsaw|steriliser|monitor|wrap|carrier|website)\b)",
        " cannot work this ",
    ),
)


@lru_cache(maxsize=1)
def _compiled_figures() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compile the figure-of-speech blanks once."""
    return tuple((re.compile(p), r) for p, r in _FIGURES)


def _blank_figures(text: str) -> str:
    """Replace everyday figures of speech with neutral words."""
    for pattern, replacement in _compiled_figures():
        text = pattern.sub(replacement, text)
    return text


# --------------------------------------------------------------------------------------------------------------
# Word families. Rules combine these: subject x verb family x object family.
# --------------------------------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class _Rule:
    """One family of phrasings that puts a message into a category."""

    category: str
    pattern: re.Pattern[str]
    # Category to report when the phrase is negated in its clause; None means a negated phrase says nothing.
    if_negated: str | None = None
    # Bare topic words ("psychosis", "self harm") are dropped in questions about the topic.
    topic: bool = False
    # Whose risk: a third-person subject turns the disclosure into third-party (plus the category).
    subject_sensitive: bool = True
    # Fires only when someone else is the subject ("better off without her" is said of a friend, or of an ex).
    third_only: bool = False
    # An act described inside a thought ("a picture of my hand over his mouth") is an intrusive thought.
    unless_thought: bool = False
    # How many words before the phrase a negator may stand; thoughts are there even when she "would never".
    negation_window: int = 5


def _rule(
    category: str,
    pattern: str,
    *,
    if_negated: str | None = None,
    topic: bool = False,
    subject: bool = True,
    third_only: bool = False,
    unless_thought: bool = False,
) -> _Rule:
    """Build a rule from a pattern written in the normalised vocabulary; category may join several with "+"."""
    window = 2 if category == "intrusive-thoughts" else 5
    return _Rule(category, re.compile(pattern), if_negated, topic, subject, third_only, unless_thought, window)


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
_ACCIDENT = (
    r"(?:drop|dropping|dropped|fall|falling|fell|roll off|rolling off|trip|tripping|forget (?:him|her|them)|"
    r"leave (?:him|her|them) in the car|slip|slipping)(?! asleep| off to sleep)"
)
_URGE_FRAME = (
    r"(?:want to|wanna|feel like|felt like|feel like i could|felt like i could|urges? to|tempted to|could|might|"
    r"may|am going to|going to|gonna|will|would|am about to|about to|nearly|almost|close to|on the verge of|"
    r"ready to|so close to)"
)
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

# Short, final-sounding messages that are only crisis after earlier risky turns. STRONG ones need any earlier
# hopelessness; WEAK ones ("bye", "i love them") need an earlier suicidal or self-harm disclosure.
_HELP_SEEKING = r"(?! to (?:call|ring|phone|talk|speak|see|get|go to|ask|tell|try|book|text|reach|contact|accept))"
_CONTEXT_STRONG = re.compile(
    rf"\b(?:tonight is the night|tonight s the night|it is (?:tonight|happening)|i am ready\b{_HELP_SEEKING}|"
    rf"(?:made (?:up )?my mind|mind is made up|i have decided|i decided|decision is made|made my decision)"
    rf"{_HELP_SEEKING}|made (?:my )?peace|no turning back|goodbye|i (?:will|am going to|am gonna) (?:do it|go "
    r"through with it)|(?:do|doing) it (?:tonight|today|tomorrow|now|soon)|(?:got|have|counted|lined up|sorted|ready|"
    r"here|next to me|in my hand|in front of me) (?:all )?(?:the |my )?(?:tablets|pills|rope|meds|blades?|razor|"
    rf"knife|paracetamol)|(?:tablets|pills|rope|meds|blades?|knife|paracetamol) (?:are |is )?(?:all )?(?:ready|"
    r"here|counted|lined up|next to me|in my hand|in front of me|sorted)|nothing (?:will|can) stop me|no one (?:can|"
    r"will) stop me|not (?:be|going to be) (?:here|around)|will not be (?:here|around)|i have a plan|i know how|i know"
    r" what i am going to do|it will be quick|(?:driving|going|walking|heading|on my way|sat|sitting|standing) "
    r"(?:to|at|on|by) the (?:bridge|river|sea|station|tracks|woods|cliff|car park|edge|platform)|i have written|"
    r"letters? (?:are )?(?:written|done)|note (?:is )?(?:written|done)|(?:this|it) is (?:my )?(?:last|final)|"
    r"last (?:message|time|night)|one last (?:time|cuddle|look)|soon it will|it will (?:all )?be over|(?:there is|got|"
    r"have) enough (?:now|saved|here|to)|(?:looking|staring|look|stare) at (?:the |my |a )?(?:box|packet|bottle|pack|"
    r"strip|tablets|pills))\b"
)
_CONTEXT_WEAK = re.compile(
    r"\b(?:bye|take care of (?:him|her|them|my|the)|tell (?:him|her|them|my|the) (?:i|that)|sorry for everything|"
    r"i am (?:so )?sorry\b(?! (?:to|for (?:the|asking|bothering|rambling|going on|the essay|the long)))|forgive me|"
    r"thank you for (?:trying|everything)|i love (?:him|her|them|my)|i mean it|i am serious|not joking|i have had "
    r"enough|i am done|it is time\b(?! (?:for|to feed))|this is it|they will be better off|better off|nobody will "
    r"notice|no one will notice|i cannot anymore|i am tired|too tired to fight|i want to|i will|nothing will change)\b"
)
_CONTEXT_DONE = re.compile(
    r"\b(?:i have (?:done|taken) it|i did it|i took (?:them|it|the lot|everything|all)|i have taken (?:them|the "
    r"lot|everything|all)|taken (?:them|it) all|took (?:them|it) all|it is done|done it now|swallowed (?:them|it)|"
    r"i have cut|i cut again|i did it again|i have (?:gone|went) and done it)\b"
)
_CONTEXT_ACT = re.compile(
    r"\b(?:scared|afraid|frightened|terrified|worried|petrified) (?:that )?i (?:will|might|could|would|am going "
    r"to|may) (?:actually |really )?(?:do it|do something|act on (?:it|them|these|the thoughts)|go through with it|"
    r"lose (?:it|control)|snap|follow through|give in)\b|\b(?:what if|i think) i (?:actually |really )?(?:do it|act "
    r"on (?:it|them)|go through with it)\b|\b(?:want|wants|urge|urges|tempted|feel like) (?:i could |i might |to )?"
    r"(?:do it|act on (?:it|them))\b|\bi (?:feel like i )?(?:could|might|will) (?:actually )?(?:do it|act on "
    r"(?:it|them)|do something|go through with it)\b|\b(?:do not|cannot) trust myself\b|\bi (?:nearly|almost) did\b"
)
# Follow-ups that only mean something after an earlier disclosure.
_COMING_BACK = re.compile(
    r"\b(?:started again|started up again|back again|are back|is back|they are back|it is back|again|relapsed|"
    r"cannot make (?:them|it) stop|will not stop|worse)\b"
)
_GRANDIOSE = re.compile(
    r"\b(?:sent to me|for a reason|tell everyone|mission|chosen|special|destiny|meant to|god|the universe|signs?|"
    r"powers?|genius|incredible|amazing|brilliant|everything makes sense)\b"
)
_DANGER_BACK = re.compile(
    r"\b(?:he is|he s|hes|partner is|they are) (?:back|outside|here|at the door|coming|on his way)\b|\b(?:scared|"
    r"terrified|frightened|hiding)\b"
)
_UNREACHABLE = re.compile(
    r"\b(?:not|stopped|is not|has not been) (?:answering|replying|picking up)\b|\bphone (?:is )?(?:off|dead|"
    r"switched off)\b|\b(?:cannot|can not) (?:get hold of|reach|find) her\b|\bno answer\b"
)
_CONTEXT_CONTINUING = re.compile(
    r"\b(?:still|again|every day|every night|all the time|keep|constantly|getting worse|worse|more and more|"
    r"stronger|louder)\b"
)

_NEGATOR = re.compile(
    r"\b(?:not|never|no longer|nor|no way|no|asked (?:me )?(?:if|whether|about))\b(?! (?:sure|know|knowing|even|stop|"
    r"help|just|only|always|certain|that|anymore|really sure|want to lie|gonna lie|going to lie|one|able|longer|"
    r"matter|idea|wonder|doubt|point|reason|future|hope|way out|more|energy|sleep|longer))"
)
# Where a negation's reach ends: a new clause, a contrast, or an added afterthought.
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n,]|\b(?:but|though|although|however|except|yet|and|so|because|then|just|only|still|even so|anyway|"
    r"honestly|sometimes|other times|some days|if)\b"
)
_QUESTION_OPENER = re.compile(
    r"^(?:hi |hello |hiya |hey |please |sorry |quick question |can i ask |just wondering )*(?:what|whats|how|where|"
    r"when|who|which|why|is there|are there|are|can you|could you|do you|does|do|tell me|any|info|information|"
    r"signs|symptoms|difference|define|explain|is|can|should|would|will|i want to know|i would like to know|i was "
    r"wondering|i wondered|looking for|need info|leaflets?|resources)\b"
)
# First-person frames that only ask; they do not disclose anything about her.
_ASKING_FRAMES = re.compile(
    r"\b(?:how (?:do|can|could|would|should|will) i (?!stop|cope|deal|manage|handle|get rid|control|tell)|(?:can|"
    r"could|should|do|would|will) i (?!stop|cope|deal|manage|handle|get rid|control|tell|ever)|i (?:can|could) (?!not)|"
    r"(?:gave|give|given|sent|showed) me (?:a|the|some) (?:leaflet|poster|number|card|info|information|link)|my "
    r"(?:gp|midwife|hv|health visitor|doctor|nurse|baby group|group)|near me|for me|(?:help|show|give|send) "
    r"me|where (?:do|can|could|should) i|who (?:do|can|should) i|if i am (?:worried|concerned) about|"
    r"(?:know|tell) if i (?:have|am|might)|if i "
    r"(?:think|suspect) (?:someone|a friend|my friend|a mum)|what (?:do|can|should)"
    r" i|i (?:want|would like|need) to (?:know|find out|understand|learn|read)|i was wondering|i wondered|i am "
    r"(?:looking|trying to find|asking|curious|interested|reading|writing|studying|a student)|help me (?:understand|"
    r"find)|my (?:midwife|hv|health visitor|gp|doctor|nurse|friend|mum) (?:said|mentioned|told me|talked)|i (?:read|"
    r"heard|saw) (?:about|that|an|a|something|on)|i (?:keep )?(?:hearing|reading) about|tell me|(?:give|send|"
    r"show) me)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|myself|mine)\b")
# Questions of the form "is it normal to ..." are how many mothers disclose; they are never just topic questions.
_DISCLOSING_QUESTION = re.compile(
    r"\b(?:is it normal|is this normal|is that normal|does anyone else|do other (?:mums|mothers|people)|am i the "
    r"only one|anyone else (?:get|have|had)|should i be worried|am i (?:normal|a bad|going mad|crazy|mad)|is it "
    r"bad (?:that|if) i|why (?:does|is) everything|why do i (?:feel|keep|cry)|why can ?not i|will i ever)\b"
)
_LAUGHTER = re.compile(r"\blol\b")
_THIRD_PARTY_REFLEXIVE = re.compile(r"\b(?:herself|himself|themselves|themself)\b")
_ABOUT_HER = re.compile(r"\b(?:without me|than (?:with )?me|if i|when i am|once i am|myself)\b")
# "..., i just want a lie-in": the negated risk was a reassurance, not a hedge.
_REASSURANCE = re.compile(
    r"\b(?:i just (?:want|need|wanted)|just (?:tired|exhausted|knackered|want|need)|do not worry|i am (?:fine|ok|okay)"
    r"|i said no|meant it|i promise|(?:too|so) much to live for|love (?:my|them|him|her) too much)\b"
)
# Words that put a described act inside her head rather than in the room.
_THOUGHT_FRAME = re.compile(
    r"\b(?:thoughts?|images?|pictures?|mental picture|flash|flashes|imagine|imagining|picture|picturing|visuali[sz]e"
    r"|seeing myself|see myself|shows me|showing me|my (?:head|mind|brain)|what if)\b"
)
# Films, books and the news: risk words about other people's stories.
_MEDIA = re.compile(
    r"\b(?:(?:reading|read|watching|watched|listening to|finished) (?:a|the|this|that) (?:\w+ )?(?:book|novel|film|"
    r"series|show|programme|documentary|podcast|drama|play|episode|soap)|main character|the character|"
    r"in the (?:film|book|novel|programme|show|series|episode|documentary|article)|the news said|on the news|"
    r"a (?:novel|film|book|documentary|programme|podcast) about|book club|storyline|soap|turned out|turns out|(?:that|"
    r"the|this) (?:episode|advert|film)|it "
    r"was (?:just )?(?:the|my) (?:tv|radio|telly|neighbours))\b"
)
_DISCLOSURE = re.compile(r"\bi (?:feel|am|want|keep|have been|think i|cannot|do not want)\b")


# --------------------------------------------------------------------------------------------------------------
# Further families: the indirect ways risk is written (arrangements, absence, methods, acts, beliefs, control).
# --------------------------------------------------------------------------------------------------------------

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

# --------------------------------------------------------------------------------------------------------------
# Wider families: euphemisms for dying, conditional threats, reported speech about someone else, and the plain
# words of low mood that the families above leave out.
# --------------------------------------------------------------------------------------------------------------

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


@lru_cache(maxsize=1)
def _all_rules() -> tuple[_Rule, ...]:
    """Every rule, in the order they are tried."""
    return (
        *_SUICIDAL_RULES,
        *_MORE_SUICIDAL_RULES,
        *_SELF_HARM_RULES,
        *_MORE_SELF_HARM_RULES,
        *_OVERDOSE_RULES,
        *_MORE_OVERDOSE_RULES,
        *_HARM_TO_BABY_RULES,
        *_MORE_HARM_TO_BABY_RULES,
        *_INTRUSIVE_RULES,
        *_MORE_INTRUSIVE_RULES,
        *_PSYCHOSIS_RULES,
        *_MORE_PSYCHOSIS_RULES,
        *_ABUSE_RULES,
        *_MORE_ABUSE_RULES,
        *_WIDER_RULES,
        *_DISTRESS_RULES,
        *_MORE_DISTRESS_RULES,
        *_WIDER_DISTRESS_RULES,
    )


# --------------------------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------------------------

_PERSONAL_CATEGORIES = frozenset(
    {"suicidal", "self-harm", "overdose-or-injury", "psychosis-signs", "harm-to-baby", "distress", _HOPELESS}
)


def _clause_start(text: str, position: int) -> int:
    """Return where the clause containing position begins."""
    start = 0
    for brk in _CLAUSE_BREAK.finditer(text, 0, position):
        start = brk.end()
    return start


def _is_negated(text: str, start: int, words: int = 5) -> bool:
    """Whether a negator governs the phrase starting at start (same clause, within a few words)."""
    clause = text[_clause_start(text, start) : start]
    window = " ".join(clause.split()[-words:])
    return _NEGATOR.search(window) is not None


def _affirmed(pattern: re.Pattern[str], text: str) -> bool:
    """Whether pattern occurs somewhere in text without a negation in front of it."""
    return any(not _is_negated(text, match.start()) for match in pattern.finditer(text))


def _subject_is_third_party(
    text: str, start: int, matched: str, anchored: bool = False, mood: bool = False
) -> bool | None:
    """True if someone else is the subject, False if she is, None if a bare pronoun may be the baby."""
    if _THIRD_PARTY_REFLEXIVE.search(matched):
        return True
    own = _SUBJECT.match(matched)
    if (own is not None and own.group("first") is not None) or _ABOUT_HER.search(matched):
        # "i want to ..." or "... better off without me": whoever else is named, the risk is hers.
        return False
    clause = text[_clause_start(text, start) : start]
    last = _last_subject(_SUBJECT.finditer(clause), mood)
    if last is None or (last.group("baby") is not None and not mood):
        # The subject may sit before a clause break ("my sister said that if..."); look back one sentence.
        sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n")
        last = _last_subject(_SUBJECT.finditer(text, sentence_start + 1, start), mood) or last
    if last is None or last.group("first") is not None:
        return False
    if last.group("baby") is not None:
        return None
    if last.group("third") in ("she", "he", "they") and not (anchored or _THIRD_PARTY_ANCHOR.search(text)):
        # A bare "she"/"he" is usually the baby; only a named adult or reported speech makes it someone else.
        return None
    return True


def _last_subject(subjects: Iterable[re.Match[str]], mood: bool) -> re.Match[str] | None:
    """The nearest subject; the baby counts only for her mood ("the baby would be better off without her")."""
    last = None
    baby = None
    for found in subjects:
        if found.group("baby") is not None:
            baby = found
            if mood:
                last = found
            continue
        last = found
    return last if last is not None else baby


def _is_topic_question(text: str) -> bool:
    """Whether the message asks about a topic rather than telling us about herself."""
    if _DISCLOSING_QUESTION.search(text):
        return False
    if not (_QUESTION_OPENER.search(text) or text.rstrip().endswith("?")):
        return False
    return _FIRST_PERSON.search(_ASKING_FRAMES.sub(" ", text)) is None


def _match_rules(text: str, anchored: bool = False) -> set[str]:
    """Return the raw categories (including the internal hopeless marker) that fire on normalised text."""
    found: set[str] = set()
    topic_question: bool | None = None
    reassured = _REASSURANCE.search(text) is not None
    thoughtful = _THOUGHT_FRAME.search(text) is not None
    if _MEDIA.search(text) and not _DISCLOSURE.search(text):
        return found
    for rule in _all_rules():
        for match in rule.pattern.finditer(text):
            # Rules that first look over the whole message mark where the phrase itself starts with (?P<k>).
            start = match.start("k") if "k" in rule.pattern.groupindex else match.start()
            if rule.topic:
                if topic_question is None:
                    topic_question = _is_topic_question(text)
                if topic_question:
                    break
            if _is_negated(text, start, rule.negation_window):
                # "i'm not going to kill myself" still says something; "..., i just want a lie-in" does not.
                if rule.if_negated is not None and not reassured:
                    found.add(rule.if_negated)
                continue
            if rule.unless_thought and thoughtful:
                found.add("intrusive-thoughts")
                break
            categories = rule.category.split("+")
            if rule.subject_sensitive and categories[0] in _PERSONAL_CATEGORIES:
                mood = categories[0] in (_HOPELESS, "distress")
                third = _subject_is_third_party(text, start, text[start : match.end()], anchored, mood)
                if third is None and categories[0] != "psychosis-signs":
                    continue
                if third and categories[0] in (_HOPELESS, "distress"):
                    # Someone else's low mood is not her risk, and not a third-party emergency either.
                    continue
                if third:
                    found.add("third-party")
                elif rule.third_only:
                    continue
            found.update(categories)
            break
    return found


def _mania(text: str) -> bool:
    """No sleep for days together with elation or racing: an early sign of postpartum psychosis."""
    return bool(_MANIA_SLEEPLESS.search(text) and _MANIA_ELATED.search(text))


@lru_cache(maxsize=4096)
def _prepared(text: str) -> str:
    """Normalised text with figures of speech blanked (cached: history turns are read again every turn)."""
    return _blank_figures(normalise(text))


@lru_cache(maxsize=4096)
def _screen_text(text: str) -> frozenset[str]:
    """Raw categories for one message on its own."""
    prepared = _prepared(text)
    found = _match_rules(prepared)
    if _mania(prepared):
        found.add("psychosis-signs")
    if found == {"distress"} and _LAUGHTER.search(prepared):
        # Mild moans with a laugh ("going mad with this pram lol") are banter; hopelessness with a laugh is not.
        found.discard("distress")
    if "intrusive-thoughts" in found and _affirmed(_CONTEXT_ACT, prepared):
        # Fear or urge of acting on the thoughts moves them from intrusive to harm-to-baby.
        found.add("harm-to-baby")
    return frozenset(found)


def _with_history(found: set[str], text: str, history: Sequence[str]) -> set[str]:
    """Add categories that only follow from the earlier turns."""
    earlier: set[str] = set()
    for turn in history:
        earlier |= _screen_text(turn)
    prepared = _prepared(text)
    before = " ".join(_prepared(turn) for turn in history)
    if "pastselfharm" in before and _affirmed(_COMING_BACK, prepared):
        found.add("self-harm")
    if _THIRD_PARTY_ANCHOR.search(before) and not found & _CRISIS_CATEGORIES:
        # "my friend at group..." then "she rolled her sleeves up...": the pronoun is the friend, not the baby.
        found |= _match_rules(prepared, anchored=True)
    if not earlier:
        return found
    if "psychosis-signs" in earlier and _GRANDIOSE.search(prepared):
        found.add("psychosis-signs")
    if "abuse-or-danger" in earlier and _DANGER_BACK.search(prepared):
        found.add("abuse-or-danger")
    if "intrusive-thoughts" in earlier and _COMING_BACK.search(prepared):
        found.add("intrusive-thoughts")
    if {"third-party", "suicidal"} <= earlier and _UNREACHABLE.search(prepared):
        found |= {"third-party", "suicidal"}
    disclosed = earlier & {"suicidal", "self-harm", "overdose-or-injury"}
    hopeless = disclosed or earlier & {_HOPELESS}
    if earlier & {"intrusive-thoughts", "harm-to-baby"} and _affirmed(_CONTEXT_ACT, prepared):
        found.add("harm-to-baby")
    if hopeless:
        own = "self-harm" if "self-harm" in earlier and "suicidal" not in earlier else "suicidal"
        if _affirmed(_CONTEXT_DONE, prepared):
            found.add("overdose-or-injury")
        elif (
            _affirmed(_CONTEXT_STRONG, prepared)
            or _affirmed(_CONTEXT_ACT, prepared)
            or (disclosed and _affirmed(_CONTEXT_WEAK, prepared))
        ):
            found.add(own)
    if (
        disclosed & {"suicidal", "self-harm"}
        and found & {_HOPELESS, "distress"}
        and _CONTEXT_CONTINUING.search(prepared)
    ):
        # Hopelessness that carries on after a disclosure of suicidal thoughts is still that disclosure.
        found.add("suicidal" if "suicidal" in earlier else "self-harm")
    return found


def screen(text: str, history: Sequence[str] = ()) -> Screening:
    """Screen one message, given her earlier messages in this conversation (oldest first)."""
    found = set(_screen_text(text))
    if history:
        found = _with_history(found, text, history)
    if _HOPELESS in found:
        found.discard(_HOPELESS)
        found.add("distress")
    if "harm-to-baby" in found:
        found.discard("intrusive-thoughts")
    crisis = found & _CRISIS_CATEGORIES
    if crisis:
        return Screening("crisis", tuple(sorted(crisis)))
    if "distress" in found:
        return Screening("distress", ("distress",))
    return Screening("none", ())


def forget_cached() -> None:
    """Drop every cached message text, so "delete my data" leaves none of hers in memory."""
    _prepared.cache_clear()
    _screen_text.cache_clear()
