"""spaCy loading (once per process) and batched parsing."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import ConfigError

_MODELS: dict[str, Any] = {}


def load_model(name: str, *, max_length: int | None = None) -> Any:
    """The spaCy pipeline ``name``, loaded once per process and kept.

    ``max_length``: the longest text it must accept (``[nlp] max_chars``); spaCy's own
    limit is raised to it when lower.
    """
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
        _MODELS[name] = nlp
    if max_length is not None and nlp.max_length < max_length:
        nlp.max_length = max_length
    return nlp


def keep_whole(nlp: Any, names: Iterable[str]) -> None:
    """Let the tokenizer keep each hyphenated name whole ("Maison-Blanche" is one proper
    noun, not "Maison", "-", "Blanche", which the parser then hangs on the wrong words)."""
    from spacy.symbols import ORTH
    tokenizer = nlp.tokenizer
    for name in names:
        if len(tokenizer(name)) > 1:
            tokenizer.add_special_case(name, [{ORTH: name}])


def parse(nlp: Any, texts: list[str], *, batch_size: int, batch_chars: int) -> Iterator[Any]:
    """Docs for ``texts`` in order, parsed at most ``batch_chars`` characters at a time.

    A text longer than ``batch_chars`` is parsed in parts (see :func:`cut`) joined back into
    one Doc whose text is the whole text, so the parser's memory depends on
    ``batch_chars``, not on the longest article. If a group of texts fails as a whole,
    each text is parsed alone, and a text that fails yields its exception instead of a Doc.
    """
    parts: list[tuple[int, str]] = [(k, part) for k, text in enumerate(texts) for part in cut(text, batch_chars)]
    pieces: list[list[Any]] = [[] for _ in texts]
    for group in batched(parts, batch_size, max_chars=batch_chars, size_of=lambda p: len(p[1])):
        for (k, _), doc in zip(group, _pipe(nlp, [p for _, p in group], batch_size)):
            pieces[k].append(doc)
    for k, docs in enumerate(pieces):
        failed = next((d for d in docs if isinstance(d, BaseException)), None)
        if failed is not None:
            yield failed
        elif len(docs) == 1:
            yield docs[0]
        else:
            from spacy.tokens import Doc

            yield Doc.from_docs(docs, ensure_whitespace=False)
        pieces[k] = []


def _pipe(nlp: Any, texts: list[str], batch_size: int) -> list[Any]:
    try:
        return list(nlp.pipe(texts, batch_size=batch_size))
    except Exception:  # noqa: BLE001 - find which text breaks the batch
        docs: list[Any] = []
        for text in texts:
            try:
                docs.append(nlp(text))
            except Exception as e:  # noqa: BLE001
                docs.append(e)
        return docs


def cut(text: str, size: int) -> list[str]:
    """``text`` in consecutive parts of at most ``size`` characters, cut after a paragraph
    break, else a line break, else a sentence end, else a space (in the second half of the
    part); the parts joined give ``text`` back."""
    if len(text) <= size:
        return [text]
    parts: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        end = start + size
        for sep in ("\n\n", "\n", ". ", " "):
            k = window.rfind(sep)
            if k >= size // 2:
                end = start + k + len(sep)
                break
        parts.append(text[start:end])
        start = end
    parts.append(text[start:])
    return parts


def batched(items: Iterable[Any], size: int, *, max_chars: int | None = None,
            size_of: Callable[[Any], int] | None = None) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``size``, and (with ``max_chars``) of at most that many
    characters by ``size_of`` (one item larger than that makes a list of its own)."""
    batch: list[Any] = []
    chars = 0
    for item in items:
        weight = size_of(item) if max_chars is not None and size_of is not None else 0
        if batch and max_chars is not None and chars + weight > max_chars:
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += weight
        if len(batch) >= size:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


__all__ = ["batched", "cut", "keep_whole", "load_model", "parse"]
