"""Date expressions normalised against the article's date."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from veille.nlp import dates

PUB = "2021-03-10"  # a Wednesday


@pytest.mark.parametrize(("text", "expected"), [
    ("mardi", "2021-03-09"),
    ("dimanche", "2021-03-07"),
    ("mercredi", "2021-03-10"),
    ("lundi prochain", "2021-03-15"),
    ("hier", "2021-03-09"),
    ("avant-hier", "2021-03-08"),
    ("demain", "2021-03-11"),
    ("en juillet 2019", "2019-07"),
    ("depuis 2009", "2009"),
    ("le 15 septembre 2020", "2020-09-15"),
    ("le 1er mars", "2021-03-01"),
    ("le 28 février", "2021-02-28"),
    ("le 2 avril prochain", "2021-04-02"),
    ("fin septembre 2000", "2000-09"),
    ("en fin d'année 2019", "2019"),
    ("l'an dernier", "2020"),
    ("le mois dernier", "2021-02"),
    ("cette année", "2021"),
    ("il y a trois jours", "2021-03-07"),
    ("il y a deux ans", "2019"),
    ("12/05/1999", "1999-05-12"),
    ("octobre 98", "1998-10"),
])
def test_normalize(text, expected):
    assert dates.normalize(text, PUB) == expected


@pytest.mark.parametrize("text", ["il y a quelques semaines", "récemment", "22 h", "bientôt", "des années"])
def test_vague_or_no_date(text):
    assert dates.normalize(text, PUB) is None


def test_relative_needs_the_article_date():
    assert dates.normalize("mardi", None) is None
    assert dates.normalize("le mois dernier", None) is None
    assert dates.normalize("en juillet 2019", None) == "2019-07"


def test_future_preference_for_weekdays():
    assert dates.normalize("samedi", PUB, prefer="future") == "2021-03-13"


def test_find_and_nearest():
    text = "Le 15 septembre 2020, rien. Puis mardi, la Chine a protesté, comme depuis 2009."
    found = dates.find(text, PUB)
    assert [f.value for f in found] == ["2020-09-15", "2021-03-09", "2009"]
    assert all(text[f.start:f.end] == f.text for f in found)
    anchor = text.index("protesté")
    near = dates.nearest(text, text.index("Puis"), len(text), anchor, PUB)
    assert near is not None and near.value == "2021-03-09"


@pytest.mark.slow
def test_timebank_benchmark_runs(shared_dir):
    data = shared_dir / "data" / "fr-timebank" / "Data"
    if not data.is_dir():
        pytest.skip("French TimeBank not available")
    script = Path(__file__).resolve().parents[1] / "bench" / "eval_dates.py"
    out = subprocess.run([sys.executable, str(script), "--data", str(data)],
                         capture_output=True, text=True, check=True).stdout
    acc = float(out.split("accuracy")[1].split()[0])
    prec = float(out.split("precision")[1].split()[0])
    assert acc >= 0.65 and prec >= 0.85


# -- publication dates the metadata did not give (invented texts) ---------------------------
from veille.dates import infer_published


@pytest.mark.parametrize("text, expected", [
    ("PARIS, 14 juillet 2020 (AFP) - Le gouvernement a annoncé mardi un plan.", "2020-07-14"),
    ("Bamako, le 3/08/2023 – La junte a reçu les émissaires de la région.", "2023-08-03"),
    ("GENÈVE (Reuters), mardi 5 mars 2024 - Les négociations reprennent.", "2024-03-05"),
    ("WASHINGTON, July 14, 2020 (Reuters) - The talks resumed.", "2020-07-14"),
])
def test_a_wire_dateline_gives_the_publication_date(text, expected):
    assert infer_published(text) == (expected, "dateline")


def test_inference_order_dateline_then_date_line_then_url_then_text():
    body = "Le sommet du 2 février 2021 a été suivi d'une réunion le 9 mars 2021 à Lomé."
    assert infer_published("LOMÉ, 10 mars 2021 (AFP) - " + body, url="https://x.fr/2021/01/01/a") == \
        ("2021-03-10", "dateline")
    assert infer_published(body, date_line="11/03/2021",
                           url="https://x.fr/2021/01/01/a") == ("2021-03-11", "date_line")
    assert infer_published(body, url="https://www.x.fr/monde/2021/03/12/un-titre_123.html") == ("2021-03-12", "url")
    assert infer_published(body, url="https://x.fr/afrique/20210313-un-titre") == ("2021-03-13", "url")
    assert infer_published(body, url="https://x.fr/2021/03/un-titre") == ("2021-03", "url")
    assert infer_published(body, url="https://x.fr/article/123456") == ("2021-03-09", "text")
    assert infer_published("Rien de daté ici, sinon mardi dernier et en 2019.") is None
    assert infer_published("Emmanuel Dupont, élu en 2017 : une carrière.") is None


def test_an_undated_page_is_stated_as_inferred_and_the_story_index_uses_it():
    from veille import clean, cluster
    from veille.config import Config
    from veille.records import RawDocument

    cfg = Config()
    text = ("Un titre de test\n\nSTRASBOURG, 21 janvier 2022 (AFP) - Les agriculteurs ont bloqué "
            "plusieurs axes autour de la ville pour protester contre la baisse de leurs revenus.\n\n"
            "Les syndicats promettent de poursuivre le mouvement toute la semaine.")
    docs = [RawDocument(id="a", source="a.txt", content=text, format="text"),
            RawDocument(id="b", source="b.txt", content=text.replace("bloqué", "occupé"), format="text",
                        published="2022-01-20")]
    a, b = list(clean.run(docs, cfg))
    assert (a.published, a.published_inferred) == ("2022-01-21", "dateline")
    assert (b.published, b.published_inferred) == ("2022-01-20", None)
    assert a.as_dict()["published_inferred"] == "dateline"
    out = list(cluster.run([a, b], cfg))
    (story,) = {o.story for o in out}
    assert story
