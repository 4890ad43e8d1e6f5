"""The dossier exchange format (docs/specs/dossier-exchange.md): orgs.csv and dossiers.csv readers and
writers, and the synthetic dossier generator (`generate`). Pure Python, no Django.

    from cchc.exchange import read_orgs, iter_dossiers, DossierRow, BadRow, ExchangeError
    tree = read_orgs("orgs.csv")                 # OrgTree; raises ExchangeError(line, reason)
    for item in iter_dossiers("dossiers.csv", tree):
        ...                                      # DossierRow or BadRow, streamed
"""

from .dossiers import BadRow, DossierRow, iter_checked, iter_dossiers, read_header, write_dossiers
from .errors import ExchangeError
from .formats import DOSSIER_COLUMNS, ORG_COLUMNS
from .orgs import OrgTree, OrgUnit, read_orgs, write_orgs

__all__ = [
    "DOSSIER_COLUMNS",
    "ORG_COLUMNS",
    "BadRow",
    "DossierRow",
    "ExchangeError",
    "OrgTree",
    "OrgUnit",
    "iter_checked",
    "iter_dossiers",
    "read_header",
    "read_orgs",
    "write_dossiers",
    "write_orgs",
]
