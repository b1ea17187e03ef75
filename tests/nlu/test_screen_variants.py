"""The screen reads a message the same when it is typed with a line break, invisible characters, full-width letters
or a one-letter typo, and ordinary messages written the same way stay ordinary."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlu.screen import normalise, screen

# Crisis messages, each with the categories the plain message screens as.
CRISIS: list[tuple[str, tuple[str, ...]]] = [
    ("i want to end my life", ("suicidal",)),
    ("i want to kill myself tonight", ("suicidal",)),
    ("everyone would be better off without me", ("suicidal",)),
    ("i just took 30 paracetamol", ("overdose-or-injury",)),
    ("i keep cutting myself", ("self-harm",)),
    ("i want to hurt my baby", ("harm-to-baby",)),
    ("my partner hit me last night", ("abuse-or-danger",)),
    ("i hear voices telling me the baby is evil", ("psychosis-signs",)),
    ("my sister says she wants to kill herself", ("suicidal", "third-party")),
]

# Ordinary messages that use the same risk words in harmless ways.
ORDINARY = [
    "this teething is killing me",
    "i could murder a coffee",
    "dying for a nap",
    "i cut myself shaving",
    "i overdosed on chocolate last night",
    "what is postpartum psychosis?",
    "dead tired but happy",
    "my back is killing me after carrying the car seat",
]

# Characters that render as nothing: zero-width space, non-joiner and joiner, word joiner, byte-order mark, soft
# hyphen, and two more format characters (left-to-right mark, invisible separator).
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u2063"]


def _spaces(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch == " "]


def _with_breaks(text: str) -> list[str]:
    """text with each one of its spaces in turn made a line break (plain, Windows, and before a capital)."""
    variants = []
    for i in _spaces(text):
        before, after = text[:i], text[i + 1 :]
        variants += [f"{before}\n{after}", f"{before}\r\n{after}", f"{before} \n{after[:1].upper()}{after[1:]}"]
    return variants


def _with_invisible(text: str, mark: str) -> str:
    """text with mark inside every word of two letters or more, after its first letter."""
    return " ".join(word[0] + mark + word[1:] if len(word) > 1 else word for word in text.split(" "))


def _full_width(text: str) -> str:
    """text in full-width forms (U+FF01 to U+FF5E, and the ideographic space)."""
    return "".join("\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _maths_bold(text: str) -> str:
    """text in mathematical bold letters (U+1D41A onwards), another compatibility form."""
    return "".join(chr(0x1D41A + ord(ch) - ord("a")) if "a" <= ch <= "z" else ch for ch in text)


@pytest.mark.parametrize(("text", "categories"), CRISIS)
def test_a_line_break_inside_the_sentence_reads_as_a_space(text: str, categories: tuple[str, ...]) -> None:
    assert screen(text).categories == categories
    for variant in _with_breaks(text):
        result = screen(variant)
        assert (result.level, result.categories) == ("crisis", categories), repr(variant)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_broken_over_lines_stay_ordinary(text: str) -> None:
    assert screen(text).level == "none"
    for variant in _with_breaks(text):
        assert screen(variant).level == "none", repr(variant)


def test_blank_lines_and_finished_sentences_still_separate() -> None:
    assert normalise("i want to die.\nthe baby is asleep") == "i want to die.\nthe baby is asleep"
    assert normalise("i want to die!\nThe baby is asleep") == "i want to die!\nthe baby is asleep"
    assert normalise("i am fine\n\nreally") == "i am fine\n\nreally"
    assert normalise("i want to end\nmy life") == "i want to end my life"
    assert normalise("i want to end\u2028my life") == "i want to end my life"


@pytest.mark.parametrize("mark", INVISIBLE)
@pytest.mark.parametrize(("text", "categories"), CRISIS)
def test_invisible_characters_inside_words_are_ignored(text: str, categories: tuple[str, ...], mark: str) -> None:
    variant = _with_invisible(text, mark)
    assert normalise(variant) == normalise(text)
    assert screen(variant).categories == categories


@pytest.mark.parametrize("mark", INVISIBLE)
@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_with_invisible_characters_stay_ordinary(text: str, mark: str) -> None:
    assert screen(_with_invisible(text, mark)).level == "none"


@pytest.mark.parametrize("form", [_full_width, _maths_bold])
@pytest.mark.parametrize(("text", "categories"), CRISIS)
def test_full_width_and_other_compatibility_letters_read_as_plain(
    text: str, categories: tuple[str, ...], form: Callable[[str], str]
) -> None:
    variant = form(text)
    assert variant != text
    assert screen(variant).categories == categories


@pytest.mark.parametrize("form", [_full_width, _maths_bold])
@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_in_full_width_stay_ordinary(text: str, form: Callable[[str], str]) -> None:
    assert screen(form(text)).level == "none"


def test_full_width_its_still_means_intrusive_thoughts() -> None:
    assert screen("\uff29\uff34s are getting worse").categories == ("intrusive-thoughts",)


# (message, a risk word in it): every one-letter slip inside the word (a letter left out, or two neighbours
# swapped, the last two included) screens as the message does.
TYPO_TARGETS = [
    ("i want to kill myself", "kill"),
    ("i want to kill myself", "myself"),
    ("i want to end my life", "life"),
    ("i keep thinking about suicide", "suicide"),
    ("i have taken an overdose", "overdose"),
    ("i took 30 paracetamol", "paracetamol"),
    ("i have taken all my tablets", "tablets"),
    ("i keep cutting myself", "cutting"),
    ("i want to hurt my baby", "hurt"),
    ("i want to hurt my baby", "baby"),
    ("i hear voices telling me to hurt her", "voices"),
    ("he choked me", "choked"),
    ("i wish i was dead", "dead"),
    ("i do not want to be alive anymore", "alive"),
    ("i keep thinking i will drown him in the bath", "drown"),
]
# Slips that spell another real word are left alone on purpose: "lie" is not a misspelt "life", nor "dad" of "dead".
REAL_WORDS = {"lie", "lief", "hut", "hrt", "bay", "vices", "coked", "dad", "down", "tables"}


def _slips(word: str) -> list[str]:
    """word with one inner letter left out, or two neighbouring letters swapped (the last two included)."""
    dropped = [word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)]
    swapped = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)]
    return sorted({*dropped, *swapped} - {word} - REAL_WORDS)


TYPOS = [(text, word, typo) for text, word in TYPO_TARGETS for typo in _slips(word)]


@pytest.mark.parametrize(("text", "word", "typo"), TYPOS)
def test_one_letter_typos_of_risk_words_screen_as_the_plain_message(text: str, word: str, typo: str) -> None:
    plain = screen(text)
    assert plain.level == "crisis"
    assert screen(text.replace(word, typo, 1)) == plain


@pytest.mark.parametrize(
    ("typo", "plain"),
    [
        ("i want to kil myself", "i want to kill myself"),
        ("i want to end my lfe", "i want to end my life"),
        ("thinking about suicdie every day", "thinking about suicide every day"),
        ("i want to kill mysefl", "i want to kill myself"),
        ("i took an overdsoe last night", "i took an overdose last night"),
        ("i took an overdoes", "i took an overdose"),
        ("i want to dei", "i want to die"),
        ("i want to hurt my bbay", "i want to hurt my baby"),
        ("i keep cuttign myself", "i keep cutting myself"),
        ("he strnagled me", "he strangled me"),
        ("i hear vocies telling me to hurt her", "i hear voices telling me to hurt her"),
        ("i wish i was ded", "i wish i was dead"),
        ("i dont want to be aliev anymore", "i dont want to be alive anymore"),
    ],
)
def test_typos_of_risk_words_are_repaired(typo: str, plain: str) -> None:
    assert screen(plain).level == "crisis"
    assert normalise(typo) == normalise(plain)
    assert screen(typo) == screen(plain)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("he overdoes it at the gym", "overdoes"),
        ("she always overdoes the salt", "overdoes"),
        ("i like my life", "like"),
        ("the line at the pharmacy was so long", "line"),
        ("i love my wife", "wife"),
        ("my dad is coming round later", "dad"),
        ("i want to dye my hair", "dye"),
        ("the baby is due next week", "due"),
        ("we went down to the shops", "down"),
        ("i had lie in today", "lie"),
        ("we live with my mum", "live"),
        ("that is a strange one", "strange"),
        ("i am caring for my mum and the baby", "caring"),
        ("my partner cooked tea", "cooked"),
        ("i scaled back my hours", "scaled"),
        ("we need new tables for the kitchen", "tables"),
        ("we started hrt after the birth", "hrt"),
        ("she loves the bay at the beach", "bay"),
    ],
)
def test_real_words_next_to_risk_words_are_not_repaired(text: str, word: str) -> None:
    assert word in normalise(text).split()
    assert screen(text).level == "none"


def test_history_is_read_with_the_same_repairs() -> None:
    history = ("i can\u200bt see the point in anything", "i'm so tired of living")
    assert screen("tonight's\nthe night", history).categories == ("suicidal",)
    assert screen("i've got the tab\u00adlets ready", history).categories == ("suicidal",)
