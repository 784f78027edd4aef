"""The intake pipeline: stage raw → validate/normalise → link → promote (or quarantine)."""

from naikkelas.intake.services.processing import (
    import_batch_run,
    import_row_correct,
    import_rows_correct,
)
from naikkelas.intake.services.staging import import_batch_map, import_batch_stage
from naikkelas.intake.services.undo import import_batch_can_undo, import_batch_undo

__all__ = [
    "import_batch_can_undo",
    "import_batch_map",
    "import_batch_run",
    "import_batch_stage",
    "import_batch_undo",
    "import_row_correct",
    "import_rows_correct",
]
