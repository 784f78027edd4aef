"""Services of the programmes app: typed, keyword-only, owning their transaction and audit."""

from naikkelas.programs.services.applications import (
    BulkNomination,
    application_apply,
    application_nominate,
    application_remove,
    application_score,
    applications_nominate_list,
    applications_nominate_many,
)
from naikkelas.programs.services.enrolment import (
    aid_record_create,
    attendance_record,
    enrol_selected,
    enrolment_create,
    enrolment_set_status,
    outcome_record,
    waitlist_promote,
)
from naikkelas.programs.services.programmes import (
    cycle_create,
    cycle_open,
    cycle_rule_add,
    cycle_rule_remove,
    cycle_update,
    programme_create,
    session_add,
)
from naikkelas.programs.services.selection import (
    application_override,
    cycle_publish,
    cycle_unpublish,
    seed_from,
    selection_replay,
    selection_run,
)

__all__ = [
    "BulkNomination",
    "aid_record_create",
    "application_apply",
    "application_nominate",
    "application_override",
    "application_remove",
    "application_score",
    "applications_nominate_list",
    "applications_nominate_many",
    "attendance_record",
    "cycle_create",
    "cycle_open",
    "cycle_publish",
    "cycle_rule_add",
    "cycle_rule_remove",
    "cycle_unpublish",
    "cycle_update",
    "enrol_selected",
    "enrolment_create",
    "enrolment_set_status",
    "outcome_record",
    "programme_create",
    "seed_from",
    "selection_replay",
    "selection_run",
    "session_add",
    "waitlist_promote",
]
