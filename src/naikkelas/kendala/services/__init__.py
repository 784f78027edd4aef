"""Services of the kendala channel: typed, keyword-only, owning their transaction and audit."""

from naikkelas.kendala.services.categories import kendala_categories_load, kendala_category_save
from naikkelas.kendala.services.escalation import kendala_escalate_overdue
from naikkelas.kendala.services.handling import (
    kendala_answer_by_nomination,
    kendala_assign,
    kendala_respond,
    kendala_set_status,
    kendala_set_target,
)
from naikkelas.kendala.services.privacy import kendala_person_erase, kendala_reporter_reveal
from naikkelas.kendala.services.reporting import (
    BulkResult,
    BulkRow,
    kendala_bulk_log,
    kendala_public_allowed,
    kendala_report,
)

__all__ = [
    "BulkResult",
    "BulkRow",
    "kendala_answer_by_nomination",
    "kendala_assign",
    "kendala_bulk_log",
    "kendala_categories_load",
    "kendala_category_save",
    "kendala_escalate_overdue",
    "kendala_person_erase",
    "kendala_public_allowed",
    "kendala_report",
    "kendala_reporter_reveal",
    "kendala_respond",
    "kendala_set_status",
    "kendala_set_target",
]
