"""Clean: body vs boilerplate vs comments on pages in the style of several French sites."""
from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import GOLD, SCORE

from veille import clean, ingest
from veille.clean.patterns import parse
from veille.config import Config
from veille.errors import ConfigError
from veille.records import Article, Failure, RawDocument, stable_id

P1 = ("Les sénateurs ont adopté dans la nuit de samedi à dimanche l'ensemble du projet de loi, "
      "après deux semaines de débats parfois houleux dans l'hémicycle et plus de mille amendements examinés.")
P2 = ("Le gouvernement espère désormais une adoption définitive avant l'été, mais l'opposition a déjà "
      "annoncé son intention de saisir le Conseil constitutionnel sur plusieurs articles du texte.")
P3 = ("Selon plusieurs sources parlementaires, une commission mixte paritaire pourrait se réunir dès la "
      "semaine prochaine afin de trouver un compromis entre les deux chambres sur les points de désaccord.")

NATIONAL = f"""Aller au contenu principal
Menu
International
Politique
Économie
Culture
Réforme des retraites : le Sénat adopte le texte en première lecture
Par Claire Martin
Publié le 12 mars 2023 à 08h15, mis à jour le 12 mars 2023 à 10h02
Temps de lecture : 3 min.
Partager sur Facebook
Partager sur Twitter
{P1}
À lire aussi
Retraites : ce que contient le projet de loi
Les syndicats appellent à une nouvelle journée de mobilisation
{P2}
Il vous reste 65 % de cet article à lire. La suite est réservée aux abonnés.
Déjà abonné ? Se connecter
© Le Quotidien du Soir 2023 - Tous droits réservés
"""

REGIONAL = """La Voix de l'Estuaire | Faits divers

Accueil > Bretagne > Saint-Nazaire

Saint-Nazaire : un incendie ravage un entrepôt de la zone portuaire

Les pompiers sont intervenus dans la nuit de mardi à mercredi pour un violent incendie qui a détruit un entrepôt de stockage de la zone portuaire, sans faire de victime selon la préfecture.

Photo : Jean Dupuis / La Voix de l'Estuaire

« Nous avons mobilisé une soixantaine de sapeurs-pompiers et il a fallu plus de cinq heures pour maîtriser le feu », a expliqué mercredi matin le commandant des opérations de secours.

Sur le même sujet

Un entrepôt avait déjà brûlé sur le port en 2019

Les pompiers du département recrutent des volontaires

Une enquête a été ouverte par le parquet pour déterminer l'origine de l'incendie, qui pourrait être accidentelle selon les premières constatations des enquêteurs sur place.

Abonnez-vous à notre newsletter pour recevoir l'essentiel de l'actualité de votre département.

Nous utilisons des cookies pour améliorer votre expérience. Accepter

Tout accepter

Paramétrer les cookies

© La Voix de l'Estuaire 2024. Tous droits réservés.
"""

TECH = """Le Geekodrome
Accueil
Tests
Bons plans
Le nouveau smartphone pliant de Marque X coûte moins cher que prévu
Publié le 3 avril 2024 à 14h00
Partager
Facebook
Twitter
12 commentaires
Le constructeur a officialisé mercredi le prix de son nouveau smartphone pliant, vendu deux cents euros de moins que la génération précédente, une première sur ce segment très haut de gamme.
=> À lire aussi : notre test complet du smartphone pliant de l'an dernier
L'écran intérieur gagne en luminosité et la charnière a été entièrement revue, ce qui permet de réduire le pli visible au centre de la dalle, un défaut souvent reproché aux modèles concurrents.
Suivez-nous sur Google News
12 commentaires
Trop cher pour moi, j'attendrai les soldes.
Super article, merci pour le test !
Trop cher pour moi, j'attendrai les soldes.
Laisser un commentaire
Votre adresse e-mail ne sera pas publiée.
"""

ENGLISH = """Parliament passes the new budget after a long night of debate
Lawmakers approved the spending plan early on Sunday morning after more than twelve hours of debate, sending the bill to the president, who is expected to sign it within days.
The opposition said it would challenge several provisions in court, arguing that the cuts to public services had not been properly assessed by the budget office.
"""

HTML_PAGE = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Sécheresse : les restrictions d'eau étendues à vingt départements - Le Petit Régional</title>
<meta property="og:site_name" content="Le Petit Régional">
<meta property="article:published_time" content="2024-07-18T07:30:00+02:00">
</head><body>
<div class="cookie-banner"><p>Nous utilisons des cookies pour mesurer l'audience. Tout accepter</p></div>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/region">Région</a></li></ul></nav>
<article>
<h1>Sécheresse : les restrictions d'eau étendues à vingt départements</h1>
<p>{P1}</p>
<p>Crédits photo : Agence Régionale</p>
<p>{P2}</p>
<p>À lire aussi : la carte des départements concernés par les restrictions</p>
<p>{P3}</p>
</article>
<section id="comments"><h2>3 commentaires</h2>
<div class="comment"><p>Il était temps que la préfecture réagisse, les nappes sont au plus bas depuis des mois.</p></div>
</section>
<footer><p>© Le Petit Régional 2024 - Tous droits réservés</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def cfg() -> Config:
    return Config()


def text_doc(content: str, source: str = "page.txt", **kw) -> RawDocument:
    return RawDocument(id=stable_id(source, "", content), source=source, content=content, **kw)


def clean_one(content: str, cfg: Config, **kw) -> Article:
    [art] = list(clean.run([text_doc(content, **kw)], cfg))
    assert isinstance(art, Article), art
    return art


def test_national_paper(cfg):
    art = clean_one(NATIONAL, cfg)
    assert art.title == "Réforme des retraites : le Sénat adopte le texte en première lecture"
    assert art.text == f"{P1}\n\n{P2}"
    for line in ("Aller au contenu principal", "Partager sur Facebook", "Politique", "Par Claire Martin",
                 "Retraites : ce que contient le projet de loi", "Déjà abonné ? Se connecter",
                 "Les syndicats appellent à une nouvelle journée de mobilisation"):
        assert line in art.dropped
    assert art.dropped.index("Aller au contenu principal") < art.dropped.index("Déjà abonné ? Se connecter")
    assert art.published == "2023-03-12"
    assert art.outlet == "Le Quotidien du Soir"
    assert art.lang == "fr" and art.lang_score > 0.9


def test_regional_paper(cfg):
    art = clean_one(REGIONAL, cfg)
    assert art.title == "Saint-Nazaire : un incendie ravage un entrepôt de la zone portuaire"
    assert "Les pompiers sont intervenus" in art.text
    assert "« Nous avons mobilisé" in art.text
    assert "Une enquête a été ouverte" in art.text
    for bad in ("Faits divers", "Accueil >", "Photo :", "Sur le même sujet", "déjà brûlé", "recrutent",
                "newsletter", "cookies", "Tous droits"):
        assert bad not in art.text, bad
    assert len(art.paragraphs) == 3
    assert art.outlet == "La Voix de l'Estuaire"


def test_tech_blog_with_share_buttons_and_comments(cfg):
    art = clean_one(TECH, cfg)
    assert art.title == "Le nouveau smartphone pliant de Marque X coûte moins cher que prévu"
    assert art.text.startswith("Le constructeur a officialisé")
    assert art.text.endswith("modèles concurrents.")
    assert "Facebook" in art.dropped and "Le Geekodrome" in art.dropped
    assert [c.text for c in art.comments] == [
        "Trop cher pour moi, j'attendrai les soldes.", "Super article, merci pour le test !",
        "Trop cher pour moi, j'attendrai les soldes."]
    assert [c.duplicate_of for c in art.comments] == [None, None, 0]
    assert "Laisser un commentaire" in art.dropped
    assert art.published == "2024-04-03"


def test_numbered_comments_until_closed(cfg):
    page = (f"Un titre d'article assez long pour être un titre\n\n{P1}\n\n{P2}\n\n3 commentaires\n\n"
            "  1. Je ne suis pas d'accord avec cette analyse.\n    Les chiffres disent autre chose.\n\n"
            "  2. Merci pour cet article.\n\n  3. Merci pour cet article.\n\n"
            "Les commentaires sont fermés.\n\nPolitique\n")
    art = clean_one(page, cfg)
    assert art.text == f"{P1}\n\n{P2}"
    assert [c.text for c in art.comments] == [
        "Je ne suis pas d'accord avec cette analyse.\nLes chiffres disent autre chose.",
        "Merci pour cet article.", "Merci pour cet article."]
    assert art.comments[2].duplicate_of == 1
    assert art.dropped[-2:] == ["Les commentaires sont fermés.", "Politique"]


def test_inline_read_also_takes_one_promo_line_but_keeps_heading(cfg):
    page = (f"{P1}\n=> Lisez aussi notre comparatif des meilleures tablettes.\n"
            "Le guide complet de la rentrée.\nUne riposte attendue à Bruxelles\n{P2}\n")
    art = clean_one(page, cfg)
    assert "Le guide complet de la rentrée." in art.dropped
    assert "Une riposte attendue à Bruxelles" in art.text


def test_never_drops_a_real_paragraph(cfg):
    mention = ("Le ministre a répondu qu'il ne fallait pas confondre information et communication, avant "
               "d'ajouter, en souriant, que chacun était libre de s'abonner à la newsletter du ministère "
               "s'il voulait suivre ses annonces, ce qui a provoqué quelques rires dans la salle.")
    after_footer = ("Cette phrase longue arrive après la ligne de droits réservés mais reste un vrai "
                    "paragraphe de l'article, avec des faits, des chiffres et une conclusion qui compte.")
    page = f"{P1}\n{mention}\nTous droits réservés\n{after_footer}\n"
    art = clean_one(page, cfg)
    assert mention in art.text and after_footer in art.text
    assert art.dropped == ["Tous droits réservés"]


def test_enumeration_introduced_by_colon_is_kept(cfg):
    page = (f"{P1}\nLe plan comporte trois mesures :\n- une prime pour les apprentis\n"
            "- un crédit d'impôt pour les PME\n- une baisse des charges\n{P2}\n")
    art = clean_one(page, cfg)
    assert "une prime pour les apprentis" in art.text and "une baisse des charges" in art.text


def test_menu_run_is_dropped(cfg):
    page = f"{P1}\nSport\nCulture\nMétéo\nPodcasts\n{P2}\n"
    art = clean_one(page, cfg)
    assert art.text == f"{P1}\n\n{P2}"
    assert art.dropped == ["Sport", "Culture", "Météo", "Podcasts"]


def test_english_is_kept_and_marked(cfg):
    art = clean_one(ENGLISH, cfg)
    assert art.lang == "en" and "Lawmakers approved" in art.text
    assert art.title == "Parliament passes the new budget after a long night of debate"


def test_html_page(cfg):
    [doc] = list(ingest.read_bytes(HTML_PAGE.encode("utf-8"), source="https://petit.example/secheresse",
                                   url="https://petit.example/secheresse"))
    [art] = list(clean.run([doc], cfg))
    assert isinstance(art, Article)
    assert art.title == "Sécheresse : les restrictions d'eau étendues à vingt départements"
    assert art.outlet == "Le Petit Régional"
    assert art.published == "2024-07-18"
    assert P1 in art.text and P2 in art.text and P3 in art.text
    assert "Crédits photo" not in art.text and "À lire aussi" not in art.text and "cookies" not in art.text
    assert "Crédits photo : Agence Régionale" in art.dropped
    assert art.text.count("restrictions d'eau étendues") == 0  # the h1 is the title, not body
    assert any("nappes sont au plus bas" in c.text for c in art.comments)
    assert "nappes" not in art.text
    for start, end in art.paragraphs:
        assert art.text[start:end].strip() == art.text[start:end] and end > start


def test_paragraph_spans_and_hash(cfg):
    art = clean_one(f"{P1}\n\n{P2}\n\n{P3}\n", cfg)
    assert [art.text[s:e] for s, e in art.paragraphs] == [P1, P2, P3]
    assert art.content_hash and art.id == text_doc(f"{P1}\n\n{P2}\n\n{P3}\n").id


def test_only_boilerplate_is_a_clean_failure(cfg):
    [item] = list(clean.run([text_doc("Passer au contenu\nPartager\n0\nLaisser un commentaire\n")], cfg))
    assert isinstance(item, Failure) and item.stage == "clean"
    assert "no article body" in item.reason


def test_failures_pass_through_in_order(cfg):
    fail = Failure("x.txt", "no such file or folder")
    items = list(clean.run([fail, text_doc(P1), fail], cfg))
    assert items[0] is fail and items[2] is fail and isinstance(items[1], Article)


def test_lines_repeated_across_pages_of_a_site(cfg):
    docs = [text_doc(f"{p}\nLe Courrier de la Vallée, votre quotidien\n", source=f"p{i}.txt",
                     url=f"https://courrier.example/{i}") for i, p in enumerate((P1, P2, P3))]
    arts = list(clean.run(docs, cfg))
    assert "Le Courrier de la Vallée, votre quotidien" in arts[0].text
    assert "Le Courrier de la Vallée, votre quotidien" in arts[2].dropped


def test_user_pattern_file_extends_the_shipped_one(tmp_path):
    extra = tmp_path / "mes-motifs.txt"
    extra.write_text("[drop]\n^le saviez-vous \\?$\n^édition de \\w+$\n[outlet]\n^Édition de (?P<outlet>[A-Z]\\w+)$\n",
                     encoding="utf-8")
    cfg = Config().with_overrides(clean={"patterns": [str(extra)]})
    art = clean_one(f"{P1}\nLe saviez-vous ?\nÉdition de Quimper\n{P2}\n", cfg)
    assert art.text == f"{P1}\n\n{P2}"
    assert art.dropped == ["Le saviez-vous ?", "Édition de Quimper"] and art.outlet == "Quimper"


def test_bad_pattern_files_are_reported():
    with pytest.raises(ConfigError, match="section"):
        parse("^sans section$\n", "x.txt")
    with pytest.raises(ConfigError, match="x.txt:2"):
        parse("[drop]\n(unclosed\n", "x.txt")
    with pytest.raises(ConfigError, match="named group"):
        parse("[outlet]\nsur (.*)\n", "x.txt")
    with pytest.raises(ConfigError, match="cannot read"):
        list(clean.run([text_doc(P1)], Config().with_overrides(clean={"patterns": ["/absent/motifs.txt"]})))


def test_hostile_text_does_not_break_clean(cfg):
    huge = "mot " * 300_000
    items = list(clean.run([text_doc(huge), text_doc("<<<>>>\x0c\n\n"), text_doc("1\n2\n3\n")], cfg))
    assert isinstance(items[0], Article)
    assert all(isinstance(i, Failure) for i in items[1:])


def _score():
    spec = importlib.util.spec_from_file_location("veille_seed_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seeds_meet_the_cleaning_targets(seeds_dir, cfg):
    records = []
    for art in clean.run(ingest.run([str(seeds_dir)], cfg), cfg):
        assert isinstance(art, Article), art
        records.append({"source": art.source, "text": art.text, "dropped": art.dropped, "title": art.title,
                        "outlet": art.outlet, "comments": [c.as_dict() for c in art.comments]})
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    m, _ = _score().score(gold, records)
    assert m["articles_found"] == m["articles_expected"]
    assert m["boilerplate_kept"] == 1.0
    assert m["boilerplate_dropped"] >= 0.9
    assert m["comments_separated"] >= 0.75
    assert m["title_exact"] >= 0.66
    assert m["outlet_found"] >= 0.5
