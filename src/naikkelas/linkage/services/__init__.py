"""Write services of record linkage: the review queue, merges and unmerges (all audited)."""

from naikkelas.linkage.services.merge import (
    business_merge,
    business_unmerge,
    owner_merge,
    owner_unmerge,
)
from naikkelas.linkage.services.privacy import person_linkage_erase
from naikkelas.linkage.services.review import match_candidate_decide, match_candidate_record

__all__ = [
    "business_merge",
    "business_unmerge",
    "match_candidate_decide",
    "match_candidate_record",
    "owner_merge",
    "owner_unmerge",
    "person_linkage_erase",
]
