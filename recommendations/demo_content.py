"""The demo's published content: the TVIP report, its recommendations and the March 2024 snapshot.

Recommendation wording and snapshot text are taken from the NPCC's published snapshot of
25 March 2024 and the West Midlands Police and Crime Commissioner's published response. Force
answers other than West Midlands' are made up for the demo and say so in their own text.
"""

REPORT = {
    "slug": "tvip-super-complaint",
    "short_title": "TVIP super-complaint",
    "title": (
        "How the police respond to victims of sexual abuse when the victim is from an ethnic minority "
        "background and may be at risk of honour-based abuse: report on Tees Valley Inclusion Project's "
        "super-complaint"
    ),
    "publishers": "HMICFRS, the College of Policing and the Independent Office for Police Conduct",
    "published_on": "2022-12-01",
    "url": "",
    "summary": (
        "The super-complaint investigation focused on ethnic minority victims of sexual abuse, including "
        "those who might be at risk of honour-based abuse. Tees Valley Inclusion Project submitted it "
        "because of concerns that these victims receive a particularly poor service, without proper "
        "consideration of their specific risks and vulnerabilities."
    ),
}

# reference, parent reference, title, text, addressee, order
RECOMMENDATIONS = [
    (
        "1",
        None,
        "The risk of honour-based abuse",
        "We found forces generally only include the risk of honour-based abuse in their domestic abuse "
        "policies, so we recommend that chief constables update their forces' sexual abuse policies to "
        "include the risk of honour-based abuse.",
        "chief_constables",
        10,
    ),
    (
        "2",
        None,
        "Cultural awareness",
        "During our investigation, we found forces generally lack awareness and understanding of different "
        "cultures and religions. This means some officers are unlikely to recognise the wider risks of "
        "honour-based abuse after some victims report sexual abuse. Chief constables should make sure that:",
        "chief_constables",
        20,
    ),
    (
        "2a",
        "2",
        "Awareness of community demographics",
        "Officers and staff are aware of the demographics of the communities they police so they can "
        "understand the nuances of different cultures and have time to learn about those communities.",
        "chief_constables",
        21,
    ),
    (
        "2b",
        "2",
        "Independent advisory groups",
        "Independent advisory groups or equivalent groups reflect these demographics.",
        "chief_constables",
        22,
    ),
    (
        "2c",
        "2",
        "Information on culture and religion",
        "Forces work with the local communities they police to prepare up-to-date information on culture "
        "and religion and ensure officers have access to it. The information must include:\n"
        "- the potential risks of honour-based abuse that some victims of sexual abuse face\n"
        "- any additional challenges and pressures relating to re-traumatisation that victims of sexual "
        "abuse from different ethnic minority backgrounds may experience",
        "chief_constables",
        23,
    ),
    (
        "2d",
        "2",
        "Culture and background in investigations",
        "Investigations consider any extra factors that might be relevant because of the culture and "
        "background of the victim or suspect.",
        "chief_constables",
        24,
    ),
    (
        "3",
        None,
        "Consideration of findings",
        "The NPCC and the College of Policing consider the findings from this investigation so they can be "
        "satisfied that the proposed changes and standards they are working on address the lack of recorded "
        "ethnicity data, including:\n"
        "- data on voluntary attendance\n"
        "- data on the use of interpreters\n"
        "- data on offering and providing special measures\n"
        "We recommend this work includes how officers and staff collect data, and their confidence and "
        "capability to ask the right questions.",
        "national_bodies",
        30,
    ),
    (
        "4",
        None,
        "Commissioned services for victims",
        "Police and crime commissioners should make sure that consultation is inclusive and representative "
        "of the whole community before commissioning services for victims.",
        "pccs",
        40,
    ),
]

# The references a force answers in a round: the parts, not the parent "2", and not the PCCs' one.
ROUND_REFERENCES = ["1", "2a", "2b", "2c", "2d", "3"]

THEMES = {
    "1": [
        "Specific HBA policy or SOP",
        "HBA referenced in related policies",
        "Karma Nirvana training",
        "Reference to HBA being added",
    ],
    "2a": ["Neighbourhood profiles", "Initial and specialist training", "Community engagement strategy"],
    "2b": ["IAG in place", "Work to establish or recruit to an IAG"],
    "2c": ["Community engagement officers", "Partnership forums with HBA leads", "Training from community partners"],
    "2d": ["THRIVE and DASH risk assessment", "HBA champions or subject matter experts", "Karma Nirvana training"],
    "3": ["Data quality dashboard", "HBA flags on systems", "Gaps in interpreter or special measures data"],
}

PAST_ROUND = {
    "slug": "progress-update-march-2024",
    "title": "Progress update, March 2024",
    "opens_on": "2024-01-15",
    "due_on": "2024-02-29",
    "answered_on": "2024-02-20",
}
NON_RESPONDERS = ["Dyfed-Powys", "Essex", "Kent"]

# West Midlands' answers quote the PCC's published response.
WEST_MIDLANDS = {
    "1": (
        "complete",
        "Quoted from the West Midlands Police and Crime Commissioner's published response: "
        '"The office was also informed by the force, that WMP have a separate policy on honour-based abuse '
        "(HBA), which was created in the absence of a national document at the time. There is also online "
        'guidance by the force, on what HBA can look like, as well advice and useful links."',
    ),
    "2a": (
        "in_progress",
        "Quoted from the West Midlands Police and Crime Commissioner's published response: \"One way in which "
        "WMP is doing this, is through the active recruitment of Police Community Support Officers (PCSOs) or "
        "neighbourhood officers. These officers are able to have a greater understanding of local issues, by "
        'engaging with under-represented groups."',
    ),
    "2b": (
        "complete",
        "Quoted from the West Midlands Police and Crime Commissioner's published response: \"Progress against "
        "these objectives, are tracked via quarterly 'Our Communities' meetings, which feed into the Diversity "
        'and Inclusion Board, that tracks overall progress against the strategy."',
    ),
    "2c": (
        "in_progress",
        "Quoted from the West Midlands Police and Crime Commissioner's published response: \"Better "
        "understanding the identities, needs and history of communities through better collection and analysis "
        'of data and information across core strands of diversity."',
    ),
    "2d": (
        "in_progress",
        "Quoted from the West Midlands Police and Crime Commissioner's published response: \"By having stronger "
        "engagement with victims within Op Soteria, victim safeguarding and their individual needs will be "
        "better considered, an update and contact plan will be agreed, as well as signposting to other agencies "
        'for support."',
    ),
    "3": (
        "in_progress",
        "Quoted from the West Midlands Police and Crime Commissioner's published response: \"Currently, only "
        "around a third of crime reports record the victims' ethnicity. This is not an issue unique to WMP and "
        'is part of a national dilemma of recording practices for protected characteristics."',
    ),
}

ILLUSTRATIVE = "Illustrative demo text, not {force}'s own words: "

DEMO_NARRATIVES = {
    "complete": "the force reports that this recommendation has been delivered and is now part of business as usual.",
    "in_progress": "the force reports that work is under way and will report further progress next round.",
    "planned": "the force reports that the work is planned and has an owner and a target date.",
    "not_started": "the force reports that work has not yet started.",
}

# Status patterns, in the order of the 40 responding forces (alphabetical). Counted by hand:
# recommendation 1 has 30 complete, 5 in progress, 5 planned and none that will not implement.
STATUS_CYCLES = {
    "1": ["complete"] * 6 + ["in_progress", "planned"],
    "2a": ["complete"] * 3 + ["in_progress", "in_progress", "complete", "planned", "in_progress"] * 1,
    "2b": ["complete"] * 7 + ["not_started"] + ["in_progress"] * 2,
    "2c": ["complete", "in_progress", "complete", "in_progress", "planned", "complete", "in_progress", "complete"],
    "2d": ["complete"] * 5 + ["in_progress"] * 2 + ["planned"],
    "3": ["in_progress"] * 3 + ["complete", "planned"],
}

# The 15 forces that answered recommendation 3.
RECOMMENDATION_3_FORCES = [
    "Avon & Somerset",
    "Cheshire",
    "Cleveland",
    "Derbyshire",
    "Durham",
    "Gwent",
    "Hertfordshire",
    "Lancashire",
    "Merseyside",
    "Metropolitan",
    "North Wales",
    "Northumbria",
    "Surrey",
    "West Midlands",
    "West Yorkshire",
]

# Theme codings: (reference, theme) -> forces. Anything not listed is derived below in the loader.
THEME_FORCES = {
    ("1", "Specific HBA policy or SOP"): [
        "Bedfordshire",
        "Lancashire",
        "Metropolitan",
        "South Yorkshire",
        "West Midlands",
    ],
    ("1", "Reference to HBA being added"): ["Cumbria", "Norfolk", "Suffolk", "Wiltshire"],
    # A handful of forces did not comment on IAGs in their answer to 2b.
    ("2b", "Work to establish or recruit to an IAG"): ["Cumbria", "Lincolnshire"],
}
NO_IAG_COMMENT = ["City of London", "Cumbria", "Lincolnshire", "Northamptonshire", "Warwickshire"]

SNAPSHOT = {
    "title": "Updated NPCC response to TVIP super-complaint",
    "published_on": "2024-03-25",
    "introduction": (
        "The NPCC Honour-Based Abuse, Forced Marriage and Female Genital Mutilation (FGM) portfolio has "
        "requested updates on force progress against the three key recommendations from the report on the "
        "TVIP super-complaint relating to how the police respond to victims of sexual abuse when the victim is "
        "from an ethnic minority background and may be at risk of honour-based abuse (HBA)."
    ),
    "summaries": {
        "1": (
            "Amongst the forces that responded a significant amount noted that HBA was referenced within a "
            "variety of their force policies, strategies and standard operating procedures (SOP). Many forces "
            "also noted bespoke training packages that are available to their officers around HBA and close "
            "working with specialist HBA charity Karma Nirvana.\n\n"
            "Five forces had implemented or were developing a specific HBA policy or SOP to ensure the risk of "
            "HBA is fully understood and tackled.\n\n"
            "For a small number of the forces HBA is not currently referenced directly within their policies "
            "however there is work underway to ensure it is added.\n\n"
            "There were no forces who said HBA was not and will not be referenced."
        ),
        "2a": (
            "Forces recognised that they work in multi-cultural and diverse areas and noted the importance of "
            "properly understanding them. Across the responses received it was clear that there is a significant "
            "amount of activity taking place to improve police officer and staff awareness of the diversity and "
            "complexity of the communities they serve."
        ),
        "2b": (
            "Force responses to this recommendation show a range of progress. Overall the majority of forces that "
            "responded have a IAG, or equivalent, model established in their area. A handful of forces did not "
            "directly comment on IAGs, or equivalent, within their responses, and in a couple of areas there is "
            "work ongoing to establish IAGs, to recruit for IAG members or to improve the representation of all "
            "communities within IAGs."
        ),
        "2c": (
            "Many forces noted the value they place on community and/or partnership engagement to inform force "
            "activity, signpost demographic changes and monitor communities identified as vulnerable, at risk of "
            "crime or hard to reach."
        ),
        "2d": (
            "Many forces noted that in instances where HBA is identified via THRIVE there is a clear process "
            "which is followed thereafter with these incidents treated as high risk. Subject Matter Experts exist "
            "in a number of forces to provide advice and guidance to investigating officers and teams."
        ),
        "3": (
            "Not all forces responded to this recommendation and as such the NPCC cannot confidently state the "
            "extent to which we are satisfied that progress have been made against it. From the 15 forces that "
            "did respond we saw varying levels of delivery but a reassuring acknowledgement of the importance of "
            "recording ethnicity information."
        ),
    },
}
