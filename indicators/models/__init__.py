"""The indicators core: units, cycles, indicators, criteria and each unit's assessment."""

from .assessments import Assessment, AssessmentTransition, CriterionResult
from .cycles import Criterion, Cycle, Indicator
from .history import set_change_reason, set_history_user
from .notifications import Notification, ReminderSent

# report_upload_to is named here because migration 0002 refers to it at this path.
from .reports import ReportJob, SarPart, report_upload_to
from .units import Membership, Unit
from .versions import DataVersion

__all__ = [
    "Assessment",
    "AssessmentTransition",
    "Criterion",
    "CriterionResult",
    "Cycle",
    "DataVersion",
    "Indicator",
    "Membership",
    "Notification",
    "ReminderSent",
    "ReportJob",
    "SarPart",
    "Unit",
    "report_upload_to",
    "set_change_reason",
    "set_history_user",
]
