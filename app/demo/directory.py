"""Demo data: a realistic directory of community services across the hub's districts.

Names, phone numbers (Ofcom's drama range, 020 7946 0xxx), addresses and the example.org email
and web addresses (made from each name, and checked by the same rules as the forms) are made up. Some
entries were last checked more than 12 months ago, so the "may be out of date" warning and the
hub lead's list of entries to check have something to show.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from sqlalchemy import select

from app.core import contact_details
from app.core.errors import DomainError
from app.core.timeutil import utcnow
from app.directory.models import (
    DirectoryEntry,
    DirectoryEntryCategory,
    DirectoryEntryDistrict,
    EntryStatus,
    Suggestion,
    SuggestionStatus,
)
from app.extensions import db
from app.taxonomy.models import ServiceCategory

# name, runs it, what it does, categories, districts, postcode, when, cost ("" = free),
# accessibility, languages, tags, days since last checked (None: never), extra fields
ENTRIES: list[tuple] = [
    ("Maida Vale Befriending Scheme", "Maida Vale Community Trust",
     "Volunteers visit older and disabled people at home for a chat and a cup of tea, once a week, and phone in "
     "between. We match you with someone who shares your interests.",
     ["befriending"], ["W9"], "W9 2EG", "Visits arranged to suit you, Monday to Saturday", "",
     ["step_free", "accessible_toilet"], ["english", "arabic"], ["home visits", "loneliness", "volunteers"], 40, {}),
    ("Telephone Friends W9", "Harrow Road Neighbours",
     "A friendly phone call two or three times a week from the same volunteer, for anyone who feels alone or "
     "cannot easily get out.", ["befriending"], ["W9", "W10"], "", "Calls between 10am and 8pm, every day", "",
     [], ["english", "somali", "arabic"], ["phone", "telephone befriending", "isolation"], 90, {}),
    ("Paddington Walking Buddies", "Paddington Development Trust",
     "Volunteer buddies who walk with you to the park, the shops or appointments, at your pace. Wheelchair users "
     "welcome.", ["befriending", "getting-out-and-about"], ["W2", "W9"], "W2 5EU", "Weekdays, booked a week ahead",
     "", ["step_free"], ["english", "portuguese"], ["walking", "escort", "wheelchair"], 120, {}),
    ("Westway Befriending Circle", "Westway Community Projects",
     "Small group befriending: six people meet in a café with two volunteers every fortnight, and the volunteers "
     "phone in between.", ["befriending", "peer-support"], ["W10", "W11"], "W10 5XL", "Every other Thursday, 2pm to "
     "4pm", "", ["step_free", "hearing_loop", "accessible_toilet"], ["english"], ["group", "café", "coffee"], 200, {}),
    ("St John's Wood Good Neighbours", "St John's Wood Church",
     "Neighbours helping neighbours: lifts to appointments, a regular visitor, help with small jobs.",
     ["befriending", "help-at-home"], ["NW8"], "NW8 7NE", "Office open Tuesday and Thursday mornings", "",
     ["step_free"], ["english"], ["good neighbours", "lifts", "small jobs"], 500, {}),
    ("Chelsea Silver Line Friends", "Chelsea Old People's Welfare",
     "A regular visitor for people over 65 living alone in Chelsea, and a monthly tea party.",
     ["befriending"], ["SW3", "SW10"], "SW3 5EE", "Visits weekly; tea party on the first Sunday of the month", "",
     ["step_free", "accessible_toilet"], ["english", "french"], ["older people", "tea party"], 60, {}),
    ("Pimlico Lunch Club", "Churchill Gardens Tenants' Association",
     "A hot two-course lunch and good company. Vegetarian and halal meals if you tell us a day ahead.",
     ["day-opportunities"], ["SW1"], "SW1V 3AS", "Tuesdays and Fridays, 12 noon to 2pm", "£3.50 for lunch",
     ["step_free", "accessible_toilet", "hearing_loop"], ["english"], ["lunch club", "meals", "halal", "vegetarian"],
     75, {}),
    ("Queen's Park Lunch and Chat", "Queen's Park Community Council",
     "Lunch, a quiz and a chat for over-55s in the community hall. Transport can be arranged.",
     ["day-opportunities", "befriending"], ["W10", "W9"], "W10 4QA", "Wednesdays, 12 noon to 3pm", "£4 including "
     "transport", ["step_free", "accessible_toilet", "parking"], ["english", "twi", "yoruba"],
     ["lunch club", "quiz", "over 55s", "transport"], 30, {}),
    ("Notting Hill Dementia Café", "Kensington Memory Friends",
     "A relaxed afternoon for people living with dementia and the people who care for them: music, tea, and a "
     "dementia adviser to talk to.", ["peer-support", "carers-support"], ["W11"], "W11 2PE",
     "Second Monday of the month, 2pm to 4pm", "", ["step_free", "accessible_toilet", "hearing_loop"],
     ["english", "spanish"], ["dementia", "memory", "music", "alzheimer's"], 45, {}),
    ("Memory Lane Singing Group", "Kensington Memory Friends",
     "Singing for the brain: well-known songs for people with memory loss and their carers.",
     ["day-opportunities", "peer-support"], ["SW5", "SW7"], "SW5 9QJ", "Fridays, 10.30am to 12 noon",
     "£2 suggested donation", ["step_free", "hearing_loop"], ["english"], ["singing", "dementia", "music"], 410, {}),
    ("Visiting Hairdresser, Wednesdays", "Maureen Kelly",
     "A hairdresser who visits you at home on Wednesdays: cuts, sets and blow-dries, and she knows how to work "
     "around a wheelchair or a hoist.", ["help-at-home"], ["W9", "W2", "NW8"], "",
     "Wednesdays, 9am to 5pm, by appointment", "From £18 for a cut", [], ["english"],
     ["hairdresser", "haircut", "home visits", "hair"], 150, {"phone": "020 7946 0123"}),
    ("Footcare at Home", "Westminster Footcare Volunteers",
     "Nail cutting and simple foot care at home for people who cannot reach their own feet. Not a podiatrist: we "
     "refer you if needed.", ["help-at-home"], ["SW1", "W2", "NW8"], "", "Home visits every six to eight weeks",
     "£12 a visit", [], ["english"], ["toenails", "feet", "nail cutting", "home visits"], 390, {}),
    ("Kensington Advice Centre", "Kensington and Chelsea Citizens Advice",
     "Free, confidential advice on benefits, debt, housing, employment and consumer problems. Help with forms, "
     "including Personal Independence Payment (PIP) claims.", ["advice-information"], ["W11", "W10", "SW5"],
     "W10 5BJ", "Monday to Friday, 10am to 4pm; phone line 9am to 5pm", "", ["step_free", "hearing_loop",
     "accessible_toilet"], ["english", "arabic", "somali", "portuguese", "spanish"],
     ["benefits", "PIP", "debt", "housing", "citizens advice", "forms"], 20, {}),
    ("Disability Rights Drop-in", "Westminster Disability Forum",
     "Ask a disabled adviser about your rights: social care assessments, direct payments, personal budgets, "
     "appeals and complaints.", ["advice-information", "peer-support"], ["SW1", "W2"], "SW1P 2QP",
     "Thursdays, 1pm to 4pm", "", ["step_free", "hearing_loop", "bsl", "accessible_toilet"], ["english", "bsl"],
     ["direct payments", "personal budget", "care assessment", "complaints", "rights"], 60, {}),
    ("Money Matters Surgery", "Paddington Law Centre",
     "One-to-one appointments about benefit appeals and tribunals, with a welfare rights caseworker.",
     ["advice-information"], ["W2", "W9"], "W2 6LG", "Tuesdays, by appointment", "",
     ["step_free"], ["english", "bengali", "urdu"], ["benefits appeal", "tribunal", "welfare rights"], 100, {}),
    ("Carers Network Westminster", "Carers Network",
     "Support for unpaid carers: a carer's assessment, breaks, training, and groups where carers meet each other.",
     ["carers-support", "short-breaks-respite"], ["W2", "W9", "NW8", "SW1"], "W2 1LG", "Monday to Friday, 9am to "
     "5pm", "", ["step_free", "accessible_toilet"], ["english", "bengali", "arabic"],
     ["carers", "carer's assessment", "breaks", "family carers"], 35, {}),
    ("Young Carers Club", "Carers Network",
     "Fun, trips and someone to talk to, for children and young people aged 8 to 18 who look after someone at home.",
     ["carers-support"], ["W2", "W9", "W10"], "W9 3RS", "Saturdays in term time, 11am to 2pm", "",
     ["step_free"], ["english"], ["young carers", "children", "trips"], 80, {"eligibility": "Young people aged 8 to "
                                                                                      "18 who care for someone."}),
    ("Carers' Coffee Morning, Chelsea", "Chelsea Carers Group",
     "An informal coffee morning for people who care for a partner, parent or child.",
     ["carers-support", "peer-support"], ["SW3"], "SW3 4SR", "First Friday of the month, 10am to 12 noon", "",
     ["step_free"], ["english"], ["carers", "coffee morning"], 600, {}),
    ("Westway Day Centre", "Westway Community Projects",
     "Activities, lunch and personal care in a day centre for older people and adults with disabilities. Art, "
     "gentle exercise, outings and a hairdresser on Thursdays.", ["day-opportunities", "personal-care"],
     ["W10", "W11", "W9"], "W10 6BP", "Monday to Friday, 9.30am to 3.30pm", "£42 a day, or from your personal "
     "budget", ["step_free", "accessible_toilet", "parking", "hearing_loop"], ["english", "portuguese"],
     ["day centre", "art", "outings", "exercise"], 25, {}),
    ("Abbey Centre Day Opportunities", "Abbey Community Association",
     "Courses, clubs and volunteering for adults with learning disabilities: cooking, drama, computers and "
     "a weekly disco.", ["day-opportunities", "employment-support"], ["SW1"], "SW1P 3BU",
     "Monday to Friday, 10am to 4pm", "Some sessions charged; ask", ["step_free", "accessible_toilet"],
     ["english"], ["learning disabilities", "drama", "cooking", "disco", "computers"], 55, {}),
    ("The Harrow Road Men's Shed", "Harrow Road Men's Shed",
     "A workshop where men (and women) make and mend things together, and chat. Tools and tea provided.",
     ["day-opportunities", "peer-support"], ["W9", "W10"], "W9 3RB", "Tuesdays and Thursdays, 10am to 3pm", "",
     ["step_free", "accessible_toilet"], ["english"], ["woodwork", "shed", "making", "mending"], 140, {}),
    ("Chair Yoga at the Library", "Kensington Libraries",
     "Gentle yoga sitting on a chair, for people with limited mobility. No experience needed.",
     ["day-opportunities"], ["W11", "W8"], "W11 1PS", "Mondays, 11am to 12 noon", "", ["step_free",
     "accessible_toilet", "hearing_loop"], ["english"], ["yoga", "exercise", "chair exercise", "mobility"], 70, {}),
    ("Seated Exercise for Over-60s", "Pimlico Health Walks",
     "Strength and balance classes to reduce falls, led by a qualified instructor.", ["day-opportunities"],
     ["SW1"], "SW1V 4LS", "Wednesdays, 2pm to 3pm", "£2 a class", ["step_free", "accessible_toilet"], ["english"],
     ["falls prevention", "balance", "exercise", "fitness"], 95, {}),
    ("Deaf Social Club West London", "West London Deaf Association",
     "A social evening for Deaf people: games, news and talks, all in British Sign Language.",
     ["peer-support", "day-opportunities"], ["W2"], "W2 4UH", "Last Friday of the month, 6pm to 9pm", "",
     ["step_free", "bsl", "accessible_toilet"], ["bsl"], ["deaf", "BSL", "sign language", "social"], 50, {}),
    ("Sight Loss Support Group", "Westminster Society for the Blind",
     "Meet others with sight loss, hear about equipment and talking books, and get advice from a rehabilitation "
     "officer.", ["peer-support", "advice-information", "equipment-adaptations"], ["SW1", "NW8"], "SW1E 5JL",
     "Third Tuesday of the month, 2pm to 4pm", "", ["step_free", "accessible_toilet", "hearing_loop"], ["english"],
     ["blind", "sight loss", "visual impairment", "talking books"], 440, {}),
    ("Talking Newspaper for Kensington", "Kensington Talking News",
     "Local news read aloud and sent to you every week on a memory stick or by podcast, for people who cannot "
     "read print.", ["advice-information"], ["W11", "W8", "SW5", "SW7"], "", "Weekly", "",
     [], ["english"], ["talking newspaper", "audio", "blind", "podcast"], 300, {}),
    ("Arabic Women's Wellbeing Group", "Al-Hasaniya Moroccan Women's Centre",
     "A weekly group for Arabic-speaking women: wellbeing, exercise, advice and friendship.",
     ["peer-support", "advice-information"], ["W10", "W11"], "W10 5HN", "Wednesdays, 10am to 1pm", "",
     ["step_free"], ["arabic", "english"], ["women", "wellbeing", "Moroccan"], 65, {}),
    ("Somali Elders Club", "Somali Community Association",
     "Older Somali people meet for lunch, prayers and advice in Somali.", ["day-opportunities", "befriending"],
     ["W9", "W2"], "W9 2DZ", "Saturdays, 11am to 3pm", "", ["step_free"], ["somali"],
     ["Somali", "elders", "lunch"], 110, {}),
    ("Polish Senior Club", "Polish Social and Cultural Association",
     "Coffee, cake and conversation in Polish for older people, with a monthly outing.",
     ["day-opportunities", "befriending"], ["W2", "W11"], "W2 5RH", "Thursdays, 1pm to 4pm", "£2 for coffee and "
     "cake", ["step_free", "accessible_toilet"], ["polish"], ["Polish", "seniors", "outings"], 210, {}),
    ("Bengali Carers Group", "Bangladeshi Women's Association",
     "A support group in Bengali for people caring for a relative.", ["carers-support", "peer-support"],
     ["W2", "NW8"], "NW8 8QR", "Mondays, 10am to 12 noon", "", ["step_free"], ["bengali", "english"],
     ["carers", "Bengali", "Bangladeshi"], 160, {}),
    ("Portuguese-Speaking Advice Line", "Lusophone Community Link",
     "Advice by phone in Portuguese on benefits, housing and health services.", ["advice-information"],
     ["W10", "W11", "SW5"], "", "Monday to Thursday, 10am to 3pm", "", [], ["portuguese"],
     ["Portuguese", "Brazilian", "advice line"], 85, {"phone": "020 7946 0456"}),
    ("Chinese Elderly Lunch Club", "Westminster Chinese Association",
     "A lunch club with Cantonese and Mandarin speakers, tai chi and mahjong.",
     ["day-opportunities"], ["SW1", "W2"], "W1D 6AQ", "Tuesdays and Thursdays, 11am to 2pm", "£3 for lunch",
     ["step_free", "accessible_toilet"], ["cantonese", "mandarin"], ["Chinese", "tai chi", "mahjong", "lunch"],
     130, {"districts_extra": ["W1"]}),
    ("Tamil Welfare Association Drop-in", "Tamil Welfare Association",
     "Advice, form filling and a friendly face, in Tamil.", ["advice-information"], ["W9", "NW8"], "",
     "Saturdays, 10am to 1pm", "", [], ["tamil"], ["Tamil", "Sri Lankan", "forms"], 720, {}),
    ("Community Transport Westminster", "Westminster Community Transport",
     "Door-to-door minibus with a tail lift for people who find buses and the Tube hard: shopping trips, clubs "
     "and appointments.", ["travel", "getting-out-and-about"], ["W2", "W9", "NW8", "SW1"], "",
     "Monday to Saturday, book two days ahead", "£3 a single journey", ["step_free"], ["english"],
     ["minibus", "dial a ride", "wheelchair accessible", "transport"], 45, {}),
    ("Taxicard and Freedom Pass Help", "Kensington and Chelsea Disability Action",
     "Help to apply for a Taxicard, Freedom Pass or Blue Badge, and to appeal if refused.",
     ["travel", "advice-information"], ["W10", "W11", "SW3", "SW5", "SW7"], "W11 1QY", "Phone or drop in, "
     "weekdays 10am to 4pm", "", ["step_free", "accessible_toilet"], ["english"],
     ["Blue Badge", "Freedom Pass", "Taxicard", "parking"], 55, {}),
    ("Travel Buddies", "Mencap West London",
     "Travel training for adults with learning disabilities: a buddy helps you learn a journey until you can do "
     "it on your own.", ["travel", "employment-support"], ["W2", "W9", "W10", "W11"], "", "By arrangement", "",
     [], ["english"], ["travel training", "learning disabilities", "independence"], 100, {}),
    ("Wheelchair Repair Drop-in", "Access Mobility Group",
     "Quick repairs to manual wheelchairs and scooters while you wait: tyres, brakes and footplates.",
     ["equipment-adaptations"], ["SW5", "SW7"], "SW5 0SX", "Every other Saturday, 10am to 1pm",
     "Parts at cost", ["step_free", "parking"], ["english"], ["wheelchair", "scooter", "repairs"], 380, {}),
    ("Handy Van Service", "Westminster Home Improvement Agency",
     "Small repairs and safety jobs for older and disabled people: grab rails, key safes, smoke alarms, "
     "changing light bulbs.", ["equipment-adaptations", "help-at-home"], ["W2", "W9", "NW8", "SW1"], "",
     "Monday to Friday", "Free labour; you pay for materials", [], ["english"],
     ["grab rails", "key safe", "handyman", "repairs", "falls"], 120, {}),
    ("Living Made Easy Demonstration Flat", "Disabled Living Centre West",
     "Try equipment before you buy: bath lifts, riser chairs, kitchen aids. An occupational therapist can "
     "advise.", ["equipment-adaptations", "advice-information"], ["SW3", "SW7"], "SW7 2BX",
     "By appointment, Tuesday to Thursday", "", ["step_free", "accessible_toilet", "parking"], ["english"],
     ["occupational therapist", "equipment", "bath lift", "kitchen aids"], 230, {}),
    ("Working Well", "Westminster Employment Service",
     "One-to-one support to find and keep a job for disabled people and people with long-term health "
     "conditions.", ["employment-support"], ["W2", "W9", "SW1", "NW8"], "W2 1DE",
     "Monday to Friday, by appointment", "", ["step_free", "accessible_toilet"], ["english", "arabic"],
     ["jobs", "employment", "CV", "interviews"], 40, {}),
    ("Volunteer Centre Kensington", "Volunteer Centre Kensington and Chelsea",
     "Find volunteering that suits you, with support if you have a disability or need adjustments.",
     ["employment-support", "day-opportunities"], ["W10", "W11", "SW3", "SW5", "SW7"], "W10 6SB",
     "Monday to Friday, 10am to 5pm", "", ["step_free", "hearing_loop"], ["english"],
     ["volunteering", "skills"], 300, {}),
    ("Mind in the West: Peer Support", "Mind in the West",
     "Peer support groups for people with experience of mental health problems, run by people who have been "
     "there.", ["peer-support"], ["W10", "W11", "W2"], "W11 1JE", "Monday and Wednesday evenings, 6pm to 8pm", "",
     ["step_free", "accessible_toilet"], ["english"], ["mental health", "anxiety", "depression", "wellbeing"], 50,
     {}),
    ("Hearing Voices Group", "Mind in the West",
     "A safe space to talk about hearing voices and other unusual experiences.", ["peer-support"], ["W10"],
     "W10 5AT", "Thursdays, 5pm to 6.30pm", "", ["step_free"], ["english"], ["mental health", "voices"], 180, {}),
    ("Stroke Survivors Club", "Stroke Association volunteers",
     "A friendly club for people who have had a stroke and their families: exercises, speech practice and "
     "speakers.", ["peer-support", "day-opportunities"], ["SW1", "SW3"], "SW3 4RX",
     "Second and fourth Wednesday, 1.30pm to 3.30pm", "", ["step_free", "accessible_toilet", "hearing_loop",
     "parking"], ["english"], ["stroke", "aphasia", "speech"], 60, {}),
    ("Parkinson's Support Group Westminster", "Parkinson's UK volunteers",
     "Monthly meetings with talks and exercise for people with Parkinson's and their carers.",
     ["peer-support", "carers-support"], ["NW8", "W9"], "NW8 9AB", "First Thursday of the month, 2pm to 4pm", "",
     ["step_free", "accessible_toilet", "parking"], ["english"], ["Parkinson's", "neurological"], 420, {}),
    ("MS Yoga and Coffee", "MS Society West London Group",
     "Adapted yoga and a coffee afterwards for people with multiple sclerosis.", ["peer-support",
     "day-opportunities"], ["SW5", "W8"], "SW5 9JA", "Saturdays, 10am to 11.30am", "£4 a session",
     ["step_free", "accessible_toilet"], ["english"], ["multiple sclerosis", "MS", "yoga"], 90, {}),
    ("Autism Parents Network", "West London Autism Group",
     "Parents and carers of autistic children and adults share advice and support.",
     ["carers-support", "peer-support"], ["W2", "W9", "W10", "W11"], "", "Online every Tuesday evening; meet-ups "
     "monthly", "", [], ["english"], ["autism", "autistic", "parents", "ADHD"], 75, {}),
    ("Shared Lives West London", "Shared Lives Plus partner scheme",
     "Short breaks and day support with an approved Shared Lives carer in their own home.",
     ["short-breaks-respite", "day-opportunities"], ["W9", "W10", "W11", "W2"], "", "By arrangement",
     "Paid from your personal budget", [], ["english", "polish"], ["shared lives", "respite", "short breaks"], 140,
     {}),
    ("Sitting Service for Carers", "Crossroads Care Central London",
     "A trained care worker stays with the person you care for, so you can have a few hours off.",
     ["short-breaks-respite", "carers-support"], ["SW1", "SW3", "SW5", "SW7"], "", "Weekdays and some evenings",
     "Free for registered carers, up to 3 hours a week", [], ["english", "spanish"],
     ["sitting service", "respite", "carers break"], 100, {}),
    ("Holiday Breaks Fund Advice", "Family Holiday Advice Network",
     "Help finding accessible holidays and grants to pay for them.", ["short-breaks-respite",
     "advice-information"], ["W2", "W9", "W10", "W11", "NW8", "SW1", "SW3", "SW5", "SW7"], "",
     "Phone line Monday to Wednesday", "", [], ["english"], ["holidays", "grants", "accessible travel"], 450, {}),
    ("Grow Together Garden", "Notting Dale Gardeners",
     "A community garden with raised beds you can reach from a wheelchair. Come and grow vegetables and flowers.",
     ["day-opportunities"], ["W11", "W10"], "W11 4EY", "Tuesdays and Saturdays, 10am to 1pm", "",
     ["step_free", "accessible_toilet"], ["english"], ["gardening", "garden", "outdoors", "vegetables"], 260, {}),
    ("Knit and Natter", "Maida Hill Library",
     "Bring your knitting, crochet or sewing, or learn. Tea and biscuits.", ["day-opportunities", "befriending"],
     ["W9"], "W9 3AN", "Fridays, 2pm to 4pm", "", ["step_free", "hearing_loop", "accessible_toilet"], ["english"],
     ["knitting", "crochet", "craft"], 30, {}),
    ("Digital Champions Drop-in", "Westminster Libraries",
     "Help with phones, tablets and computers: video calls with family, online shopping, and using OurChoice.",
     ["advice-information", "day-opportunities"], ["W2", "SW1", "NW8"], "SW1P 2DE", "Mondays, 2pm to 4pm", "",
     ["step_free", "accessible_toilet", "hearing_loop"], ["english", "arabic"],
     ["computers", "tablet", "internet", "digital skills", "video calls"], 20, {}),
    ("Bereavement Support Group", "Kensington Bereavement Service",
     "Support after the death of someone close, in a small group or one-to-one.", ["peer-support"],
     ["SW3", "SW5", "SW7", "W8"], "SW7 4RB", "Alternate Tuesdays, 6pm to 7.30pm", "", ["step_free"], ["english"],
     ["bereavement", "grief", "loss"], 150, {}),
    ("Church Street Neighbourhood Lunch", "Church Street Neighbourhood Centre",
     "Low-cost home-cooked lunch for anyone, with a welfare benefits adviser once a month.", ["day-opportunities",
     "advice-information"], ["NW8", "W2"], "NW8 8EU", "Weekdays, 12 noon to 1.30pm", "£2.50",
     ["step_free", "accessible_toilet"], ["english", "arabic", "bengali"], ["lunch", "community centre"], 10, {}),
    ("Meals on Wheels Kensington", "Kensington Meals Service",
     "Hot or frozen meals delivered to your door, with a quick welfare check by the driver.",
     ["help-at-home"], ["W10", "W11", "SW3", "SW5", "SW7"], "", "Every day, deliveries 11am to 1pm",
     "£4.80 a meal", [], ["english"], ["meals", "food delivery", "dinners"], 40, {}),
    ("Shopping Buddies", "Age UK Westminster volunteers",
     "A volunteer does your weekly shop with you or for you.", ["help-at-home", "befriending"],
     ["SW1", "W2", "NW8"], "", "Weekly, by arrangement", "", [], ["english"], ["shopping", "groceries"], 365 + 60,
     {}),
    ("Chelsea Physic Garden Wellbeing Walks", "Chelsea Physic Garden volunteers",
     "Slow guided walks among the plants, with seats on the way and a cup of tea at the end.",
     ["day-opportunities", "getting-out-and-about"], ["SW3"], "SW3 4HS", "Thursdays, 11am", "",
     ["step_free", "accessible_toilet"], ["english"], ["walks", "garden", "nature"], 35, {}),
    ("Museum Touch Tours", "South Kensington Museums Access Team",
     "Handling sessions and described tours for blind and partially sighted visitors; BSL tours monthly.",
     ["day-opportunities", "getting-out-and-about"], ["SW7"], "SW7 2DD", "First Saturday of the month, 11am",
     "", ["step_free", "hearing_loop", "bsl", "accessible_toilet"], ["english", "bsl"],
     ["museum", "touch tour", "audio description", "blind"], 120, {}),
    ("Accessible Swimming Sessions", "Queen Mother Sports Centre",
     "Quiet pool sessions with a hoist and changing places toilet, and a lifeguard to help.",
     ["day-opportunities"], ["SW1"], "SW1V 2QP", "Sundays, 9am to 10am", "£3.20, carers free",
     ["step_free", "accessible_toilet", "parking"], ["english"], ["swimming", "pool", "hoist", "changing places"],
     80, {}),
    ("Ladbroke Grove Pop-in Parlour", "Notting Hill Churches",
     "A warm space with hot drinks, newspapers and games. Drop in, no need to book.",
     ["befriending", "day-opportunities"], ["W11", "W10"], "W11 1NN", "Weekdays, 10am to 2pm", "", ["step_free"],
     ["english", "spanish"], ["warm space", "drop-in", "games"], 500, {}),
    ("Advocacy for All", "Westminster Advocacy Service",
     "An independent advocate can help you say what you want at care assessments, reviews and safeguarding "
     "meetings.", ["advice-information"], ["W2", "W9", "NW8", "SW1"], "W2 6NB", "Phone line weekdays 9am to 5pm",
     "", ["step_free", "accessible_toilet"], ["english"], ["advocate", "advocacy", "Care Act", "safeguarding"], 15,
     {}),
    ("Direct Payments Peer Network", "Disabled People's Network Kensington",
     "Budget holders share tips on employing personal assistants, payroll and managing a direct payment.",
     ["peer-support", "advice-information"], ["W10", "W11", "SW5"], "", "Monthly, on Zoom and in person", "",
     ["step_free", "hearing_loop"], ["english"], ["direct payments", "personal assistants", "payroll", "employer"],
     60, {}),
    ("Paddington Community Hairdressing", "Paddington Development Trust",
     "Hairdressing students cut hair at low cost in an accessible salon; home visits can be arranged.",
     ["help-at-home"], ["W2"], "W2 5EU", "Mondays and Tuesdays, 10am to 3pm", "£5 for a cut",
     ["step_free", "accessible_toilet"], ["english"], ["haircut", "hairdresser", "salon"], 999, {}),
    ("Old Chelsea Reading Circle", "", "A volunteer-run reading group that met in a church hall.",
     ["day-opportunities"], ["SW3"], "", "Not known", "", [], ["english"], ["books", "reading"], None,
     {"status": EntryStatus.HIDDEN}),
]


def host_label(name: str, max_length: int = 40) -> str:
    """A name as one DNS label: ASCII letters and digits joined by hyphens, cut at a word
    ("Carers' Coffee Morning, Chelsea" -> "carers-coffee-morning-chelsea")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    label = ""
    for word in re.findall(r"[a-z0-9]+", re.sub(r"['\u2019]", "", plain)):
        longer = f"{label}-{word}" if label else word
        if len(longer) > max_length:
            break
        label = longer
    return label or "service"


def contact_for(name: str, phone: str) -> dict[str, str]:
    """The demo contact details for an entry, through the checks every entry passes."""
    label = host_label(name)
    return {"email": contact_details.email_address(f"hello@{label}.example.org"),
            "website": contact_details.web_address(f"https://{label}.example.org"),
            "phone": contact_details.phone_number(phone)}


def _repair_contact(entry: DirectoryEntry, contact: dict[str, str]) -> None:
    """Databases seeded before the checks hold addresses like hello@carers-coffee-morning,-chelsea.example.org:
    replace those that fail (valid ones, including any a hub lead changed, are left alone)."""
    checks = {"email": contact_details.email_address, "website": contact_details.web_address,
              "phone": contact_details.phone_number}
    for key, check in checks.items():
        try:
            check(getattr(entry, key))
        except DomainError:
            setattr(entry, key, contact[key])
            entry.updated_at = utcnow()


def seed_directory(s, lead, holder_user, provider_user) -> None:
    """Idempotent: entries are found by name."""
    categories = {c.slug: c for c in db.session.scalars(select(ServiceCategory))}
    for number, (name, runs_it, description, slugs, districts, postcode, when, cost, access, languages, tags,
                 checked, extra) in enumerate(ENTRIES):
        contact = contact_for(name, extra.get("phone", f"020 7946 0{200 + number:03d}"))
        existing = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == name))
        if existing is not None:
            _repair_contact(existing, contact)
            continue
        entry = DirectoryEntry(
            name=name, organisation_name=runs_it, description=description, tags=tags, postcode=postcode,
            address=f"{runs_it or name}, London" if postcode else "", opening_times=when, is_free=not cost,
            cost=cost, accessibility=access, languages=[x for x in languages if x != "english"] or [], **contact,
            eligibility=extra.get("eligibility", ""), status=extra.get("status", EntryStatus.PUBLISHED),
            last_verified_on=s.today - timedelta(days=checked) if checked is not None else None,
            verified_by_id=lead.id if checked is not None else None,
        )
        entry.categories = [DirectoryEntryCategory(category_id=categories[slug_].id) for slug_ in slugs]
        entry.districts = [DirectoryEntryDistrict(district=d) for d in sorted(set(districts + extra.get(
            "districts_extra", [])))]
        s.add(entry)
    _seed_suggestions(s, holder_user, provider_user)


def _seed_suggestions(s, holder_user, provider_user) -> None:
    if db.session.scalar(select(Suggestion.id).limit(1)) is not None:
        return
    befriending = db.session.scalar(select(ServiceCategory.id).where(ServiceCategory.slug == "befriending"))
    s.add(Suggestion(
        district="W9", suggested_by_id=holder_user.id, created_at=s.days_ago(2),
        note="My neighbour goes every week and loves it.",
        proposed={"name": "Elgin Avenue Tea Dance", "description": "A monthly tea dance with a live band, for "
                  "anyone who likes music and company. Seats for those who prefer to watch.",
                  "category_ids": [befriending], "districts": "W9", "organisation_name": "Elgin Residents",
                  "address": "", "postcode": "", "email": "", "phone": "", "website": "",
                  "opening_times": "Last Sunday of the month, 2pm to 5pm", "is_free": False, "cost": "£3",
                  "eligibility": "", "accessibility": ["step_free"], "languages": [], "tags": "dance, music"}))
    lunch = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "Pimlico Lunch Club"))
    if lunch is not None:
        s.add(Suggestion(target_kind="service", target_id=lunch.id, district="SW1", suggested_by_id=provider_user.id,
                         created_at=s.days_ago(5), note="The Friday lunch has moved to Thursdays from December.",
                         status=SuggestionStatus.PENDING))
