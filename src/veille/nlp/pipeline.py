"""spaCy loading (once per process) and batched parsing."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ConfigError

_MODELS: dict[str, Any] = {}


def load_model(name: str) -> Any:
    """The spaCy pipeline ``name``, loaded once per process and kept."""
    nlp = _MODELS.get(name)
    if nlp is None:
        try:
            import spacy
        except ImportError as e:  # pragma: no cover - spacy is a core dependency
            raise ConfigError("the nlp stage needs spaCy: pip install 'veille'") from e
        try:
            nlp = spacy.load(name)
        except OSError as e:
            raise ConfigError(f"the spaCy model '{name}' is not installed: "
                              f"python -m spacy download {name} (or pip install {name}); "
                              "or choose another with [nlp] model") from e
        nlp.max_length = max(nlp.max_length, 2_000_000)
        _MODELS[name] = nlp
    return nlp


def parse(nlp: Any, texts: list[str], *, batch_size: int = 32) -> Iterator[Any]:
    """Docs for ``texts`` in order. If a batch fails as a whole, each text is parsed alone
    and a text that fails yields its exception instead of a Doc."""
    try:
        docs = list(nlp.pipe(texts, batch_size=batch_size))
    except Exception:  # noqa: BLE001 - find which text breaks the batch
        docs = []
        for text in texts:
            try:
                docs.append(nlp(text))
            except Exception as e:  # noqa: BLE001
                docs.append(e)
    yield from docs


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = ["batched", "load_model", "parse"]
