"""The safety screen reads families of phrasings the way mothers write them, and leaves everyday talk alone."""

from __future__ import annotations

import pytest

import nlu.screen
from nlu.screen import CATEGORIES, LEVELS, Screening, normalise, screen

SUICIDAL = [
    # explicit
    "i want to kill myself",
    "I'm going to end my life",
    "honestly thinking about suicide a lot lately",
    "i feel suicidal again",
    # passive wishes
    "i wish i could just go to sleep and never wake up",
    "sometimes i pray i don't wake up tomorrow",
    "i wish i'd never been born",
    "i'd rather be dead than feel like this",
    "I don't want to be alive anymore",
    "i dont want to be here any more",
    # better off without me
    "everyone would be better off without me",
    "my kids would be happier if i wasn't around",
    "he'd manage fine without me, they all would",
    "the baby deserves a better mum, she'd be better off with someone else",
    # finality and plans
    "this is goodbye, tell my little girl i loved her",
    "i've written a note for my husband",
    "i've been saving up my sertraline",
    "i have a plan to end it on friday",
    "i won't be around much longer",
    # methods, indirect
    "i keep thinking about walking into the sea",
    "how many paracetamol would it take to not wake up",
    "i think about steering the car into a tree on the way to work",
    # text-speak and typos
    "wanna kms",
    "might just unalive myself tbh",
    "i want to dye, i cant do this",
    "evry1 wud b beter off without me",
    "i just want to top myself",
    "thinking of doing myself in",
    "cant go on",
]

SELF_HARM = [
    "i've started cutting again",
    "i self harm when it gets too much",
    "i keep burning myself with the hair straighteners on purpose",
    "sh again last night",
    "i scratch my arms till they bleed",
    "the urge to cut is so strong tonight",
    "i hit myself when i mess up",
]

OVERDOSE_OR_INJURY = [
    "i've taken all my tablets",
    "i just took 30 paracetamol",
    "i swallowed a whole packet of co-codamol",
    "i overdosed an hour ago",
    "i've od'd",
    "i cut too deep and it won't stop bleeding",
]

HARM_TO_BABY = [
    "i want to hurt him",
    "i feel like i could shake her",
    "i'm scared i'll smother her",
    "when he screams i want to throw him",
    "i shook the baby tonight",
    "i don't trust myself alone with the baby",
    "im so tempted to put a pillow over her face",
]

INTRUSIVE_THOUGHTS = [
    "what if i drop him down the stairs",
    "i keep getting scary thoughts about the baby getting hurt",
    "horrible pictures in my head of her drowning in the bath",
    "i keep imagining stabbing him when im chopping veg, i'd never do it",
    "i get these flashes of throwing her out of the window",
    "is it normal to have scary thoughts about the baby getting hurt?",
    "i would never hurt my baby but i keep getting these thoughts",
]

PSYCHOSIS_SIGNS = [
    "i can hear voices telling me the baby is evil",
    "i know my baby has been swapped at the hospital",
    "the people on the telly are sending me messages",
    "haven't slept for four days and i feel amazing, like i have superpowers",
    "i keep seeing shadows that aren't there",
    "the neighbours are watching me through the walls",
]

ABUSE_OR_DANGER = [
    "my partner hit me last night",
    "he punched me in the stomach while i was pregnant",
    "i'm scared of what he'll do when he gets home",
    "he threatened to kill me if i leave",
    "he won't let me see my friends or have any money",
    "my ex is outside banging on the window",
]

THIRD_PARTY = [
    ("my sister says she wants to kill herself", {"third-party", "suicidal"}),
    ("my friend has taken an overdose", {"third-party", "overdose-or-injury"}),
    ("my best friend keeps saying her kids would be better off without her", {"third-party", "suicidal"}),
    ("my wife is hearing voices and hasn't slept in days", {"third-party", "psychosis-signs"}),
]

DISTRESS = [
    "i'm not coping at all",
    "i can't do this anymore",
    "i cry all the time",
    "i feel like a failure as a mum",
    "i feel so alone",
    "i feel completely numb",
    "i regret having her",
    "i'm struggling so much",
    "everything is too much",
    "i just feel hopeless",
    "i'm in bits",
]

FIGURES_OF_SPEECH = [
    "this teething is killing me",
    "my back is killing me after carrying the car seat",
    "my feet are killing me",
    "i could murder a coffee",
    "dying for a nap",
    "i'm dying for a wee",
    "dying for a cuppa right now",
    "dead tired today",
    "i'd kill for some sleep",
    "my husband will kill me when he sees the amazon parcel",
    "i could kill him for snoring",
    "i cut myself chopping onions lol",
    "i overdosed on chocolate last night",
    "i need to cut down on caffeine",
    "she kicked me in the ribs all night, this bump is a footballer",
]

TOPIC_QUESTIONS = [
    "what is postpartum psychosis?",
    "what are intrusive thoughts?",
    "signs of postpartum psychosis",
    "how do i self refer to talking therapies",
    "is there a suicide prevention charity near me?",
    "what's the number for the domestic abuse helpline?",
    "can you tell me about self harm support for teenagers",
    "is it normal to cry on day 3",
]


def _levels(text: str, history: tuple[str, ...] = ()) -> tuple[str, set[str]]:
    result = screen(text, history)
    return result.level, set(result.categories)


@pytest.mark.parametrize("text", SUICIDAL)
def test_suicidal_phrasings_are_crisis_and_suicidal(text: str) -> None:
    level, categories = _levels(text)
    assert level == "crisis"
    assert "suicidal" in categories


@pytest.mark.parametrize("text", SELF_HARM)
def test_self_harm_phrasings_are_crisis_and_self_harm(text: str) -> None:
    level, categories = _levels(text)
    assert (level, "self-harm" in categories) == ("crisis", True)


@pytest.mark.parametrize("text", OVERDOSE_OR_INJURY)
def test_something_already_taken_or_done_is_overdose_or_injury(text: str) -> None:
    level, categories = _levels(text)
    assert (level, "overdose-or-injury" in categories) == ("crisis", True)


@pytest.mark.parametrize("text", HARM_TO_BABY)
def test_urges_and_fear_of_acting_are_harm_to_baby(text: str) -> None:
    level, categories = _levels(text)
    assert (level, "harm-to-baby" in categories) == ("crisis", True)


@pytest.mark.parametrize("text", INTRUSIVE_THOUGHTS)
def test_unwanted_frightening_thoughts_are_intrusive_thoughts_at_crisis_level(text: str) -> None:
    level, categories = _levels(text)
    assert level == "crisis"
    assert categories == {"intrusive-thoughts"}


@pytest.mark.parametrize("text", PSYCHOSIS_SIGNS)
def test_hallucinations_strange_beliefs_and_sleepless_elation_are_psychosis_signs(text: str) -> None:
    level, categories = _levels(text)
    assert (level, "psychosis-signs" in categories) == ("crisis", True)


@pytest.mark.parametrize("text", ABUSE_OR_DANGER)
def test_violence_threats_and_control_are_abuse_or_danger(text: str) -> None:
    level, categories = _levels(text)
    assert (level, "abuse-or-danger" in categories) == ("crisis", True)


@pytest.mark.parametrize(("text", "expected"), THIRD_PARTY)
def test_someone_else_at_risk_is_third_party_plus_what_they_are_at_risk_of(text: str, expected: set[str]) -> None:
    level, categories = _levels(text)
    assert level == "crisis"
    assert expected <= categories


@pytest.mark.parametrize("text", DISTRESS)
def test_struggling_without_risk_is_distress(text: str) -> None:
    assert screen(text) == Screening("distress", ("distress",))


@pytest.mark.parametrize("text", FIGURES_OF_SPEECH)
def test_everyday_figures_of_speech_are_not_crisis(text: str) -> None:
    assert screen(text).level != "crisis"


@pytest.mark.parametrize("text", FIGURES_OF_SPEECH[:9])
def test_classic_figures_of_speech_are_none(text: str) -> None:
    assert screen(text) == Screening("none", ())


@pytest.mark.parametrize("text", TOPIC_QUESTIONS)
def test_questions_about_a_topic_are_none(text: str) -> None:
    assert screen(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "is it normal that i keep thinking about killing myself?",
        "how do i stop self harming?",
        "what do i do if i want to die?",
        "why do i keep wanting to hurt my baby?",
    ],
)
def test_a_question_can_still_be_a_disclosure(text: str) -> None:
    assert screen(text).level == "crisis"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i'm not suicidal but i think they'd be better off without me", "suicidal"),
        ("I'm not suicidal, but i have been cutting again", "self-harm"),
        ("i don't want to die but i don't want to be here either", "suicidal"),
        ("i'd never hurt her but i keep seeing her fall down the stairs", "intrusive-thoughts"),
    ],
)
def test_what_comes_after_but_still_counts(text: str, category: str) -> None:
    level, categories = _levels(text)
    assert level == "crisis"
    assert category in categories


@pytest.mark.parametrize("text", ["i'm not going to kill myself", "i would never end my life"])
def test_a_bare_denial_of_suicide_is_still_distress(text: str) -> None:
    assert screen(text).level == "distress"


@pytest.mark.parametrize(
    "text",
    [
        "i'm not suicidal, just tired of nappies",
        "don't worry, i don't want to die, i just want a nap",
        "i would never hurt my baby",
        "no thoughts of harming myself, i said no to the midwife and meant it",
    ],
)
def test_a_denial_followed_by_something_harmless_is_not_crisis(text: str) -> None:
    assert screen(text).level != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "i'm scared i'll do it",
        "what if i actually act on them",
        "i feel like i might do it",
    ],
)
def test_fear_of_acting_after_intrusive_thoughts_is_harm_to_baby(text: str) -> None:
    history = ("i keep getting horrible thoughts of drowning him in the bath",)
    level, categories = _levels(text, history)
    assert level == "crisis"
    assert "harm-to-baby" in categories


@pytest.mark.parametrize(
    "text",
    [
        "tonight's the night",
        "i've made up my mind",
        "goodbye",
        "i've got the tablets ready",
        "there's no turning back now",
    ],
)
def test_final_sounding_words_after_hopelessness_are_crisis(text: str) -> None:
    history = ("i can't see the point in anything", "i'm so tired of living")
    level, categories = _levels(text, history)
    assert level == "crisis"
    assert "suicidal" in categories


@pytest.mark.parametrize("text", ["tonight's the night", "i've made up my mind", "goodbye"])
def test_the_same_words_after_an_ordinary_chat_are_none(text: str) -> None:
    history = ("we're choosing a pram", "the grey one or the green one?")
    assert screen(text, history).level == "none"


def test_i_have_done_it_after_talking_about_tablets_is_overdose() -> None:
    history = ("i want to die", "i keep looking at all my tablets")
    level, categories = _levels("i've done it", history)
    assert level == "crisis"
    assert "overdose-or-injury" in categories


def test_help_seeking_after_hopelessness_stays_calm() -> None:
    history = ("i'm not coping",)
    assert screen("i've decided to call my gp tomorrow", history).level != "crisis"


def test_normalise_repairs_apostrophes_text_speak_and_stretched_letters() -> None:
    assert normalise("Im sooooo tired, cant cope rn") == "i am soo tired, cannot cope right now"
    assert normalise("I\u2019ve had enough") == "i have had enough"
    assert "kill myself" in normalise("kms")


def test_screening_as_dict_has_the_gateway_shape() -> None:
    result = screen("i want to die and my partner hits me")
    assert result.as_dict() == {"level": "crisis", "categories": ["abuse-or-danger", "suicidal"], "ask": False}


def test_categories_are_sorted_unique_and_known() -> None:
    result = screen("my sister wants to kill herself and she keeps cutting herself")
    assert list(result.categories) == sorted(set(result.categories))
    assert set(result.categories) <= set(CATEGORIES)
    assert result.level in LEVELS


def test_the_package_exports_exactly_the_public_names() -> None:
    assert sorted(nlu.screen.__all__) == ["CATEGORIES", "LEVELS", "Screening", "forget_cached", "normalise", "screen"]


def test_empty_and_whitespace_messages_are_none() -> None:
    assert screen("") == Screening("none", ())
    assert screen("   \n ") == Screening("none", ())


# Families widened after the fresh probe set (tests/safety/probes.yml): each line is a variant of a family,
# not a sentence from the probes.
WIDER_FAMILIES: list[tuple[str, str]] = [
    ("i'm checking out permanently", "suicidal"),
    ("i'd like to leave this world", "suicidal"),
    ("honestly i long for death", "suicidal"),
    ("my husband would be relieved once i'm gone", "suicidal"),
    ("i might as well be dead", "suicidal"),
    ("i keep picturing walking out in front of a lorry", "suicidal"),
    ("i'm on the verge of ending it", "suicidal"),
    ("been choosing the songs for my funeral", "suicidal"),
    ("i sat on the edge of the bridge for an hour last night", "suicidal"),
    ("i've got four packets of tramadol hidden in case i need them", "suicidal"),
    ("if i died tonight i wouldn't really mind", "suicidal"),
    ("my sister texted me that she's going to kill herself", "third-party"),
    ("how do i cover up my fresh cuts for swimming", "self-harm"),
    ("i smashed my head against the door till it hurt", "self-harm"),
    ("i dig my nails into myself until it bleeds", "self-harm"),
    ("i've drunk most of a bottle of wine on top of my diazepam", "overdose-or-injury"),
    ("i tok a load of tablets", "overdose-or-injury"),
    ("if he doesn't stop crying i swear i'll lose it", "harm-to-baby"),
    ("i nearly strangled her tonight", "harm-to-baby"),
    ("i yelled right in his face and kicked his bouncer across the room", "harm-to-baby"),
    ("i want to choke him when he won't settle", "harm-to-baby"),
    ("someone swapped her when i was asleep on the ward", "psychosis-signs"),
    ("my husband is an impostor", "psychosis-signs"),
    ("they've put cameras in my bedroom", "psychosis-signs"),
    ("awake for 3 days and never felt more creative", "psychosis-signs"),
    ("his hands were round my throat", "abuse-or-danger"),
    ("my oh slapped me", "abuse-or-danger"),
    ("he says if i ever leave he'll find me and hurt me", "abuse-or-danger"),
    ("my cousin's fella beats her", "third-party"),
]

WIDER_LOOK_ALIKES = [
    "she choked her teddy in a big cuddle",
    "the monitor picked up voices, it was just the neighbours",
    "reading a novel where the heroine dies, sobbed at the end",
    "i'd be glad if i was gone from that office for good",
    "we're leaving the world of night feeds behind",
    "i took the whole box of chocolates to bed",
    "he won't let me leave the room without crying",
    "i held her hands round her bottle to help her feed",
    "my partner threatened to throw the remote if the match went to extra time",
    "so proud i could have cried at her nativity",
]


@pytest.mark.parametrize(("text", "category"), WIDER_FAMILIES)
def test_wider_families_are_crisis_with_their_category(text: str, category: str) -> None:
    result = screen(text)
    assert result.level == "crisis", result
    assert category in result.categories, result


@pytest.mark.parametrize("text", WIDER_LOOK_ALIKES)
def test_look_alikes_of_the_wider_families_are_not_crisis(text: str) -> None:
    assert screen(text).level != "crisis"
