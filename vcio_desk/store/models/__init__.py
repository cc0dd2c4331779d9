"""The data model, split by aggregate. Importing this package registers every table on ``Base``."""

from .base import Base, UTCDateTime, utc_now
from .clients import Client, Contact, InternalBody
from .csi import CsiChange, CsiItem
from .meeting_types import MeetingType
from .meetings import ActionItem, AgendaItem, Meeting, MeetingAttendee, PrepItem
from .people import Staff
from .reviews import AlignmentReview, ReviewItem
from .reviews_of_rhythms import RhythmReviewNote
from .rhythms import Rhythm, RhythmVersion
from .settings import Setting
from .standards import (
    CommitteeDecision,
    Standard,
    StandardCategory,
    StandardChange,
    StandardSection,
)

__all__ = [
    "ActionItem",
    "AgendaItem",
    "AlignmentReview",
    "Base",
    "Client",
    "CommitteeDecision",
    "Contact",
    "CsiChange",
    "CsiItem",
    "InternalBody",
    "Meeting",
    "MeetingAttendee",
    "MeetingType",
    "PrepItem",
    "ReviewItem",
    "Rhythm",
    "RhythmReviewNote",
    "RhythmVersion",
    "Setting",
    "Staff",
    "Standard",
    "StandardCategory",
    "StandardChange",
    "StandardSection",
    "UTCDateTime",
    "utc_now",
]
