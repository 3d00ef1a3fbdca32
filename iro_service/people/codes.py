"""DfE code lists for children's characteristics (domain.md section 6).

Kept as data, in one place: forms, validation, imports and exports all read these.
"""

from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Unknown or indeterminate"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WOTH = "WOTH", "Any other White background"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


WHITE_ETHNICITIES = frozenset({"WBRI", "WIRI", "WOTH", "WIRT", "WROM"})


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger syndrome"
    DDA = "DDA", "Other disability (Equality Act 2010)"


class JobRole(models.TextChoices):
    """What a member of staff does. Sign-in access comes from their role group, not from this."""

    IRO = "iro", "Independent Reviewing Officer"
    IRO_MANAGER = "iro_manager", "IRO team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant director"
    BUSINESS_SUPPORT = "business_support", "Business support officer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    OTHER = "other", "Other"


class Employment(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency"


class TeamKind(models.TextChoices):
    IRO_SERVICE = "iro_service", "IRO service"
    BUSINESS_SUPPORT = "business_support", "Business support"
    SOCIAL_WORK = "social_work", "Social work"
    MANAGEMENT = "management", "Management"
    OTHER = "other", "Other"


# A unique pupil number: a letter then 12 letters or digits; or UN1 to UN10, the DfE's codes for
# why it is not known. The model's constraint and the SSDA903 import both check this one pattern.
UPN_PATTERN = r"^([A-Z][0-9A-Z]{12}|UN([1-9]|10))$"

# The council's own child ID as the DfE's returns carry it (SSDA903 CHILD, CIN census LAchildID):
# up to 10 letters or digits (the DfE's guidance for both returns; liiatools' specifications type
# it "alphanumeric"). The model's constraint, the API and both imports check this one pattern.
CHILD_ID_PATTERN = r"^[A-Za-z0-9]{1,10}$"
CHILD_ID_RULE = "a child ID is 1 to 10 letters or digits"
# A full UK postcode (SSDA903 HOME_POST and PL_POST): the pattern liiatools checks postcodes with
# (liiatools/datasets/shared_functions/common.py), in either case.
POSTCODE_PATTERN = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? *[0-9][A-Za-z]{2}$"
POSTCODE_RULE = "a postcode such as AB1 2CD"
# An Ofsted unique reference number (SSDA903 URN): letters and digits, up to 10.
URN_PATTERN = r"^[A-Za-z0-9]{1,10}$"
URN_RULE = "an Ofsted URN is up to 10 letters or digits"


def code_list_labels() -> dict[str, dict[str, str]]:
    """The children's characteristics as pages show them (``PeopleConfig.code_lists``)."""
    return {
        "sex": dict(Sex.choices),
        "ethnicity": dict(Ethnicity.choices),
        "disability": dict(Disability.choices),
    }
