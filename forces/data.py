"""The 43 territorial police forces of England and Wales, as the NPCC's snapshot names them.

Aliases are other names that appear in returns and spreadsheets; names that differ from these
only by "&"/"and", punctuation or words such as "Police" and "Constabulary" match without one.
"""

FORCES: list[tuple[str, str, list[str]]] = [
    ("Avon & Somerset", "england", []),
    ("Bedfordshire", "england", []),
    ("Cambridgeshire", "england", []),
    ("Cheshire", "england", []),
    ("City of London", "england", []),
    ("Cleveland", "england", []),
    ("Cumbria", "england", []),
    ("Derbyshire", "england", []),
    ("Devon & Cornwall", "england", []),
    ("Dorset", "england", []),
    ("Durham", "england", []),
    ("Dyfed-Powys", "wales", []),
    ("Essex", "england", []),
    ("Gloucestershire", "england", []),
    ("Greater Manchester", "england", ["GMP"]),
    ("Gwent", "wales", []),
    ("Hampshire", "england", ["Hampshire and Isle of Wight"]),
    ("Hertfordshire", "england", []),
    ("Humberside", "england", []),
    ("Kent", "england", []),
    ("Lancashire", "england", []),
    ("Leicestershire", "england", []),
    ("Lincolnshire", "england", []),
    ("Merseyside", "england", []),
    ("Metropolitan", "england", ["Metropolitan Police Service", "MPS", "The Met"]),
    ("Norfolk", "england", []),
    ("North Wales", "wales", []),
    ("North Yorkshire", "england", []),
    ("Northamptonshire", "england", []),
    ("Northumbria", "england", []),
    ("Nottinghamshire", "england", []),
    ("South Wales", "wales", []),
    ("South Yorkshire", "england", []),
    ("Staffordshire", "england", []),
    ("Suffolk", "england", []),
    ("Surrey", "england", []),
    ("Sussex", "england", []),
    ("Thames Valley", "england", ["TVP"]),
    ("Warwickshire", "england", []),
    ("West Mercia", "england", ["West Merica"]),
    ("West Midlands", "england", ["WMP"]),
    ("West Yorkshire", "england", []),
    ("Wiltshire", "england", []),
]

# The local policing body of each force (Police Reform and Social Responsibility Act 2011, and the
# orders that gave some mayors the commissioner's functions): force, kind, the body's name, and the
# holder's title as a response is signed. Checked against the bodies' own sites; edit in the admin
# when an order moves the functions again.
# - Greater Manchester (2017), West Yorkshire (2021), South Yorkshire and York and North Yorkshire
#   (both May 2024): the mayor holds the commissioner's functions (North Yorkshire's as police,
#   fire and crime commissioner; it had a PFCC from 2018 to 2024).
# - London: the Mayor's Office for Policing and Crime (MOPAC), the Mayor of London its holder.
# - City of London: the Common Council of the City of London is the police authority; its Police
#   Authority Board does the work, and its chair signs.
# - Police, fire and crime commissioners: Cumbria, Essex, Northamptonshire, Staffordshire.
PCC = "pcc"
PFCC = "pfcc"
MAYOR = "mayor"
AUTHORITY = "police_authority"


def _pcc(force: str, area: str | None = None) -> tuple[str, str, str, str]:
    area = area or force
    return (force, PCC, f"Office of the {area} Police and Crime Commissioner", f"{area} Police and Crime Commissioner")


def _pfcc(force: str, area: str | None = None) -> tuple[str, str, str, str]:
    area = area or force
    return (
        force,
        PFCC,
        f"Office of the {area} Police, Fire and Crime Commissioner",
        f"{area} Police, Fire and Crime Commissioner",
    )


POLICING_BODIES: list[tuple[str, str, str, str]] = [
    _pcc("Avon & Somerset", "Avon and Somerset"),
    _pcc("Bedfordshire"),
    _pcc("Cambridgeshire", "Cambridgeshire and Peterborough"),
    _pcc("Cheshire"),
    (
        "City of London",
        AUTHORITY,
        "City of London Corporation (Common Council), police authority for the City of London",
        "Chair of the Police Authority Board, City of London Corporation",
    ),
    _pcc("Cleveland"),
    _pfcc("Cumbria"),
    _pcc("Derbyshire"),
    _pcc("Devon & Cornwall", "Devon, Cornwall and the Isles of Scilly"),
    _pcc("Dorset"),
    _pcc("Durham"),
    _pcc("Dyfed-Powys"),
    _pfcc("Essex"),
    _pcc("Gloucestershire"),
    ("Greater Manchester", MAYOR, "Greater Manchester Combined Authority (Mayor)", "Mayor of Greater Manchester"),
    _pcc("Gwent"),
    _pcc("Hampshire", "Hampshire and Isle of Wight"),
    _pcc("Hertfordshire"),
    _pcc("Humberside"),
    _pcc("Kent"),
    _pcc("Lancashire"),
    _pcc("Leicestershire", "Leicester, Leicestershire and Rutland"),
    _pcc("Lincolnshire"),
    _pcc("Merseyside"),
    ("Metropolitan", MAYOR, "Mayor's Office for Policing and Crime (MOPAC)", "Mayor of London"),
    _pcc("Norfolk"),
    _pcc("North Wales"),
    (
        "North Yorkshire",
        MAYOR,
        "York and North Yorkshire Combined Authority (Mayor, Police, Fire and Crime Commissioner functions)",
        "York and North Yorkshire Mayor",
    ),
    _pfcc("Northamptonshire"),
    _pcc("Northumbria"),
    _pcc("Nottinghamshire"),
    _pcc("South Wales"),
    ("South Yorkshire", MAYOR, "South Yorkshire Mayoral Combined Authority (Mayor)", "South Yorkshire Mayor"),
    (
        "Staffordshire",
        PFCC,
        "Office of the Staffordshire Commissioner for Police, Fire and Rescue and Crime",
        "Staffordshire Commissioner for Police, Fire and Rescue and Crime",
    ),
    _pcc("Suffolk"),
    _pcc("Surrey"),
    _pcc("Sussex"),
    _pcc("Thames Valley"),
    _pcc("Warwickshire"),
    _pcc("West Mercia"),
    _pcc("West Midlands"),
    ("West Yorkshire", MAYOR, "West Yorkshire Combined Authority (Mayor)", "Mayor of West Yorkshire"),
    _pcc("Wiltshire", "Wiltshire and Swindon"),
]
