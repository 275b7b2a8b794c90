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

# reference, parent reference, title, the recommendation as one sentence (a snapshot's headings),
# full text (in the snapshot's markup: "- " lines are a list), addressee, order
RECOMMENDATIONS = [
    (
        "1",
        None,
        "The risk of honour-based abuse",
        "Chief constables update their forces\u2019 sexual abuse policies to include the risk of honour-based abuse",
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
        "Chief constables should make sure that forces are aware of and understand different cultures and religions",
        "During our investigation, we found forces generally lack awareness and understanding of different "
        "cultures and religions. This means some officers are unlikely to recognise the wider risks of "
        "honour-based abuse after some victims report sexual abuse. Chief constables should make sure that:\n\n"
        "- officers and staff are aware of the demographics of the communities they police so they can "
        "understand the nuances of different cultures and have time to learn about those communities\n"
        "- independent advisory groups or equivalent groups reflect these demographics\n"
        "- forces work with the local communities they police to prepare up-to-date information on culture "
        "and religion and ensure officers have access to it\n"
        "- investigations consider any extra factors that might be relevant because of the culture and "
        "background of the victim or suspect\n\n"
        "The information in the third point must include:\n\n"
        "- the potential risks of honour-based abuse that some victims of sexual abuse face\n"
        "- any additional challenges and pressures relating to re-traumatisation that victims of sexual "
        "abuse from different ethnic minority backgrounds may experience",
        "chief_constables",
        20,
    ),
    (
        "2a",
        "2",
        "Awareness of community demographics",
        "Chief constables should make sure that officers and staff are aware of the demographics of the "
        "communities they police so they can understand the nuances of different cultures and have time to "
        "learn about those communities",
        "Officers and staff are aware of the demographics of the communities they police so they can "
        "understand the nuances of different cultures and have time to learn about those communities.",
        "chief_constables",
        21,
    ),
    (
        "2b",
        "2",
        "Independent advisory groups",
        "Chief constables should make sure that independent advisory groups (IAG) or equivalent groups reflect "
        "these demographics (different cultures and religions)",
        "Independent advisory groups or equivalent groups reflect these demographics.",
        "chief_constables",
        22,
    ),
    (
        "2c",
        "2",
        "Information on culture and religion",
        "Chief constables should make sure that forces work with the local communities they police to prepare "
        "up-to-date information on culture and religion and ensure officers have access to it",
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
        "Chief constables should make sure that investigations consider any extra factors that might be relevant "
        "because of the culture and background of the victim or suspect",
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
        "ethnicity data, including: data on voluntary attendance; data on the use of interpreters; and data on "
        "offering and providing special measures. We recommend this work includes how officers and staff "
        "collect data, and their confidence and capability to ask the right questions",
        "The NPCC and the College of Policing consider the findings from this investigation so they can be "
        "satisfied that the proposed changes and standards they are working on address the lack of recorded "
        "ethnicity data, including:\n"
        "- data on voluntary attendance\n"
        "- data on the use of interpreters\n"
        "- data on offering and providing special measures\n\n"
        "We recommend this work includes how officers and staff collect data, and their confidence and "
        "capability to ask the right questions.",
        "national_bodies",
        30,
    ),
    (
        "4",
        None,
        "Commissioned services for victims",
        "Police and crime commissioners make sure that consultation is inclusive and representative of the whole "
        "community before commissioning services for victims",
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

# What an illustrative answer says about its status, in a few wordings so answers read differently.
DEMO_NARRATIVES = {
    "complete": [
        "the force reports that this recommendation has been delivered and is now part of business as usual.",
        "the force considers this recommendation complete and has closed it on its action plan.",
        "the work is done; the force's strategic lead signed it off at its last governance board.",
    ],
    "in_progress": [
        "the force reports that work is under way and will report further progress next round.",
        "work has started and is about half way through the force's action plan.",
        "the force has begun this work and expects to finish it within the year.",
    ],
    "planned": [
        "the force reports that the work is planned and has an owner and a target date.",
        "the work is in next year's plan, with a named lead.",
    ],
    "not_started": ["the force reports that work has not yet started."],
}

# What an illustrative answer says about each theme staff coded on it, in a few wordings, so that
# search and coding find the same thing said in different words across forces.
THEME_SENTENCES = {
    ("1", "Specific HBA policy or SOP"): [
        "A specific honour-based abuse (HBA) policy has been written and signed off.",
        "The force is developing a dedicated HBA standard operating procedure (SOP) for sexual offences.",
    ],
    ("1", "HBA referenced in related policies"): [
        "HBA is referenced in the force's domestic abuse, RASSO and harmful practices policies.",
        "The sexual abuse, child abuse and forced marriage policies all now refer to the risk of HBA.",
        "Honour-based abuse appears in our culturally harmful practices and FGM procedures.",
    ],
    ("1", "Karma Nirvana training"): [
        "Officers have completed training from Karma Nirvana, the specialist HBA charity.",
        "The force works closely with the charity Karma Nirvana, which delivered awareness sessions to detectives.",
        "Public protection staff attended a Karma Nirvana training day on honour-based abuse.",
    ],
    ("1", "Reference to HBA being added"): [
        "HBA is not yet referenced in the sexual abuse policy; the policy owner is adding it at its next review.",
        "Work is under way to add a reference to honour-based abuse to the RASSO policy.",
    ],
    ("2a", "Neighbourhood profiles"): [
        "Neighbourhood profiles built from census and local authority data are available to all staff.",
        "Ward-level community profiles are refreshed each year and shared with neighbourhood teams.",
    ],
    ("2a", "Initial and specialist training"): [
        "Initial police training covers the communities the force serves; specialist investigators go further.",
        "Detective training includes inputs on different communities and cultures.",
    ],
    ("2a", "Community engagement strategy"): [
        "The community engagement strategy tailors activity by borough to local demographics and tensions.",
        "Neighbourhood Policing Teams work at borough level and plan engagement with local communities.",
    ],
    ("2b", "IAG in place"): [
        "The force's independent advisory group (IAG) reflects the communities it serves.",
        "An IAG, a youth IAG and a VAWG IAG meet quarterly and challenge the force's plans.",
        "Our Strategic Independent Advisory Group (SIAG) scrutinises the Police Race Action Plan.",
        "The IAG feeds into the force's Independent Scrutiny Oversight Board.",
    ],
    ("2b", "Work to establish or recruit to an IAG"): [
        "The force is recruiting new IAG members to improve the representation of all communities.",
        "An IAG is being re-established after a review of its membership.",
    ],
    ("2c", "Community engagement officers"): [
        "Community Engagement Officers support community groups and work with partner agencies.",
        "Dedicated engagement officers work with mosques, temples and community networks.",
    ],
    ("2c", "Partnership forums with HBA leads"): [
        "A partnership forum brings the force's HBA lead together with the Crown Prosecution Service and HALO.",
        "The HBA lead chairs a quarterly forum with key partners.",
    ],
    ("2c", "Training from community partners"): [
        "Community partners deliver continuous professional development inputs to officers.",
        "Third sector groups have given officers training on culture and religion.",
    ],
    ("2d", "THRIVE and DASH risk assessment"): [
        "Where THRIVE identifies HBA the incident is treated as high risk and a DASH risk assessment follows.",
        "A DASH assessment that identifies HBA refers the case to the Multi-Agency Risk Assessment Conference.",
    ],
    ("2d", "HBA champions or subject matter experts"): [
        "Subject matter experts on HBA advise investigating officers and command teams.",
        "HBA champions give investigators advice and guidance.",
    ],
    ("2d", "Karma Nirvana training"): [
        "Investigators use the Karma Nirvana risk assessment tool alongside the DARA.",
        "Karma Nirvana trained our investigators in how to support victims of HBA.",
        "The force uses Karma Nirvana's training for officers and staff who investigate HBA.",
    ],
    ("3", "Data quality dashboard"): [
        "A data dashboard shows the recording of victim ethnicity by team.",
        "Data quality dashboards are reviewed monthly by the force's performance board.",
    ],
    ("3", "HBA flags on systems"): [
        "HBA is flagged on the command and control and crime recording systems.",
        "Crime records carry an HBA flag alongside the primary classification.",
    ],
    ("3", "Gaps in interpreter or special measures data"): [
        "The force cannot yet report on the use of interpreters or special measures.",
        "Data on special measures offered and provided is not yet recorded consistently.",
    ],
}

# Practice the snapshot describes (seed 001), each carried by the illustrative answer of an unnamed
# force and quoted by staff as notable practice. Written to follow "One force"
# (rules.practice_attribution); the answer itself says "The force" and the same words.
PRACTICE = {
    "2a": [
        "has developed Community Engagement Guides which give staff advice and guidance about potential "
        "cultural barriers and etiquette.",
        "uses single points of contact (SPOCs) with detailed knowledge of local cultures to give officers "
        "up-to-date information.",
        "has a Community Engagement Unit which identifies community tensions by understanding communities and "
        "their vulnerabilities, monitoring local, national and international issues alongside intelligence and "
        "crime statistics.",
        "uses its Community Cohesion Team to build a rapport with the community and better understand "
        "community tensions.",
        "trains all of its new officers and existing staff in HBA and forced marriage, and trains detectives "
        "using examples involving different communities, such as white gypsy traveller, Iraqi Kurdish and South "
        "Asian cases.",
        "uses the ilearn tool so that its workforce is Diversity, Equality and Inclusion (DEI) informed, "
        "supporting its DEI Strategy and DEI Action Plan.",
        "has run Inspector and Sergeant training days, drawing on staff networks, community partners and local "
        "data, so that leaders are knowledgeable on HBA and build confidence in their teams to address it.",
        "highlighted that the policing education qualifications framework (PEQF) and its Detective Training "
        "Program include sessions on FGM and HBA.",
        "holds regular equality, diversity and inclusion days where staff meet community members.",
    ],
    "2b": [
        "has established VOICES (Valuing Our Individual Communities, Experiences and Skills) in partnership "
        "with the University of Leicester: an advisory group of survivors of sexual violence from a diverse "
        "range of communities, which advises the multi-agency Response to Sexual Violence group so that "
        "policies and practice are shaped by the voices of survivors.",
        "has introduced \u2018People\u2019s Voice\u2019, which gives officers and staff the opportunity to "
        "learn from members of the public about the nuances of diverse cultures based on their religions, "
        "ethnic backgrounds, sexual orientations and gender identities.",
        "has a Racial Advisory Group as well as its IAG.",
        "has an African and Caribbean Reference Group, and forums for faith including a Black Faith Leaders "
        "Forum and a Muslim Faith Leaders Forum.",
        "has IAG members who are thematic leads and attend its Inclusion Board, Public Encounters Group and "
        "VAWG Board; members also chair public scrutiny boards on Stop & Search, Use of Force and complaints, "
        "which led to Stop & Search cards and changes to force training.",
        "invites members of its Key Individual Networks (KIN) to IAG meetings on a bespoke basis.",
    ],
    "2c": [
        "has implemented Community Innovation Hubs to develop strong relationships with BAME communities.",
        "is working with the research expertise of a local university to better understand HBA and improve "
        "its response.",
        "co-commissions a Sexual Assault Referral Centre with the NHS which gives officers specialist advice "
        "and signposts to cultural and religious support agencies such as Zinthiya and the Shama Centre.",
        "has introduced \u2018Neighbourhood Matters\u2019, a central depository where officers record their "
        "community engagement for later review and analysis of the trends in an area.",
        "has implemented a \u2018Cultural Intelligence App\u2019 which gives officers updated and accurate "
        "information in one place.",
        "held a multi-agency Continuous Professional Development (CPD) day with inputs from third sector "
        "support groups, affected communities, the Forced Marriage Unit and the National FGM Centre.",
    ],
    "2d": [
        "has custody staff complete a risk assessment which highlights any cultural needs.",
        "has sexual violence offences investigated by specialist officers who work with the SARC team, and is "
        "considering a team of specialist sexual offence responders for the first contact with victims.",
        "has 54 dedicated HBA Champions to provide best practice and insights on HBA.",
        "hosted a HBA conference with policing partners and subject matter experts to better understand "
        "culturally harmful practices.",
        "has implemented Operation Palais, its commitment to reducing domestic homicides by safeguarding "
        "domestic abuse victims, increasing domestic abuse prosecutions and making homes safe, supporting the "
        "three pillars of the NPCC VAWG Framework.",
        "has introduced a revised RASSO Investigation Booklet which records ethnicity, the victim\u2019s first "
        "language and interpreter requirements, and includes a witness assessment that asks about cultural or "
        "religious needs, captured in the Investigative Assessment Framework of the crime record.",
    ],
    "3": [
        "commented that recording of the eight protected characteristics varies: gender and age are recorded "
        "well, ethnicity to some extent, and the other characteristics poorly if at all.",
        "received an Area for Improvement entitled \u201cThe force needs to improve the recording of equality "
        "data\u201d.",
        "has a Custody auditing system, created after an HMIC inspection in 2019, which dip samples records "
        "against nineteen AFIs, including ethnic and cultural factors reviewed monthly by the Custody Senior "
        "Management Team within its Performance Management Framework (PMF).",
        "reflected that HBA flags show only the reports, incidents and crimes where the flag was selected, so "
        "there are likely to be data quality gaps, to be addressed by training in HBA and wider traditional "
        "harmful practices.",
        "requires its HBA officers to flag additional markers on any Athena crime reference alongside the "
        "primary classification, so cases can be reviewed, compared and audited; VAWG is flagged the same way.",
        "has a \u2018data quality\u2019 management information dashboard, open to everyone in the "
        "organisation, which highlights each person\u2019s recording errors, victim ethnicity among them, for "
        "them to correct; those with the most errors each month are referred to their supervisors.",
        "issued a message to all officers and staff reminding them to record self-defined ethnicity and that "
        "any victim of sexual abuse from an ethnic minority background may be at risk of HBA.",
        "raised awareness of data quality in its command and control centres, which significantly improved "
        "the coding of HBA within 12 months.",
        "said that it cannot report on interpreter data because of the limitations of its system.",
    ],
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
    ("3", "Data quality dashboard"): ["Cheshire", "Durham", "Lancashire", "Metropolitan", "West Yorkshire"],
    ("3", "Gaps in interpreter or special measures data"): ["Cleveland", "Gwent", "Merseyside", "Surrey"],
}
NO_IAG_COMMENT = ["City of London", "Cumbria", "Lincolnshire", "Northamptonshire", "Warwickshire"]

# The published snapshot's text, in the snapshot's markup. Every figure is a placeholder filled from
# the snapshot's figures ({answered}, {Theme:...}); none is typed. The practice of single forces is
# not retold here: it is quoted from the answers (PRACTICE) under each summary.
SNAPSHOT = {
    "title": "Updated NPCC response to TVIP super-complaint",
    "summary": (
        "Force progress against the recommendations of the super-complaint report on how the police respond "
        "to victims of sexual abuse from ethnic minority backgrounds who may be at risk of honour-based abuse."
    ),
    "author": "NPCC Honour-Based Abuse, Forced Marriage and FGM portfolio",
    "contact": "hba.portfolio@example.invalid (demo address)",
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
            "variety of their force policies, strategies and standard operating procedures (SOP), including:\n\n"
            "- harmful practices and culturally harmful practices\n"
            "- domestic abuse, RASSO and sexual abuse\n"
            "- child abuse\n"
            "- forced marriage and female genital mutilation\n\n"
            "There was a clear commitment to making sure the risk of HBA is well understood by officers, "
            "considered in instances of sexual abuse, that action is taken to keep victims safe and supported, "
            "and that an effective investigation is conducted to prosecute the offender. Many forces also noted "
            "bespoke training packages on HBA available to their officers, and close working with the specialist "
            "HBA charity **Karma Nirvana**.\n\n"
            "{Theme:Specific HBA policy or SOP} forces had implemented or were developing a specific HBA policy "
            "or SOP to ensure the risk of HBA is fully understood and tackled.\n\n"
            "For a small number of the forces ({theme:Reference to HBA being added}) HBA is not currently "
            "referenced directly within their policies however there is work underway to ensure it is added.\n\n"
            "There were {status:will_not_implement} forces who said HBA was not and will not be referenced."
        ),
        "2a": (
            "Forces recognised that they work in multi-cultural and diverse areas and noted the importance of "
            "properly understanding them. Across the responses received it was clear that there is a significant "
            "amount of activity taking place to improve police officer and staff awareness of the diversity and "
            "complexity of the communities they serve.\n\n"
            "Across many forces Neighbourhood Policing Teams are organised at local borough (or similar) level, so "
            "that officers can engage more actively with, and understand, their communities. A large number of "
            "forces have developed local neighbourhood profiles of the demographics of communities, drawing on "
            "census and local authority data and, in some forces, on insight from their community messaging "
            "\u2018Alert\u2019 systems (for example, [Derbyshire Alert](https://www.derbyshirealert.co.uk/)). "
            "These profiles are available to all staff and inform community engagement strategies, which tailor "
            "activity by borough (or similar) to the demographics, community tensions and vulnerable individuals "
            "and groups there.\n\n"
            "Some forces reflected that data is not available at the level needed (borough or ward) or is out of "
            "date; there, the local knowledge and insight of local officers is relied upon.\n\n"
            "Initial police training and specialist investigative training are two routes forces use to ensure "
            "awareness: the former gives a general overview, the latter a chance to look deeply at specific "
            "communities depending on an officer\u2019s specialism. There is a large range of work underway to "
            "improve relationships with different communities. Examples from the answers follow."
        ),
        "2b": (
            "Force responses to this recommendation show a range of progress. Overall the majority of forces that "
            "responded ({theme:IAG in place} of {answered}) have an IAG, or equivalent, model established in their "
            "area and acknowledge the value of these diverse groups representing key community groups and "
            "providing a mechanism for two-way communication. A handful of forces did not directly comment on "
            "IAGs, or equivalent, in their responses, and in a couple of areas "
            "({theme:Work to establish or recruit to an IAG}) there is work ongoing to establish IAGs, to recruit "
            "IAG members or to improve the representation of all communities within IAGs.\n\n"
            "There are a variety of IAGs across forces, including:\n\n"
            "- SIAGs (Strategic Independent Advisory Groups)\n"
            "- YIAGs (Youth Independent Advisory Groups)\n"
            "- JEGs (Joint Engagement Groups)\n"
            "- CAGs (Community Action Groups)\n\n"
            "A number of forces also cite specific VAWG IAGs, with a women-focused membership giving insight on "
            "Violence Against Women and Girls (VAWG) from lived experience or representing those with lived "
            "experience. In many instances the IAGs provide high levels of challenge to support the Police Race "
            "Action Plan.\n\n"
            "In many instances IAGs feed into Independent Scrutiny Oversight Boards or other scrutiny panels. "
            "Forces focus on the right representation within IAGs to ensure, in turn, representation within their "
            "governance structures, and feedback from public scrutiny is evaluated and acted on."
        ),
        "2c": (
            "The Neighbourhood Policing Guidelines support the use of community engagement to gather information "
            "and intelligence to address local, force and national priorities. Many forces noted the value they "
            "place on community and/or partnership engagement to inform force activity, signpost demographic "
            "changes and monitor communities identified as vulnerable, at risk of crime or hard to reach.\n\n"
            "As noted in the response to recommendation 2a, forces use a variety of datasets to understand the "
            "areas they police, and the insight (typically a \u2018profile\u2019 or similar) is readily "
            "accessible to officers and staff.\n\n"
            "Community engagement spans individuals and small groups representing specific communities, and "
            "targeted engagement with other bodies, for instance mosques and community networks. Many forces have "
            "Community Engagement Officers, or similar, who give specialist support to community groups and work "
            "with police and partner agencies to bridge gaps and increase communication and confidence.\n\n"
            "Forces value the insight of relevant agencies including HALO, and have set up forums for "
            "conversations between HBA leads and key partners including the Crown Prosecution Service. Forces "
            "also value working with the Office of the Police and Crime Commissioner, where in one area a Deputy "
            "Police and Crime Commissioner leads on VAWG.\n\n"
            "Across many forces the information gathered and the relationships built through community "
            "engagement are used to give officers training or continuous professional development, including "
            "that those at risk of HBA may also be at risk of sexual violence."
        ),
        "2d": (
            "The THRIVE (Threat, harm, risk, investigation, vulnerability and engagement) assessment supports "
            "officers in assessing the right initial police response to a call for service, and places the "
            "victim\u2019s needs at the centre of the decision. Many forces noted that where HBA is identified "
            "through THRIVE there is a clear process which follows, with these incidents treated as high risk. "
            "Approaches differ slightly, but in a number of force responses a DASH risk assessment is also "
            "completed with the victim and, if HBA is identified, this starts an automatic referral into the "
            "Multi-Agency Risk Assessment Conference (MARAC) process.\n\n"
            "Subject Matter Experts exist in a number of forces to give advice and guidance to investigating "
            "officers and teams and, in some instances, information to Command teams.\n\n"
            "As noted in response to recommendation 1, many forces use the HBA charity **Karma Nirvana** to train "
            "their officers and staff, and many also use the Karma Nirvana risk assessment tool, in some cases "
            "alongside the Domestic Abuse Risk Assessment (DARA). Forces are clear about the importance of "
            "understanding the results of these assessments for insight into the victim\u2019s background. A "
            "number of forces described other training courses or CPD events to improve investigations of HBA.\n\n"
            "There are fewer examples of assessing a suspect\u2019s culture or background; forces are addressing "
            "this as part of the Operation Soteria Bluestone improvement plan for rape and serious sexual offences "
            "(RASSO)."
        ),
        "3": (
            "Not all forces responded to this recommendation and as such the NPCC cannot confidently state the "
            "extent to which we are satisfied that progress has been made against it. From the {answered} forces "
            "that did respond we saw varying levels of delivery but a reassuring acknowledgement of the importance "
            "of recording ethnicity information. What follows summarises comments from those {answered} forces "
            "and should not be viewed as representative of all forces, or as a consolidated response from the "
            "NPCC.\n\n"
            "Data on protected characteristics is a national issue, flagged in numerous thematic HMIC reports and "
            "in a number of forces\u2019 PEEL inspections, and forces have acted to improve recording practices. "
            "An NPCC Working Group governed by the Diversity, Equality and Inclusion Coordination Committee was set "
            "up because no clear and current national position was available to forces; its report and "
            "recommendations were due in January 2023 but have not yet been published.\n\n"
            "Flags, HBA among them, are included on a range of command, control and record management systems "
            "within forces. A number of forces ({theme:Data quality dashboard}) noted data dashboards for these "
            "data, though there was limited information on how these are used to address the lack of recorded "
            "ethnicity data.\n\n"
            "More generally, forces described continuing work to raise awareness of the importance of data "
            "quality and of understanding the needs of victims. A few forces "
            "({theme:Gaps in interpreter or special measures data}) indicated that there remains work to do, "
            "particularly on **data on the use of interpreters** and **data on offering and providing special "
            "measures**."
        ),
    },
}


# A second report in the open round, invented for the demo and saying so: its references collide
# with the TVIP report's ("1", "2a"), so pages, the return and the exports show how two reports'
# recommendations are kept apart, and two of them are linked to TVIP ones so a force answers once.
ILLUSTRATIVE_REPORT = {
    "slug": "illustrative-follow-up",
    "short_title": "Illustrative follow-up",
    "title": "Illustrative follow-up report on honour-based abuse and community confidence "
    "(demonstration data, not a real publication)",
    "publishers": "Demonstration data (not a real publication)",
    "published_on": "2024-06-03",
    "url": "",
    "summary": "An invented report shipped with the demo, so that the open round asks about two reports at once. "
    "Nothing in it is real: its recommendations are written for the demonstration.",
}

ILLUSTRATIVE_RECOMMENDATIONS = [
    (
        "1",
        None,
        "Honour-based abuse in safeguarding policy",
        "Chief constables make sure their forces' safeguarding and sexual abuse policies name the risk of "
        "honour-based abuse",
        "Illustrative: chief constables should make sure that their forces' safeguarding and sexual abuse policies "
        "name the risk of honour-based abuse and say what officers should do about it.",
        "chief_constables",
        10,
    ),
    (
        "2",
        None,
        "Community confidence",
        "",
        "Illustrative: chief constables should build the confidence of ethnic minority communities in reporting "
        "abuse, in the two ways below.",
        "chief_constables",
        20,
    ),
    (
        "2a",
        "2",
        "Briefings on community demographics",
        "Chief constables make sure officers and staff are briefed on the demographics of the communities they serve",
        "Illustrative: chief constables should make sure that officers and staff are briefed on the demographics "
        "of the communities they serve, and that the briefings are kept up to date.",
        "chief_constables",
        21,
    ),
    (
        "2b",
        "2",
        "Feedback from victims' groups",
        "Chief constables seek regular feedback from groups representing ethnic minority victims",
        "Illustrative: chief constables should seek regular feedback on the service victims receive from groups "
        "that represent ethnic minority victims of abuse.",
        "chief_constables",
        22,
    ),
]

ILLUSTRATIVE_ROUND_REFERENCES = ["1", "2a", "2b"]

# (TVIP reference, kind, illustrative reference, note): the TVIP recommendation's answer can be
# reused for the illustrative one.
ILLUSTRATIVE_LINKS = [
    ("1", "same_as", "1", "Both ask forces to name the risk of honour-based abuse in their sexual abuse policy."),
    (
        "2a",
        "partly_covers",
        "2a",
        "TVIP 2a asks for awareness of the communities' demographics; this one also asks for briefings kept up to date.",
    ),
]


# Requests for more time on the open round: (force, days after the round's due date asked for, the
# lead's reason, staff's note when granted or None while it waits for a decision).
DEMO_EXTENSIONS = [
    (
        "durham",
        14,
        "Our force board meets a week after the due date and must approve the return before we submit it.",
        "Granted: two weeks, so the board can approve the return.",
    ),
    (
        "essex",
        21,
        "The officer who leads on this work is on long-term leave; their replacement starts next month.",
        None,
    ),
]
