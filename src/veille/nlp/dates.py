"""French date expressions, for the nlp stage: the shared module :mod:`veille.dates`
(it also infers a publication date the clean stage needs, so it lives outside both)."""
from __future__ import annotations

from ..dates import MONTHS, WEEKDAYS, DateExpr, find, nearest, normalize

__all__ = ["MONTHS", "WEEKDAYS", "DateExpr", "find", "nearest", "normalize"]
