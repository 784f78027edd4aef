"""Write services of the register: every change goes through these and is audited."""

from naikkelas.registry.services.businesses import (
    business_close,
    business_register,
    business_reopen,
    business_update,
    business_validate,
)
from naikkelas.registry.services.details import (
    channel_add,
    channel_remove,
    membership_set,
    permit_add,
    permit_remove,
    yearly_figure_set,
)
from naikkelas.registry.services.owners import owner_create, owner_update, owner_validate
from naikkelas.registry.services.reference import sector_catalogue_load
from naikkelas.registry.services.registration import business_register_with_owner

__all__ = [
    "business_close",
    "business_register",
    "business_register_with_owner",
    "business_validate",
    "business_reopen",
    "business_update",
    "channel_add",
    "channel_remove",
    "membership_set",
    "owner_create",
    "owner_update",
    "owner_validate",
    "permit_add",
    "permit_remove",
    "sector_catalogue_load",
    "yearly_figure_set",
]
