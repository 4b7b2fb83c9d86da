"""The parts of a support plan, after what the Care Act 2014 (section 25) asks of a care and
support plan and In Control's seven criteria. The costed lines are the "needs" part; the money
part also holds how the money is managed.

Each part has a key (stored in the plan and its versions), a heading, a question the person
answers, a plain-words heading for the easy-read summary, and whether a plan can be submitted
without it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    question: str
    easy_heading: str
    required: bool = True
    is_text: bool = True  # edited as one text (the lines and the start date are edited on their own pages)


SECTIONS: tuple[Section, ...] = (
    Section("own_words", "In my own words", "Anything you want to say first, in your own words.",
            "My words", required=False),
    Section("about_me", "About me", "Who you are: your life, your family, what your days are like.", "About me"),
    Section("important_to_me", "What is important to me",
            "The people, places and things that matter most to you.", "What matters to me"),
    Section("outcomes", "The outcomes I want",
            "What you want to achieve or change with your support. Write each outcome on its own line.",
            "What I want"),
    Section("needs", "My eligible needs and how each will be met",
            "Each need the council assessed, the support that meets it, who gives it, how much and what it costs.",
            "The support I get", is_text=False),
    Section("unpaid_support", "Unpaid and community support",
            "Help you get from family, friends, neighbours or community groups, without pay.",
            "Help from family, friends and my community", required=False),
    Section("risks", "Risks and how they are managed",
            "What could go wrong, and what you and others do to keep you safe.", "Keeping safe"),
    Section("money", "How I stay in control and manage my money",
            "How the money is paid and managed, and how you make the decisions about your support.",
            "My money"),
    Section("emergency", "What happens in an emergency",
            "Who to call and what to do if something goes wrong, or your usual support cannot come.",
            "If something goes wrong"),
    Section("who_helped", "Who helped write this plan", "The people who helped you write this plan.",
            "Who helped me"),
    Section("start", "When support starts", "The date the support in this plan starts.",
            "When my support starts", is_text=False),
)

BY_KEY = {section.key: section for section in SECTIONS}
TEXT_SECTIONS = tuple(section for section in SECTIONS if section.is_text)


def section(key: str) -> Section | None:
    return BY_KEY.get(key)
