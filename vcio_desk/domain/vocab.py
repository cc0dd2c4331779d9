"""The fixed vocabularies of the domain, shared by every layer as string enums."""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class StaffRole(StrEnum):
    VCIO = "vcio"
    TAM = "tam"
    ACCOUNT_MANAGER = "account_manager"
    SERVICE_MANAGER = "service_manager"


class MeetingKind(StrEnum):
    ALIGNMENT = "alignment"
    VCIO = "vcio"
    INTERNAL = "internal"


class MeetingStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    HELD = "held"
    CANCELLED = "cancelled"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Answer(StrEnum):
    ALIGNED = "aligned"
    MISALIGNED = "misaligned"
    NOT_APPLICABLE = "not_applicable"


class Rating(StrEnum):
    MARGINAL = "marginal"
    VULNERABLE = "vulnerable"


class ReviewStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class CsiSize(StrEnum):
    S = "S"
    M = "M"
    L = "L"


class CsiStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DEFERRED = "deferred"


class BodyKind(StrEnum):
    STANDARDS_COMMITTEE = "standards_committee"
    SERVICE_DELIVERY = "service_delivery"
    OTHER = "other"
