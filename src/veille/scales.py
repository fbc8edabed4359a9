"""How intense an event is, and which quadrant it falls in: the Goldstein scale of its
CAMEO code and the PLOVER quad class of its type.

Both tables are documented data files in ``veille/data/``: ``cameo_goldstein.tsv`` (the
published Goldstein values of CAMEO codes, as the GDELT event table carries them) and
``plover_quad.tsv`` (the PLOVER specification's quad categories). This module imports
nothing from veille but the files, so any stage, the store and the exports may use it.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

QUAD_CLASSES = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
"""The four quad classes, in GDELT's QuadClass order (1 to 4)."""


def _rows(name: str) -> list[list[str]]:
    text = resources.files("veille").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _goldstein() -> dict[str, float]:
    return {code.strip(): float(value) for code, value in _rows("cameo_goldstein.tsv")}


@cache
def _quads() -> dict[str, str]:
    return {etype.strip(): quad.strip() for etype, quad in _rows("plover_quad.tsv")}


def goldstein(cameo: str | None) -> float | None:
    """The Goldstein value (-10 to +10) of a CAMEO code: the code's own, else its nearest
    listed parent's ("0234" -> "023" -> "02"); None for no code or an unknown root."""
    table = _goldstein()
    code = (cameo or "").strip()
    while len(code) >= 2:
        if code in table:
            return table[code]
        code = code[:-1]
    return None


def quad_class(plover_type: str | None) -> str | None:
    """The PLOVER quad class of an event type ("ACCUSE" -> "verbal conflict"), or None."""
    return _quads().get((plover_type or "").strip().upper())


def cameo_root(cameo: str | None) -> str | None:
    """The two-digit CAMEO root ("112" -> "11"), or None."""
    code = (cameo or "").strip()
    return code[:2] if len(code) >= 2 and code[:2].isdigit() else None


def gdelt_quad(cameo: str | None) -> int | None:
    """GDELT's QuadClass of a CAMEO code, from its root: 1 verbal cooperation (01-05),
    2 material cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20)."""
    root = cameo_root(cameo)
    if root is None or not 1 <= int(root) <= 20:
        return None
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


__all__ = ["QUAD_CLASSES", "cameo_root", "gdelt_quad", "goldstein", "quad_class"]
