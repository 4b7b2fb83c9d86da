"""Fixed reference lists shared by several features (brokers, providers, needs, directory, search).

Values are stored; labels are shown. Changing a label is safe; changing a value needs a data
migration.
"""

from __future__ import annotations

SPECIALISMS: dict[str, str] = {
    "older_people": "Older people",
    "learning_disability": "Learning disability",
    "physical_disability": "Physical disability",
    "mental_health": "Mental health",
    "autism": "Autism",
    "sensory_impairment": "Sensory impairment",
    "transition": "Young people moving to adult services",
    "end_of_life": "End of life",
}

# Languages people in the hubs' areas most often ask for. British Sign Language first: it is
# a language, not an accessibility feature.
LANGUAGES: dict[str, str] = {
    "bsl": "British Sign Language",
    "english": "English",
    "arabic": "Arabic",
    "bengali": "Bengali",
    "cantonese": "Cantonese",
    "farsi": "Farsi (Persian)",
    "french": "French",
    "gujarati": "Gujarati",
    "hindi": "Hindi",
    "italian": "Italian",
    "kurdish": "Kurdish",
    "lithuanian": "Lithuanian",
    "mandarin": "Mandarin",
    "polish": "Polish",
    "portuguese": "Portuguese",
    "punjabi": "Punjabi",
    "romanian": "Romanian",
    "somali": "Somali",
    "spanish": "Spanish",
    "tamil": "Tamil",
    "tigrinya": "Tigrinya",
    "turkish": "Turkish",
    "twi": "Twi",
    "urdu": "Urdu",
    "yoruba": "Yoruba",
}

# The six functions of brokerage (Architecture for Personalisation).
BROKERAGE_FUNCTIONS: dict[str, str] = {
    "informing": "Informing and connecting",
    "planning": "Guidance and planning",
    "negotiating": "Negotiating and advocating",
    "organising": "Organising and setting up",
    "managing": "Managing and improving",
    "reflecting": "Reflecting and developing",
}

BROKERAGE_FUNCTION_HINTS: dict[str, str] = {
    "informing": "finding out what support and services there are",
    "planning": "writing your support plan with you",
    "negotiating": "speaking up for you with funders and providers",
    "organising": "arranging and starting your support",
    "managing": "checking your support works and changing it if not",
    "reflecting": "looking back on what worked, to plan what next",
}

# The council's quality questions for brokerage (council brokerage report, 2011).
QUALITY_QUESTIONS: dict[str, str] = {
    "information_useful": "Did you find the information and advice useful?",
    "listened": "Did your broker listen to you and understand what you wanted?",
    "involved": "Were you fully involved in choosing and arranging your services?",
    "plan_met_needs": "Did your support plan answer your needs?",
    "situation_improved": "Has your situation improved since your support plan started?",
    "kept_informed": "Were you kept informed?",
    "worked_with_carers": "Did your broker work well with your carers?",
    "issues_addressed": "Were any issues you raised dealt with?",
    "satisfied_with_plan": "Are you satisfied with your support plan?",
    "happy_with_broker": "Are you happy with your broker?",
}

QUALITY_ANSWERS: dict[str, str] = {
    "yes": "Yes",
    "no": "No",
    "partly": "Partly",
    "dont_know": "Don't know",
}

COMMUNICATION_NEEDS: dict[str, str] = {
    "easy_read": "Easy read",
    "large_print": "Large print",
    "bsl": "British Sign Language interpreter",
    "interpreter": "Spoken language interpreter",
    "phone_not_email": "Phone calls rather than email",
}


# What a community service's premises offer (the directory's entries, its search filter and
# the Open Referral "accessibility" records).
ACCESSIBILITY_FEATURES: dict[str, str] = {
    "step_free": "Step-free access",
    "hearing_loop": "Hearing loop",
    "bsl": "British Sign Language",
    "accessible_toilet": "Accessible toilet",
    "parking": "Parking",
}

def labels(values, table: dict[str, str]) -> list[str]:
    """The labels of stored values, in the table's order (unknown values are skipped)."""
    chosen = set(values or [])
    return [label for key, label in table.items() if key in chosen]


def choices(table: dict[str, str]) -> list[tuple[str, str]]:
    return list(table.items())


# Staff skills providers offer and needs can ask for.
SKILLS: dict[str, str] = {
    "medication": "Medication administration",
    "peg_feeding": "PEG feeding",
    "catheter_care": "Catheter care",
    "stoma_care": "Stoma care",
    "dementia": "Dementia",
    "autism": "Autism",
    "learning_disability": "Learning disability",
    "moving_handling": "Moving and handling (hoists)",
    "epilepsy": "Epilepsy",
    "mental_health": "Mental health",
    "end_of_life": "End of life care",
    "bsl": "British Sign Language",
}

WORKER_GENDERS: dict[str, str] = {
    "female": "Women",
    "male": "Men",
    "non_binary": "Non-binary workers",
}

DAYS: dict[int, str] = {0: "Monday", 1: "Tuesday", 2: "Wednesday", 3: "Thursday", 4: "Friday", 5: "Saturday",
                        6: "Sunday"}

PARTS_OF_DAY: dict[str, str] = {
    "early_morning": "Early morning",
    "morning": "Morning",
    "lunchtime": "Lunchtime",
    "afternoon": "Afternoon",
    "tea_time": "Tea time",
    "evening": "Evening",
    "night": "Night",
}
