"""Review of likely duplicates, and the merges (and unmerges) that follow a decision.

``AlternateIdentifier`` and ``MergeRecord.snapshot`` of owners hold personal data (NIK, phone,
name, address) exactly as sensitive as ``registry.Owner``: read them only through scoped,
audited paths, and blank them when the owner's data are deleted (UU 27/2022).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import BaseModel


class MatchLevel(models.TextChoices):
    BUSINESS = "business", _("Usaha")
    OWNER = "owner", _("Pemilik")


class MatchSource(models.TextChoices):
    IMPORT = "import", _("Impor berkas")
    ONLINE = "online", _("Pencocokan saat input")
    BATCH = "batch", _("Pencocokan berkala")
    SUBMISSION = "submission", _("Kiriman ODK/daftar mandiri")
    MANUAL = "manual", _("Keputusan petugas")


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan")
    DECIDED = "decided", _("Sudah diputuskan")
    # One of the two records was merged into a third: the pair is no longer what was scored.
    SUPERSEDED = "superseded", _("Tidak berlaku lagi")


class Decision(models.TextChoices):
    SAME_BUSINESS = "same_business", _("Usaha yang sama")
    SAME_OWNER = "same_owner", _("Pemilik sama, usaha berbeda")
    DIFFERENT = "different", _("Berbeda")


class IdentifierKind(models.TextChoices):
    NAME = "name", _("Nama")
    NIB = "nib", _("NIB")
    NPWP = "npwp", _("NPWP")
    NIK = "nik", _("NIK")
    PHONE = "phone", _("Nomor HP/telepon")
    EMAIL = "email", _("Email")
    ADDRESS = "address", _("Alamat")


def _pair_shape(prefix: str) -> Q:
    """Business-level rows name two businesses and no owner; owner-level rows the reverse."""
    return Q(
        level="business",
        **{f"{prefix}_business__isnull": False, f"{prefix}_owner__isnull": True},
    ) | Q(
        level="owner",
        **{f"{prefix}_owner__isnull": False, f"{prefix}_business__isnull": True},
    )


class MatchCandidate(BaseModel):
    """A pair of records the engine found doubtful, or a decision remembered about a pair.

    The pair is stored in canonical order (smaller id left) and is unique per level, so a pair
    once decided never comes back to the review queue.
    """

    level = models.CharField(_("tingkat"), max_length=8, choices=MatchLevel.choices)
    left_business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candidates_as_left",
    )
    right_business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candidates_as_right",
    )
    left_owner = models.ForeignKey(
        "registry.Owner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candidates_as_left",
    )
    right_owner = models.ForeignKey(
        "registry.Owner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candidates_as_right",
    )
    # Empty for a decision taken without the engine (an unmerge, a manual merge).
    match_probability = models.FloatField(_("peluang sama"), null=True, blank=True)
    match_weight = models.FloatField(_("bobot kecocokan"), null=True, blank=True)
    # {"prior_weight": float, "terms": [{"comparison", "level", "label", "weight"}, ...]}:
    # weights are log2 Bayes factors, shown as the engine gave them.
    explanation = models.JSONField(_("penjelasan"), default=dict, blank=True)
    source = models.CharField(_("sumber"), max_length=12, choices=MatchSource.choices)
    source_ref = models.CharField(_("rujukan sumber"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CandidateStatus.choices,
        default=CandidateStatus.PENDING,
        db_index=True,
    )
    decision = models.CharField(_("keputusan"), max_length=16, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # Denormalised from the left record's business, for the review queue's filters.
    kecamatan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("kandidat data ganda")
        verbose_name_plural = _("kandidat data ganda")
        indexes = [
            models.Index(
                fields=["status", "level", "-match_probability"], name="candidate_queue_idx"
            ),
            models.Index(fields=["status", "kecamatan"], name="candidate_status_kec_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["business", "owner"]), name="candidate_level_valid"
            ),
            models.CheckConstraint(condition=_pair_shape("left"), name="candidate_left_shape"),
            models.CheckConstraint(condition=_pair_shape("right"), name="candidate_right_shape"),
            models.CheckConstraint(
                condition=Q(left_business__isnull=True) | Q(left_business__lt=F("right_business")),
                name="candidate_business_pair_ordered",
            ),
            models.CheckConstraint(
                condition=Q(left_owner__isnull=True) | Q(left_owner__lt=F("right_owner")),
                name="candidate_owner_pair_ordered",
            ),
            models.UniqueConstraint(
                fields=["left_business", "right_business"],
                condition=Q(level="business"),
                name="candidate_business_pair_once",
            ),
            models.UniqueConstraint(
                fields=["left_owner", "right_owner"],
                condition=Q(level="owner"),
                name="candidate_owner_pair_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "decided", "superseded"]),
                name="candidate_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status="decided") & Q(decision__in=[d.value for d in Decision]))
                | (~Q(status="decided") & Q(decision="")),
                name="candidate_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        # Ids only: the records' names may be a person's name.
        left = self.left_business_id or self.left_owner_id
        right = self.right_business_id or self.right_owner_id
        return f"{self.level} {left} ~ {right}"


class MergeRecord(BaseModel):
    """One merge of a business (or an owner) into a survivor, with what undoing it needs.

    ``snapshot`` (see ``linkage.services.merge``) holds both records' field values before the
    merge and every child row moved, adjusted or removed, so an unmerge restores them exactly.
    """

    level = models.CharField(_("tingkat"), max_length=8, choices=MatchLevel.choices)
    survivor_business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merges_as_survivor",
    )
    merged_business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merges_as_merged",
    )
    survivor_owner = models.ForeignKey(
        "registry.Owner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merges_as_survivor",
    )
    merged_owner = models.ForeignKey(
        "registry.Owner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merges_as_merged",
    )
    snapshot = models.JSONField(_("keadaan sebelum digabung"), default=dict, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    candidate = models.ForeignKey(
        MatchCandidate,
        verbose_name=_("kandidat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merges",
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("digabung oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("digabung"), default=timezone.now)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dipisah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unmerged_at = models.DateTimeField(_("dipisah"), null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("penggabungan data")
        verbose_name_plural = _("penggabungan data")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["business", "owner"]), name="merge_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    level="business",
                    survivor_business__isnull=False,
                    merged_business__isnull=False,
                    survivor_owner__isnull=True,
                    merged_owner__isnull=True,
                )
                | Q(
                    level="owner",
                    survivor_owner__isnull=False,
                    merged_owner__isnull=False,
                    survivor_business__isnull=True,
                    merged_business__isnull=True,
                ),
                name="merge_shape",
            ),
            models.CheckConstraint(
                condition=~Q(survivor_business=F("merged_business"))
                | Q(survivor_business__isnull=True),
                name="merge_business_not_itself",
            ),
            models.CheckConstraint(
                condition=~Q(survivor_owner=F("merged_owner")) | Q(survivor_owner__isnull=True),
                name="merge_owner_not_itself",
            ),
            # A record is merged into at most one survivor at a time.
            models.UniqueConstraint(
                fields=["merged_business"],
                condition=Q(merged_business__isnull=False, unmerged_at__isnull=True),
                name="merge_business_active_once",
            ),
            models.UniqueConstraint(
                fields=["merged_owner"],
                condition=Q(merged_owner__isnull=False, unmerged_at__isnull=True),
                name="merge_owner_active_once",
            ),
        ]

    def __str__(self) -> str:
        merged = self.merged_business_id or self.merged_owner_id
        survivor = self.survivor_business_id or self.survivor_owner_id
        return f"{self.level} {merged} → {survivor}"

    @property
    def is_active(self) -> bool:
        return self.unmerged_at is None


class AlternateIdentifier(BaseModel):
    """An identifier value a record had before a merge replaced it (never lose one).

    Belongs to the survivor (a business or an owner) and to the merge that produced it; an
    unmerge removes it. Searching by an old NIB, phone or name still finds the survivor.
    """

    business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alternate_identifiers",
    )
    owner = models.ForeignKey(
        "registry.Owner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alternate_identifiers",
    )
    kind = models.CharField(_("jenis"), max_length=8, choices=IdentifierKind.choices)
    value = models.CharField(_("nilai"), max_length=255)
    merge = models.ForeignKey(
        MergeRecord, on_delete=models.CASCADE, related_name="alternates", verbose_name=_("asal")
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("identitas lama")
        verbose_name_plural = _("identitas lama")
        indexes = [models.Index(fields=["kind", "value"], name="alternate_kind_value_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(business__isnull=False, owner__isnull=True)
                | Q(business__isnull=True, owner__isnull=False),
                name="alternate_business_or_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in IdentifierKind]),
                name="alternate_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(value=""), name="alternate_value_required"),
        ]

    def __str__(self) -> str:
        # The value may be a NIK or a phone number: never in a str().
        return f"{self.get_kind_display()} ({self.merge_id})"


class RegisterRow(models.Model):
    """The linkage feature row of one active register business (``linkage.features``), kept
    so that the online check reads the few businesses a record's blocking keys name instead
    of featurising a whole kelurahan per request (ADR 0012).

    Derived data: rebuilt from the register at any time (``naikkelas manage
    linkage_index``), refreshed from ``updated_at`` stamps before each check
    (``services.register_index``). Holds folded names and the NIK like ``registry.Owner``,
    so it follows the owner's erasure. The relations are hidden (``related_name="+"``): a
    merge does not move these rows, the refresh recomputes them.
    """

    business = models.OneToOneField(
        "registry.Business", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey("registry.Owner", on_delete=models.CASCADE, related_name="+")
    row = models.TextField()  # the feature row as a compact JSON array
    # The stamps the row was computed from: a differing stamp means a stale row.
    business_updated = models.DateTimeField()
    owner_updated = models.DateTimeField()

    class Meta:
        verbose_name = _("baris fitur pencocokan")
        verbose_name_plural = _("baris fitur pencocokan")
        indexes = [models.Index(fields=["owner"], name="register_row_owner_idx")]

    def __str__(self) -> str:
        return f"{self.business_id}"


class RegisterKey(models.Model):
    """One blocking key of a :class:`RegisterRow` (``linkage.model.blocking_keys``), as a
    64-bit hash: the businesses sharing a key with a new record are one index lookup."""

    id = models.BigAutoField(primary_key=True)
    key = models.BigIntegerField()
    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("kunci blok pencocokan")
        verbose_name_plural = _("kunci blok pencocokan")
        indexes = [
            models.Index(fields=["key", "business"], name="register_key_key_idx"),
            models.Index(fields=["business"], name="register_key_business_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key}"


class RegisterIndexState(models.Model):
    """The one row saying whether the stored index is usable: built for the current
    features and keys (``version``), and up to which moment register changes are in it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.CharField(max_length=64)
    built_at = models.DateTimeField()
    synced_to = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("status indeks pencocokan")
        verbose_name_plural = _("status indeks pencocokan")

    def __str__(self) -> str:
        return f"{self.version} {self.synced_to:%Y-%m-%d %H:%M}"
