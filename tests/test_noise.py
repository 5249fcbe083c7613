"""Noise of newsletters and web pages gives no claim; news that merely mentions reporters, readers,
edits or questions still does (losing a claim costs more than keeping a line of noise)."""

from __future__ import annotations

import pytest

from summarizer.articles import claim_sentences
from summarizer.models import Article
from summarizer.sentences import answers_own_question, is_boilerplate, is_own_question, is_rhetorical


def offered(text: str) -> list[str]:
    article = Article(id="a", text=text)
    return [text[s.start : s.end] for s in claim_sentences(article)]


def offered_between_facts(sentence: str) -> list[str]:
    """What is offered of `sentence` set in a paragraph between two facts."""
    facts = ("The council met on Monday.", "The vote was 7-2.")
    return [s for s in offered(f"{facts[0]} {sentence} {facts[1]}\n") if s not in facts]


@pytest.mark.parametrize(
    "line",
    [
        "By Priya Natarajan, Staff Writer.",
        "By PRIYA NATARAJAN | The Valley Courier",
        "Priya Natarajan | Reporter",
        "Oskar Lind, Senior Health Correspondent",
        "Reporting by Oskar Lind in Malmo; Editing by Ruth Abara.",
        "Reporting by Oskar Lind and Mei Tan; additional reporting by Femi Ade in Lagos; Writing by Mei Tan; "
        "Editing by Ruth Abara and Carl Moe.",
        "Words by Mei Tan.",
        "Interview by Femi Ade",
        "With reporting by Carl Moe.",
        "Posted by Mei Tan on March 3, 2025.",
    ],
)
def test_bylines_in_any_form_are_noise(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Photo illustration by Mei Tan.",
        "(Photo by Femi Ade/Getty Images)",
        "Credit: Carl Moe for The Valley Courier.",
        "Photograph courtesy of the county fire service.",
        "Courtesy of the Halden Museum.",
    ],
)
def test_picture_credits_are_noise(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Rosa Quint here, writing from a windy Galway.",
        "Hi everyone, Tobias here.",
        "Mei here, back in your inbox after a week in the mountains.",
        "This is Femi Ade, reporting from the Lagos port.",
        "I'm Rosa Quint, and this is The Tideline.",
        "Rosa here, writing from Galway, where the ferries are still tied up.",
    ],
)
def test_the_writer_introducing_themself_is_noise(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Oskar Lind is a staff writer at The Valley Courier.",
        "Mei Tan is a contributing editor based in Singapore.",
        "Femi Ade covers shipping and trade for the Courier.",
        "Contact the reporter at olind@courier.example.",
        "Ruth Abara can be reached at rabara@courier.example or on X at @rabara.",
        "mtan@courier.example",
    ],
)
def test_the_writers_bio_and_contact_are_noise(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Associated Press writers Mei Tan in Taipei and Carl Moe in Oslo contributed to this report.",
        "Staff writer Femi Ade contributed reporting.",
        "Ruth Abara contributed to this story from Accra.",
    ],
)
def test_contributed_to_this_report_is_noise(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for The Tideline here.",
        "Subscribe here.",
        "Get the Evening Digest in your inbox.",
        "Get the Evening Digest delivered every weekday.",
        "Forward this email to a friend who loves trains.",
        "Share this story with your book club.",
        "Tell us what you think by replying to this email.",
        "Become a member for $5 a month and support local reporting.",
        "Click the link below to hear the full interview.",
        "Please email us your photos of the flooding.",
        "Like us on Facebook.",
    ],
)
def test_calls_to_the_reader_to_sign_up_forward_or_share_are_noise(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Good morning from a frosty Winnipeg.",
        "Welcome back to The Tideline.",
        "Hello, readers, and happy Monday.",
        "Thanks for reading, and see you Thursday.",
        "You are reading The Evening Digest, our weekday newsletter.",
    ],
)
def test_greetings_and_sign_offs_to_the_reader_are_noise(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "This story has been updated.",
        "This story has been updated with a statement from the school board.",
        "Updated with closing prices.",
        "Story updated with a comment from the transit authority.",
        "(Updates with the coroner's statement in paragraph 6.)",
        "This article was updated on May 4 to correct the spelling of a surname.",
        "Editor's note: The writer is a former ambassador to Chile.",
        "Correction: An earlier version gave the wrong date for the hearing.",
        "An earlier version of this story said the vote was 6-3.",
        "This is a developing story.",
        "This article originally appeared in The Valley Courier.",
        "This transcript has been edited for length and clarity.",
    ],
)
def test_notes_about_the_story_itself_are_noise(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("So what does the merger mean for shoppers? Nothing good.", "Nothing good."),
        ("Will the new timetable work? Time will tell.", "Time will tell."),
        ("Is the fee fair? Probably not.", "Probably not."),
        ("Can the club stay up? Don't hold your breath.", "Don't hold your breath."),
    ],
)
def test_the_short_answer_to_the_writers_own_question_is_not_offered(text: str, answer: str) -> None:
    assert answer not in offered_between_facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "Why does the bridge matter? It carries 40,000 cars a day.",
        "What went wrong? A valve failed in the cooling loop.",
        "Will the plant reopen? Not before March.",
        "Who pays? Investigators say the contractor will.",
    ],
)
def test_an_answer_with_a_figure_a_name_or_an_event_is_offered(text: str) -> None:
    assert offered_between_facts(text) == [text.split("? ", 1)[1]]


@pytest.mark.parametrize(
    "sentence", ["Read that again.", "Buckle up.", "Bear with me.", "Consider the timing.", "Reader, it did not."]
)
def test_a_short_call_for_the_readers_attention_is_rhetoric(sentence: str) -> None:
    assert is_rhetorical(sentence)


@pytest.mark.parametrize(
    "sentence", ["Bear markets are rare.", "Trust funds were frozen.", "Picture frames were stolen."]
)
def test_a_short_fact_that_opens_with_a_noun_like_a_verb_is_not_rhetoric(sentence: str) -> None:
    assert not is_rhetorical(sentence)


@pytest.mark.parametrize("line", ["More on that below.", "More later.", "More to come."])
def test_a_pointer_to_elsewhere_on_the_page_is_noise(line: str) -> None:
    assert is_boilerplate(line)


def test_a_short_sentence_after_a_statement_is_not_taken_for_an_answer() -> None:
    assert answers_own_question("Time will tell.")
    assert offered_between_facts("The court adjourned. Time will tell.") == ["The court adjourned.", "Time will tell."]


def test_a_question_in_quotation_marks_is_not_the_writers_own() -> None:
    assert is_own_question("What happens to the library now?")
    assert not is_own_question("“What happens to the library now?”")


@pytest.mark.parametrize(
    "sentence",
    [
        "“What are we supposed to do now?” asked Lena Ortiz, whose bakery flooded on Tuesday.",
        "Asked whether the mill would close, the owner said no decision had been made.",
        "Asked whether she would run again, the senator said she would not.",
        "Council approves 3% fare rise after four-hour debate.",
        "Regulators clear Halvor Foods takeover of Brightmill.",
    ],
)
def test_quoted_questions_asked_whether_and_headline_like_facts_are_offered(sentence: str) -> None:
    assert offered_between_facts(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "Jane Roe, a reporter for the Ledger, was detained in March.",
        "Ms. Lee is a reporter for The Ledger who was detained in March.",
        "Ana Silva is a reporter for the Ledger and a critic of the government.",
        "Scientists from 12 countries contributed to the report.",
        "Produced by Pixar, the film earned $1 billion.",
        "Published by Penguin in 2019, the memoir sold two million copies.",
        "Research by Oxford University found the drug cut deaths by a third.",
        "Officials here, however, say the dam is safe.",
        "Journalists here, reporting under a curfew, face arrest.",
        "Residents here, back in their homes, are counting the damage.",
        "This is Hurricane Maria, the strongest storm to hit the island since 1928.",
        "The hut can be reached on foot in four hours.",
    ],
)
def test_news_about_reporters_or_places_here_is_offered(sentence: str) -> None:
    assert offered_between_facts(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "Welcome to the club, the coach told his rookies.",
        "Hello Kitty maker Sanrio posted a record profit.",
        "Thanks to the new levee, the town stayed dry.",
        "Follow the money, investigators say.",
        "Join the rally, the union urged its members.",
        "Share prices fell 3% after the announcement.",
        "Support for the measure fell to 40%.",
        "Email records show the mayor knew of the leak in May.",
        "Credit card debt rose 4% in May.",
        "Update: police have identified the victim as a 34-year-old man.",
    ],
)
def test_news_that_opens_like_a_greeting_or_a_prompt_is_offered(sentence: str) -> None:
    assert offered_between_facts(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "This article was amended in 2019 to allow dual citizenship.",
        "This article of the treaty was invoked only once.",
        "The article was published in the journal Nature on Wednesday.",
        "This report, first released in 2019, found widespread fraud.",
        "The agency updated its forecast on Monday to include the coastal counties.",
    ],
)
def test_news_about_articles_reports_and_updates_is_offered(sentence: str) -> None:
    assert offered_between_facts(sentence) == [sentence]


def test_a_newsletter_offers_the_model_only_its_facts() -> None:
    text = (
        "Rosa Quint here, writing from a windy Galway.\n"
        "The ferry operator cancelled 14 sailings on Tuesday, the harbour office said.\n"
        "So what does this mean for islanders? Nothing good.\n"
        "Forwarded this email? Subscribe here.\n"
        "Mei Tan contributed to this report.\n"
        "The storm brought gusts of 130 km/h to the coast.\n"
        "This story has been updated with figures from the coastguard.\n"
        "Thanks for reading, and see you Thursday.\n"
    )
    assert offered(text) == [
        "The ferry operator cancelled 14 sailings on Tuesday, the harbour office said.",
        "The storm brought gusts of 130 km/h to the coast.",
    ]
