"""Read-only admin views of the review queue and merge history.

Changes go through the audited services. ``AlternateIdentifier`` and a merge's ``snapshot``
hold personal data (NIK, phone) and are not shown here: only scoped, audited views show them.
"""

from django.contrib import admin
from django.http import HttpRequest

from naikkelas.linkage.models import MatchCandidate, MergeRecord


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MatchCandidate)
class MatchCandidateAdmin(_ReadOnly):
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
class MergeRecordAdmin(_ReadOnly):
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
