"""Read-only admin views of the review queue and merge history.

Changes go through the audited services. ``AlternateIdentifier`` and a merge's ``snapshot``
hold personal data (NIK, phone) and are not shown here: only scoped, audited views show them.
"""

from django.contrib import admin

from naikkelas.core.admin import ReadOnlyAdmin
from naikkelas.linkage.models import MatchCandidate, MergeRecord


@admin.register(MatchCandidate)
class MatchCandidateAdmin(ReadOnlyAdmin):
    list_display = ("id", "level", "status", "decision", "match_probability", "source", "kecamatan")
    list_filter = ("level", "status", "decision", "source")
    fields = (
        "level",
        "left_business",
        "right_business",
        "left_owner",
        "right_owner",
        "match_probability",
        "match_weight",
        "explanation",
        "source",
        "source_ref",
        "status",
        "decision",
        "decided_by",
        "decided_at",
        "kecamatan",
    )


@admin.register(MergeRecord)
class MergeRecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "level", "merged_at", "merged_by", "unmerged_at")
    list_filter = ("level",)
    fields = (
        "level",
        "survivor_business",
        "merged_business",
        "survivor_owner",
        "merged_owner",
        "reason",
        "candidate",
        "merged_by",
        "merged_at",
        "unmerged_by",
        "unmerged_at",
    )
