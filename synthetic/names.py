"""Made-up names for synthetic people: the demo county's lists of common first names and
surnames, combined at random (no real people)."""

from iro_service.people.demo import FIRST_NAMES as _BY_SEX
from iro_service.people.demo import LAST_NAMES

FIRST_NAMES = tuple(name for names in _BY_SEX.values() for name in names)

__all__ = ["FIRST_NAMES", "LAST_NAMES"]
