"""Import dossiers.csv (docs/specs/dossier-exchange.md) into the database, fast enough for millions.

Each valid row becomes a `Dossier` with the events that explain it — the database never holds a
dossier its events cannot explain, the rule every other dossier follows — and its stored fields
equal `lifecycle.dossier_replay` of those events. How a row becomes events is `events.events_for`
(the reference); `fast.Builder` computes the same with integers and ready-made JSON, and
`fast.Verifier` replays a sample of every import through the reference (docs/dossiers.md,
"Import at scale").

    report = dossiers_import(actor=user, path="dossiers.csv")      # or dossiers_import_lines(...)
    report.created, report.unchanged, report.bad                    # bad: BadRow(line, reason)

- Rows are checked by the exchange reader's rules, then against the database (procedure in the
  catalogue, code length, at most 100 supplement requests); a bad row is reported with its line and skipped; with ``strict`` the
  import stops at the first one and the batch holding it is not written.
- Batches of ``batch_size`` rows are one transaction each: the dossiers and their events, the
  live indicator totals and one audit row. PostgreSQL (`staged.py`): the rows go by binary COPY
  into a temporary stage and the server makes the dossiers and their events from them
  (`INSERT … SELECT`); the live totals count the batch in SQL (`live.dossiers_stored`). SQLite
  (`store.py`): `executemany` of the dossiers and the events built in Python
  (`live.dossiers_added`). ``staged=False`` keeps the former PostgreSQL path (COPY of events built
  in Python), to measure against.
- A file large against the table (PostgreSQL, `staged.bulk_wanted`, or ``bulk=True``) loads in
  bulk: one transaction for the whole import, the secondary indexes and foreign keys dropped
  and made again, the live totals counted once at the end; a failure leaves nothing.
- A dossier code already in the database is left as it is: importing a file twice changes nothing.
  Each imported dossier keeps a digest of its row (`fast.row_digest`); a code already stored with
  another digest (the row changed in the file, or the dossier was not imported) is a conflict,
  reported by line and never written over (docs/decisions.md).
- ``as_of_time`` imports each row as it stood at that moment (the demo's year runs past today).
"""

from .events import IMPORTED_APPLICANT, RESULT_EVENT, as_of, events_for, row_of
from .fast import FastPathMismatch
from .generated import dossiers_generate
from .run import BATCH_SIZE, ImportReport, dossiers_import, dossiers_import_lines

__all__ = [
    "BATCH_SIZE",
    "IMPORTED_APPLICANT",
    "RESULT_EVENT",
    "FastPathMismatch",
    "ImportReport",
    "as_of",
    "dossiers_generate",
    "dossiers_import",
    "dossiers_import_lines",
    "events_for",
    "row_of",
]
