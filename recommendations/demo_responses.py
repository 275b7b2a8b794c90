"""The demo's local policing bodies' work: the West Midlands Police and Crime Commissioner's
published response to the TVIP report (seed 000), in its structure and with its points.

Passages in quotation blocks introduced by "Quoted from the published response" are the published
response's words; the rest restates its points in this demo's words.
"""

HOLDER_NAME = "Simon Foster"  # as the published response is signed

# The published response carries no date. It speaks of Operation Soteria rolling out "on July 10th"
# (2023), so it came after that; the demo dates it 1 August 2023 (illustrative), which is late.
PUBLISHED_ON = "2023-08-01"

QUOTED = "Quoted from the published response:"

INTRODUCTION = (
    "Published in December 2022, this super-complaint investigation looked at how the police respond "
    "to ethnic minority victims of sexual abuse, including those who may be at risk of honour-based "
    "abuse. Tees Valley Inclusion Project made the super-complaint because it was concerned that these "
    "victims receive a particularly poor service, without proper consideration of their specific risks "
    "and vulnerabilities. HMICFRS, the College of Policing and the Independent Office for Police Conduct "
    "made four key recommendations:"
)

# (reference of the report's recommendation, heading as the response numbers it, text)
SECTIONS = [
    (
        "1",
        "Risk of Honour Based Abuse",
        "The inspectorate found that forces in England and Wales do not explicitly include the risk of "
        "honour-based abuse in their sexual abuse policies. West Midlands Police's policy on rape and serious "
        "sexual offences, with its equality impact assessment and procedural guidance, does not name that "
        "risk either, but it does recognise that:\n\n"
        "1. a person's circumstances, culture and demographic factors may affect whether they can and will "
        "report an offence;\n"
        "2. the individual and diverse needs of the complainant must be met with particular sensitivity "
        "throughout an investigation.\n\n"
        "The force also told the office that it has a **separate policy on honour-based abuse (HBA)**, "
        f'written when there was no national document.\n\n> {QUOTED} "There is also online guidance by the '
        'force, on what HBA can look like, as well advice and useful links."',
    ),
    (
        "2",
        "Cultural Awareness",
        "The inspectorate found a general lack of awareness and understanding of cultures and religions, "
        "which stops officers recognising the wider risks of honour-based abuse, and recommended that "
        "officers and staff learn about the communities they serve.\n\n"
        "West Midlands Police is doing this partly through the **active recruitment of Police Community "
        "Support Officers (PCSOs) and neighbourhood officers**, who engage with under-represented groups "
        "and build relationships so that communities' concerns are heard.\n\n"
        "The force's Diversity and Inclusion strategy has an **'Our Communities' strand** with three "
        "objectives:\n\n"
        "1. better understanding of communities' identities, needs and history, through better data;\n"
        "2. engagement that builds trust and confidence with every community;\n"
        "3. public confidence through being fair, proportionate, transparent and accountable.\n\n"
        "Progress is tracked at quarterly 'Our Communities' meetings, which report to the Diversity and "
        "Inclusion Board.\n\n"
        "The force was one of the pathfinders for **Operation Soteria**, which aims to bring more sex "
        "offenders to justice and to put victims at the heart of everything, and has its own action plan, "
        "'We Listen, We Believe, We Care', whose 'We Listen' strand puts victim contact and engagement, "
        "risk management and supervisory review first.\n\n"
        f'> {QUOTED} "By having stronger engagement with victims within Op Soteria, victim safeguarding and '
        "their individual needs will be better considered, an update and contact plan will be agreed, as "
        'well as signposting to other agencies for support."',
    ),
    (
        "3",
        "Poor Quality Police Data on Ethnicity",
        "Inconsistent recording of ethnicity stops the force engaging with every community on a fully "
        "informed, evidence-based footing; the data on the groups known to be most at risk is patchy.\n\n"
        f'> {QUOTED} "Currently, only around a third of crime reports record the victims\' ethnicity."\n\n'
        "This is a national problem with recording protected characteristics, not one unique to West "
        "Midlands Police. A position is being discussed at the force's 'Our Communities Board' and at an "
        "HMICFRS meeting chaired by the Deputy Chief Constable, alongside other open recommendations on the "
        "same subject.",
    ),
    (
        "4",
        "PCC Commissioned Services for Victims",
        "One recommendation was for police and crime commissioners: that consultation is inclusive and "
        "representative of the whole community before services for victims are commissioned.\n\n"
        "As part of its commitment to partnership working, the office provides advice on a healthy provider "
        "market through the **Victims Commission**, where providers and commissioners of services work "
        "together. The Commission monitors how victims of all kinds are identified, whether they get the "
        "specialist help they need, and how well services connect; force leads, the office's victims team "
        "and commissioned services attend, and the force's dedicated HBA and forced marriage lead attends "
        "when required.",
    ),
]
