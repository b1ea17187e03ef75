"""Crisis replies: right routes for the situation and the nation, in order, one message, numbers only from data."""

from __future__ import annotations

import re

import pytest

from bot.answers.nations import NATIONS
from bot.contacts import Contacts
from bot.crisis import PRECEDENCE, crisis_reply, footer, unavailable_reply
from nlu.screen import CATEGORIES, Screening

CRISIS_CATEGORIES = [c for c in CATEGORIES if c != "distress"]


def reply_for(contacts: Contacts, *categories: str, nation: str = "england") -> str:
    return crisis_reply(Screening("crisis", tuple(sorted(categories))), contacts, nation).text


def numbers_in(text: str) -> set[str]:
    return {re.sub(r"\D", "", n) for n in re.findall(r"(?<![\d,])\d(?:[ -]?\d){2,}", text)}


def every_reply(contacts: Contacts) -> list[str]:
    texts = [reply_for(contacts, c, nation=n) for c in CRISIS_CATEGORIES for n in NATIONS]
    texts += [unavailable_reply(contacts, n).text for n in NATIONS] + [footer(contacts, n) for n in NATIONS]
    return texts


def test_every_crisis_category_has_its_own_reply() -> None:
    assert {category for category, _ in PRECEDENCE} == set(CRISIS_CATEGORIES)


@pytest.mark.parametrize("category", CRISIS_CATEGORIES)
@pytest.mark.parametrize("nation", NATIONS)
def test_crisis_replies_are_one_message_under_1000_characters(contacts: Contacts, category: str, nation: str) -> None:
    reply = crisis_reply(Screening("crisis", (category,)), contacts, nation)
    assert len(reply.text) < 1000, f"{category}/{nation}: {len(reply.text)} characters"
    assert reply.kind == "crisis"
    # The offer of a peer supporter is a message of its own after this one, so the routes are never cut short.
    assert reply.buttons == ()
    assert "free and always open" in reply.text


def test_no_reply_contains_a_number_that_is_not_in_the_contacts_data(contacts: Contacts) -> None:
    for text in every_reply(contacts):
        unknown = numbers_in(text) - contacts.all_numbers
        assert not unknown, f"numbers not in the data: {unknown}\n{text}"
        assert not numbers_in(text) & contacts.retired


def test_no_reply_uses_harmful_or_judgemental_words(contacts: Contacts) -> None:
    for text in every_reply(contacts):
        lowered = text.lower()
        for phrase in ("commit suicide", "selfish", "attention", "calm down", "don't be silly", "overreacting"):
            assert phrase not in lowered


def test_suicidal_thoughts_get_999_first_then_111_samaritans_and_shout(contacts: Contacts) -> None:
    text = reply_for(contacts, "suicidal")
    order = [text.index(contacts[i].line()) for i in ("emergency", "nhs-111-mental-health", "samaritans", "shout")]
    assert order == sorted(order)
    assert contacts["pandas-text"].line() in text


def test_an_overdose_or_injury_is_told_to_get_emergency_help_now(contacts: Contacts) -> None:
    text = reply_for(contacts, "overdose-or-injury", "suicidal")
    assert text.index(contacts["emergency"].line()) < text.index(contacts["samaritans"].line())
    assert "straight away" in text and "even if you feel all right" in text


def test_psychosis_signs_are_an_emergency_needing_same_day_help(contacts: Contacts) -> None:
    text = reply_for(contacts, "psychosis-signs")
    assert "emergency" in text and "same-day" in text and "someone who is with you" in text
    assert contacts["emergency"].line() in text and contacts["nhs-111-mental-health"].line() in text


def test_harm_to_baby_says_to_put_the_baby_somewhere_safe_and_get_someone_there(contacts: Contacts) -> None:
    text = reply_for(contacts, "harm-to-baby")
    assert "put your baby somewhere safe" in text and "be with you" in text
    assert contacts["emergency"].line() in text


def test_intrusive_thoughts_alone_are_met_calmly_without_emergency_routes(contacts: Contacts) -> None:
    text = reply_for(contacts, "intrusive-thoughts")
    assert "common" in text and "does not mean you want to act" in text and "treatable" in text
    assert contacts["emergency"].line() not in text
    assert contacts["samaritans"].line() in text


def test_intrusive_thoughts_with_fear_of_acting_get_the_harm_to_baby_reply(contacts: Contacts) -> None:
    assert reply_for(contacts, "intrusive-thoughts", "harm-to-baby") == reply_for(contacts, "harm-to-baby")


def test_abuse_gets_999_with_press_55_and_the_domestic_abuse_helpline(contacts: Contacts) -> None:
    text = reply_for(contacts, "abuse-or-danger")
    assert contacts["emergency"].line() in text
    assert contacts["domestic-abuse-helpline"].line() in text
    assert "press 55" in text
    assert "not your fault" in text


def test_someone_else_at_risk_gets_what_to_do_for_them(contacts: Contacts) -> None:
    text = reply_for(contacts, "third-party", "suicidal")
    assert "stay with them" in text and "If they are in danger" in text
    assert contacts["emergency"].line() in text


@pytest.mark.parametrize(
    ("nation", "local", "instead_of"),
    [
        ("scotland", "nhs-24-scotland", "nhs-111-mental-health"),
        ("wales", "nhs-111-wales", "nhs-111-mental-health"),
        ("northern-ireland", "lifeline-ni", "nhs-111-mental-health"),
    ],
)
def test_each_nation_gets_its_own_urgent_line(contacts: Contacts, nation: str, local: str, instead_of: str) -> None:
    text = reply_for(contacts, "suicidal", nation=nation)
    assert contacts[local].line() in text
    assert contacts[instead_of].line() not in text
    assert contacts["samaritans"].line() in text


def test_an_england_only_helpline_is_not_given_in_other_nations(contacts: Contacts) -> None:
    assert contacts["domestic-abuse-helpline"].line() not in reply_for(contacts, "abuse-or-danger", nation="wales")


def test_the_footer_is_one_line_of_24_7_routes(contacts: Contacts) -> None:
    line = footer(contacts)
    assert "\n" not in line
    assert "116 123" in line and "85258" in line
    assert "0808 808 8000" in footer(contacts, "northern-ireland")


def test_every_route_in_crisis_fallback_and_footer_replies_is_open_24_7_in_the_data(contacts: Contacts) -> None:
    from bot.crisis import FALLBACK_ROUTES

    used = {route for _, template in PRECEDENCE for route in (*template.urgent_routes, *template.talk_routes)}
    used |= set(FALLBACK_ROUTES) | {"nhs-111-mental-health", "samaritans", "shout"}
    for nation in NATIONS:
        for contact in contacts.for_nation(sorted(used), nation):
            assert contact.hours == "24/7", f"{contact.id} is not open 24/7 but is used where it must be"
