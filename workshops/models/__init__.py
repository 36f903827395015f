"""The journey-map domain's models, by what they hold. No business rules live here: every write
goes through services/. Everything is importable from `workshops.models`, as before."""

from .comments import COMMENT_TEXT_MAX, Comment, CommentQuerySet, Mention
from .history import AuditEvent, AuditKind, MapEvent, MapVersion
from .limits import CARD_TEXT_MAX, ID_MAX, TITLE_MAX
from .maps import (
    Card,
    CardQuerySet,
    JourneyMap,
    JourneyMapQuerySet,
    Lane,
    LaneKind,
    MapState,
    Stage,
    map_group_name,
)
from .voting import Vote, VoteRound, VoteStatus
from .work import SCORE_RANGE, TICKETS_MAX, CardLink, Opportunity, OpportunityStatus
from .workshops import (
    ROLE_RANK,
    Guest,
    Invite,
    Membership,
    Persona,
    Role,
    Workshop,
    WorkshopQuerySet,
    live_membership,
)

__all__ = [
    "AuditEvent",
    "AuditKind",
    "Card",
    "CARD_TEXT_MAX",
    "CardLink",
    "CardQuerySet",
    "Comment",
    "COMMENT_TEXT_MAX",
    "CommentQuerySet",
    "Guest",
    "ID_MAX",
    "Invite",
    "JourneyMap",
    "JourneyMapQuerySet",
    "Lane",
    "LaneKind",
    "live_membership",
    "map_group_name",
    "MapEvent",
    "MapState",
    "MapVersion",
    "Membership",
    "Mention",
    "Opportunity",
    "OpportunityStatus",
    "Persona",
    "Role",
    "ROLE_RANK",
    "SCORE_RANGE",
    "Stage",
    "TICKETS_MAX",
    "TITLE_MAX",
    "Vote",
    "VoteRound",
    "VoteStatus",
    "Workshop",
    "WorkshopQuerySet",
]
