"""Normalisation: the lower-case, canonical spelling of a message that every rule is written against.

Holds the Unicode clean-up (invisible characters such as zero-width spaces and soft hyphens dropped, full-width
letters and other compatibility forms folded by NFKC), line breaks inside a sentence read as spaces, the apostrophe
and emoji handling, contractions, the text-speak and dialect word table, the typo repair (one slip from a word of
_TYPO_VOCABULARY, found by symmetric delete, with _TYPO_GUARDS as real words that are never "corrected"), the dropped
final "g", the phrase substitutions (slang for "kill myself", "the baby", "partner"...), and normalise() itself.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that render as nothing and can hide inside a word ("k\u200bill"): every format character (Unicode
# category Cf: zero-width space and joiners, soft hyphen, word joiner, byte-order mark, direction marks), dropped by
# category, and these, which are invisible too: variation selectors, the combining grapheme joiner, Hangul fillers.
_INVISIBLE = re.compile(r"[\u034f\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Every way of ending a line becomes a newline; a paragraph separator (U+2029) is a blank line.
_LINE_END = re.compile(r"\r\n?|[\v\f\x1c-\x1e\x85\u2028]")
_PARAGRAPH_END = "\u2029"
# A line break inside a sentence reads as a space: the line does not end with . ! ? (perhaps followed by a closing
# quote or bracket) and the next line has text. Blank lines and breaks after a finished sentence still separate.
_SOFT_LINE_BREAK = re.compile(r"(?<![.!?\s])(?<![.!?][\"'\u2019\u201d)\]])[ \t]*\n[ \t]*(?=\S)")


def _visible(text: str) -> str:
    """Drop invisible characters and fold compatibility forms (full-width letters, ligatures) with NFKC."""
    if text.isascii():
        return text
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))


def _join_lines(text: str) -> str:
    """Read a line break in the middle of a sentence ("i want to end", then "my life") as a space."""
    text = _LINE_END.sub("\n", text.replace(_PARAGRAPH_END, "\n\n"))
    return _SOFT_LINE_BREAK.sub(" ", text)


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

# Words the rules look for, whose misspellings we repair when a token is one slip away from exactly one of them: a
# letter left out ("kil"), added, or changed, or two neighbouring letters swapped ("suicdie"). Typos keep the first
# letter, and the last one unless the last two are swapped ("mysefl"): "letter" is not a misspelt "better", nor
# "trying" of "crying", nor "kills" of "kill". Real words one slip from one of these are in _TYPO_GUARDS.
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
    # Short risk words too: their real-word neighbours ("like", "line" and "lie" of "life") are in the guards.
    "kill",
    "killed",
    "life",
    "die",
    "dead",
    "alive",
    "exist",
    "overdose",
    "pills",
    "hurt",
    "harm",
    "self",
    "baby",
    "drown",
    "drowning",
    "hanging",
    "stab",
    "stabbing",
    "bleeding",
    "blade",
    "bridge",
    "goodbye",
    "voices",
    "choked",
    "punched",
    "kicked",
    "strangled",
    "threatened",
)
# Real words one slip from a vocabulary word, which are never "corrected" into it (a token that is itself a guard
# or vocabulary word is left as it is).
_TYPO_GUARDS: tuple[str, ...] = (
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
    # Every other word of the standard British English word list (Debian's wbritish-large) that would otherwise be
    # turned into a vocabulary word, by the word it is one slip from ("psychoses" is left out: the plural reads the
    # same), and "hrt", the hormone treatment, which the list does not have.
    *" ".join(
        (
            "straggle strange",  # strangle
            "soother",  # smother
            "straggling",  # struggling
            "tables",  # tablets
            "northing noshing notching noting",  # nothing
            "kilning kipling",  # killing
            "thinning",  # thinking
            "currying",  # carrying
            "beater bettor",  # better
            "catting",  # cutting
            "amain",  # again
            "trussed trysted",  # trusted
            "rally realty regally reilly",  # really
            "stomped stooped stoppled stropped slopped sopped swopped",  # stopped
            "scaled scored scarfed scarped seared soared",  # scared
            "langer linger lodger logger loner lounger lunger",  # longer
            "kiel krill",  # kill
            "kilned kilted",  # killed
            "lice lief like lime line lire lite lie live",  # life
            "dee dice dike dime dine dire dive doe due dye",  # die
            "dad decd deed dread duad dyad",  # dead
            "alice alike aline",  # alive
            "exit exits",  # exist
            "overdoes overdone",  # overdose
            "palls piles polls pulls",  # pills
            "hort hunt hurst hut hart hrt",  # hurt
            "haem halm ham hamm harem herm",  # harm
            "serf shelf",  # self
            "baky bay",  # baby
            "down drawn",  # drown
            "downing droning drowsing",  # drowning
            "handing hinging",  # hanging
            "saab sab stob stub swab scab slab",  # stab
            "scabbing slabbing stabling stubbing swabbing",  # stabbing
            "bleeping blending breeding",  # bleeding
            "bade blake blame blare blate blaze",  # blade
            "bride bridle",  # bridge
            "vices",  # voices
            "chocked chowed coked cooked",  # choked
            "pinched",  # punched
            "kinked",  # kicked
            "straggled",  # strangled
        )
    ).split(),
)


@lru_cache(maxsize=1)
def _typo_index() -> dict[str, frozenset[str]]:
    """Map each vocabulary word, and each of its one-letter deletions, to the words it comes from (symmetric delete)."""
    index: dict[str, set[str]] = {}
    for word in _TYPO_VOCABULARY:
        for variant in {word, *_deletions(word)}:
            index.setdefault(variant, set()).add(word)
    return {variant: frozenset(words) for variant, words in index.items()}


@lru_cache(maxsize=1)
def _typo_known() -> frozenset[str]:
    """The vocabulary and guard words themselves, which are never changed."""
    return frozenset((*_TYPO_VOCABULARY, *_TYPO_GUARDS))


@lru_cache(maxsize=1)
def _typo_shapes() -> frozenset[tuple[str, int]]:
    """First letter and length of every token that could be one slip from a vocabulary word (a quick rejection)."""
    return frozenset((word[0], len(word) + change) for word in _TYPO_VOCABULARY for change in (-1, 0, 1))


def _deletions(word: str) -> list[str]:
    """word with each one of its letters left out."""
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _one_slip(token: str, word: str) -> bool:
    """Whether token is word with one letter dropped, added or changed, or two neighbouring letters swapped."""
    if len(token) == len(word):
        differ = [i for i, (a, b) in enumerate(zip(token, word, strict=True)) if a != b]
        if len(differ) == 1:
            return True
        return (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and token[differ[0]] == word[differ[1]]
            and token[differ[1]] == word[differ[0]]
        )
    longer, shorter = (token, word) if len(token) > len(word) else (word, token)
    return len(longer) == len(shorter) + 1 and shorter in _deletions(longer)


def _keeps_ends(token: str, word: str) -> bool:
    """Whether token keeps word's first letter, and its last one unless only the last two letters are swapped."""
    if token[0] != word[0]:
        return False
    return token[-1] == word[-1] or (len(token) == len(word) and token[-2:] == word[:-3:-1])


def _fix_typo(token: str) -> str:
    """Return the vocabulary word one slip away from token, or token itself (with a dropped g restored)."""
    if len(token) < 3 or not token.isalpha():
        return token
    if token in _typo_known() or (token[0], len(token)) not in _typo_shapes():
        return _restore_g(token)
    # The symmetric delete finds every word one slip away: they share the token or one of its deletions as a key.
    index = _typo_index()
    near = {
        word
        for key in (token, *_deletions(token))
        for word in index.get(key, ())
        if _keeps_ends(token, word) and _one_slip(token, word)
    }
    # One slip from two vocabulary words ("carying": crying or carrying?), it is left alone.
    return next(iter(near)) if len(near) == 1 else _restore_g(token)


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
    # "overdoes" is a real word ("he overdoes it"), so the typo step leaves it; after "an" it can only be a typo.
    (r"\b(an|another) overdoes\b", r"\1 overdose"),
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
    text = _join_lines(_visible(text))
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
