"""Evidence behind the narratives: the unit's documents, the items that cite them, the
records (meetings, target staff, KM activities, knowledge topics) the narrative speaks
of, and the reviewer's comments."""

# The upload_to functions are named here because the migrations refer to them at this path.
from .library import Document, EvidenceItem, private_upload_to, thumbnail_upload_to
from .records import (
    Activity,
    AgendaItem,
    KnowledgeTopic,
    Meeting,
    Person,
    TargetGroup,
    TopicRename,
)
from .review import ReviewComment, open_comment_count

__all__ = [
    "Activity",
    "AgendaItem",
    "Document",
    "EvidenceItem",
    "KnowledgeTopic",
    "Meeting",
    "Person",
    "TargetGroup",
    "TopicRename",
    "ReviewComment",
    "open_comment_count",
    "private_upload_to",
    "thumbnail_upload_to",
]
