"""Dedupe stage: exact copies, syndicated copies, look-alike stories, comments, state."""
from __future__ import annotations

import json

from veille.config import Config
from veille.dedupe import DedupeIndex, mark_comments, run
from veille.records import AnnotatedArticle, Comment, Failure, content_hash

WIRE = (
    "Le ministre de l'Économie a présenté mardi à Bercy un plan de soutien de deux milliards "
    "d'euros destiné aux entreprises du secteur automobile, fragilisées par la hausse du prix "
    "de l'énergie et le ralentissement des ventes en Europe. Le dispositif prévoit des prêts "
    "garantis par l'État, une aide à la reconversion des salariés et un fonds pour les "
    "sous-traitants les plus exposés. Les syndicats ont salué une première étape mais jugent "
    "l'enveloppe insuffisante face aux suppressions de postes annoncées dans plusieurs usines "
    "du Nord et de l'Est. Le gouvernement promet un point d'étape au printemps avec les "
    "constructeurs, qui devront s'engager à maintenir l'emploi sur leurs sites français. "
    "Selon l'entourage du ministre, d'autres mesures pourraient suivre si la conjoncture se "
    "dégrade encore dans les prochains mois."
)

OTHER = (
    "Le ministre de l'Économie a reçu mercredi les dirigeants des grandes banques françaises "
    "pour évoquer la hausse des taux d'intérêt et ses effets sur le crédit immobilier. Les "
    "établissements se sont engagés à examiner au cas par cas les dossiers des ménages "
    "modestes, tandis que Bercy étudie un assouplissement du taux d'usure. Les associations de "
    "consommateurs dénoncent des refus de prêt de plus en plus fréquents chez les primo-accédants. "
    "Une nouvelle réunion est prévue le mois prochain avec la Banque de France et les "
    "représentants des courtiers, qui réclament des règles plus souples."
)


def art(aid: str, text: str, published: str | None = None, **kw) -> AnnotatedArticle:
    return AnnotatedArticle(id=aid, source=f"{aid}.txt", text=text, published=published,
                            content_hash=content_hash(text), **kw)


def test_exact_duplicate_points_to_earliest_published():
    later = art("a", WIRE, "2024-03-05")
    earlier = art("b", "  " + WIRE.upper() + " ", "2024-03-04")
    out = list(run([later, earlier], Config()))
    assert [o.id for o in out] == ["a", "b"]  # input order kept
    assert out[1].duplicate_of is None
    assert out[0].duplicate_of == "b"


def test_ties_go_to_first_seen():
    out = list(run([art("x", WIRE, "2024-03-04"), art("y", WIRE, "2024-03-04")], Config()))
    assert out[0].duplicate_of is None and out[1].duplicate_of == "x"


def test_copy_with_different_boilerplate_and_light_rewrite_is_caught():
    copy = ("Publié le 5 mars 2024 à 10h12. Abonnez-vous à notre lettre d'information. "
            + WIRE.replace("mardi", "ce mardi").replace("salué", "accueilli")
            + " Lire aussi : nos autres articles sur l'industrie. Partager sur Facebook. "
              "Tous droits réservés.")
    out = list(run([art("orig", WIRE, "2024-03-05"), art("copy", copy, "2024-03-05")], Config()))
    assert out[1].duplicate_of == "orig"


def test_short_version_of_a_wire_story_is_caught_by_containment():
    short = WIRE[: len(WIRE) * 2 // 3]
    out = list(run([art("long", WIRE, "2024-03-05"), art("short", short, "2024-03-06")], Config()))
    assert out[1].duplicate_of == "long"


def test_different_stories_about_the_same_actors_are_not_merged():
    out = list(run([art("p", WIRE, "2024-03-05"), art("q", OTHER, "2024-03-06")], Config()))
    assert [o.duplicate_of for o in out] == [None, None]


def test_failures_pass_through_in_place():
    f = Failure("bad.html", "no body", stage="clean")
    out = list(run([art("a", WIRE), f, art("b", WIRE)], Config()))
    assert out[1] is f
    assert out[2].duplicate_of == "a"


def test_comments_marked_when_clean_did_not():
    comments = [Comment("Très bon article !"), Comment("Je ne suis pas d'accord."),
                Comment("très  bon article!")]
    mark_comments(comments)
    assert [c.duplicate_of for c in comments] == [None, None, 0]
    a = art("c", WIRE, comments=[Comment("Bravo"), Comment("bravo")])
    (out,) = run([a], Config())
    assert out.comments[1].duplicate_of == 0


def test_state_round_trips_through_json_and_grows_incrementally():
    cfg = Config()
    index = DedupeIndex.from_config(cfg)
    list(run([art("orig", WIRE, "2024-03-05"), art("other", OTHER, "2024-03-05")], cfg,
             state=index))
    saved = json.loads(json.dumps(index.to_dict()))
    restored = DedupeIndex.from_dict(saved)
    assert len(restored) == 2
    later = WIRE.replace("deux milliards", "2 milliards") + " Avec l'AFP."
    (out,) = run([art("copy", later, "2024-03-07")], cfg, state=restored)
    assert out.duplicate_of == "orig"
    # Re-running the same article gives the same answer and adds nothing.
    (again,) = run([art("copy", later, "2024-03-07")], cfg, state=restored)
    assert again.duplicate_of == "orig" and len(restored) == 3


def test_window_forgets_old_articles_and_keeps_memory_bounded():
    """Near copies are looked for within ``window_days`` of each article's own date; a day
    no article of the last ``recent`` ones came near is let go, so the index holds about a
    window's worth of days (plus the recent articles), not the corpus."""
    from datetime import date, timedelta

    cfg = Config().with_overrides(dedupe={"window_days": 5, "recent": 10, "batch_size": 1})
    index = DedupeIndex.from_config(cfg)
    start = date(2024, 1, 1)
    stream = []
    for k in range(60):  # one article a day, each about a different figure
        text = f"{OTHER} Le chiffre du jour est {k * 7919} selon le bilan numéro {k}."
        stream.append(art(f"d{k}", text, (start + timedelta(days=k)).isoformat()))
    list(run(stream, cfg, state=index))
    assert len(index) == 15  # days 45..59: the last ten articles came within 5 days of them
    assert index.forgotten == 45
    assert "d44" not in index and "d45" in index
    near = WIRE.replace("deux milliards", "deux milliards et demi")
    (first,) = run([art("w1", WIRE, "2024-03-01")], cfg, state=index)
    (copy,) = run([art("w2", near, "2024-03-04")], cfg, state=index)
    other_edit = WIRE.replace("au printemps", "à l'automne")
    (too_far,) = run([art("w3", other_edit, "2024-03-12")], cfg, state=index)
    (exact,) = run([art("w4", WIRE, "2024-06-30")], cfg, state=index)
    assert first.duplicate_of is None and copy.duplicate_of == "w1" and copy.duplicate_kind == "near"
    assert too_far.duplicate_of is None  # eight days after w2, eleven after w1: not compared
    assert exact.duplicate_of == "w1" and exact.duplicate_kind == "exact"  # exact copies: any distance
    saved = json.loads(json.dumps(index.to_dict()))
    assert len(saved["entries"]) == len(index) <= 15
    assert saved["hashes"][content_hash(WIRE)] == "w1"


def test_a_copy_is_compared_with_what_was_published_around_its_own_date():
    """An archive read out of order: articles of 2019 after a month of 2024; the copies of
    2019 find each other, both ways round, exact and near."""
    from datetime import date, timedelta

    cfg = Config().with_overrides(dedupe={"window_days": 5})
    index = DedupeIndex.from_config(cfg)
    near = WIRE.replace("deux milliards", "deux milliards et demi")
    start = date(2024, 1, 1)
    parts = [[art("old", WIRE, "2019-05-02"), art("old-near", near + " " + FOOTER, "2019-05-03")],
             [art(f"d{k}", f"{OTHER} Le bilan numéro {k * 7919} du jour {k}.",
                  (start + timedelta(days=k)).isoformat()) for k in range(30)],
             [art("late-exact", WIRE, "2019-05-01"), art("late-near", near, "2019-05-06"),
              art("late-far", WIRE.replace("au printemps", "à l'automne"), "2019-06-20")]]
    got = {o.id: o.duplicate_of for part in parts for o in run(part, cfg, state=index)}
    assert got["old-near"] == "old"
    assert got["late-exact"] == "old"  # the copy already known stays the original
    assert got["late-near"] == "old"  # within 5 days of old-near, whatever arrived between
    assert got["late-far"] is None  # near, but six weeks from every copy


def test_exact_copy_years_apart_is_found_through_the_stored_hashes(tmp_path):
    """Memory let the original go long ago; the store's content hashes still know it."""
    from veille.runners.local import run_items
    from veille.store import SQLiteStore

    cfg = Config().with_overrides(dedupe={"window_days": 3, "recent": 2, "batch_size": 1},
                                  cluster={"batch_size": 1})
    with SQLiteStore(tmp_path / "v.db") as store:
        run_items([art("orig", WIRE, "2018-02-01")], cfg, store)
        run_items([art(f"n{k}", f"{OTHER} Le bilan numéro {k * 7919}.", f"2024-01-0{k + 1}")
                   for k in range(5)], cfg, store)
        saved = store.state("dedupe")
        assert "orig" not in [e[0] for e in saved["entries"]]  # let go from memory
        run_items([art("copy", WIRE.upper(), "2024-01-09")], cfg, store)
        got = store.article("copy")
        plan = store.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM articles WHERE content_hash = ?",
                                  ("x",)).fetchall()
    assert got["duplicate_of"] == "orig" and got["duplicate_kind"] == "exact"
    assert any("articles_content_hash" in str(tuple(r)) for r in plan)


def test_cut_and_extended_copies_say_which_is_the_longer_version():
    cut = WIRE_LONG[: len(WIRE_LONG) * 2 // 5]
    extended = BOILER + WIRE + " " + LOCAL + " " + OTHER + FOOTER
    light = WIRE.replace("deux milliards", "deux milliards et demi")
    out = list(run([art("wire", WIRE_LONG, "2024-03-05"), art("cut", BOILER + cut + FOOTER, "2024-03-05")],
                   Config()))
    out += run([art("w", WIRE, "2024-03-04"), art("ext", extended, "2024-03-06"),
                art("light", light, "2024-03-06"), art("same", WIRE, "2024-03-07")], Config())
    got = {o.id: (o.duplicate_of, o.duplicate_kind, o.longer_version) for o in out}
    assert got["cut"] == ("wire", "near", "wire")
    assert got["ext"][0] == "w" and got["ext"][2] == "ext"
    assert got["light"][:2] == ("w", "near") and got["light"][2] is None  # about the same length
    assert got["same"] == ("w", "exact", None)
    exported = out[1].export()
    assert exported["longer_version"] == "wire" and exported["duplicate_kind"] == "near"


def test_window_zero_remembers_everything():
    cfg = Config().with_overrides(dedupe={"window_days": 0})
    index = DedupeIndex.from_config(cfg)
    (_old,) = run([art("old", WIRE, "2020-01-01")], cfg, state=index)
    (b,) = run([art("new", WIRE, "2024-01-01")], cfg, state=index)
    assert b.duplicate_of == "old" and len(index) == 2


def test_bad_settings_say_what_to_fix():
    import pytest

    from veille.errors import ConfigError
    with pytest.raises(ConfigError, match="dedupe.threshold"):
        Config().with_overrides(dedupe={"threshold": 1.5})
    with pytest.raises(ConfigError, match="dedupe.window_days"):
        Config().with_overrides(dedupe={"window_days": -1})


# A wire story of several paragraphs, then what outlets do with it: cut it short, add
# their own paragraphs, wrap it in their own boilerplate (invented texts).
WIRE_LONG = WIRE + " " + (
    "Dans la région lyonnaise, un équipementier de premier rang a déjà annoncé la fermeture "
    "d'une chaîne de montage et le transfert d'une partie de sa production vers l'Espagne. "
    "Les élus locaux demandent que les aides soient conditionnées au maintien des usines sur le "
    "territoire et réclament une réunion avec la direction du groupe avant la fin du mois. "
    "La fédération des industries mécaniques estime pour sa part que près de quinze mille emplois "
    "sont menacés d'ici deux ans si les commandes des constructeurs ne repartent pas. "
    "Elle plaide pour un allègement des impôts de production et pour un accès facilité au "
    "chômage partiel de longue durée, que le gouvernement s'est dit prêt à étudier."
)
LOCAL = (
    "À Sochaux, où le constructeur emploie encore plusieurs milliers de personnes, l'annonce a "
    "été accueillie avec prudence par les salariés rencontrés à la sortie de l'usine. Beaucoup "
    "se souviennent des plans successifs qui n'ont pas empêché la baisse des effectifs depuis "
    "vingt ans. Le maire de la commune rappelle que les sous-traitants du bassin dépendent "
    "presque entièrement des volumes produits sur le site et demande des garanties écrites. "
    "Une délégation intersyndicale doit être reçue à la préfecture du Doubs la semaine prochaine "
    "pour présenter ses propositions sur la formation et les reclassements."
)
BOILER = ("Publié le 5 mars 2024 à 10h12, mis à jour à 11h40. Abonnez-vous à notre lettre "
          "d'information pour ne rien manquer. ")
FOOTER = " Lire aussi : toute l'actualité de l'industrie. Partager sur Facebook. Tous droits réservés."


def test_copy_cut_to_its_first_paragraphs_is_caught_by_containment():
    short = WIRE_LONG[: len(WIRE_LONG) * 2 // 5]  # Jaccard about 0.4: not a near-identical text
    out = list(run([art("wire", WIRE_LONG, "2024-03-05"), art("cut", BOILER + short + FOOTER, "2024-03-05")],
                   Config()))
    assert out[1].duplicate_of == "wire"


def test_copy_extended_with_local_paragraphs_is_caught_by_containment():
    extended = BOILER + WIRE + " " + LOCAL + " " + OTHER + FOOTER  # the wire is under half of it
    out = list(run([art("wire", WIRE, "2024-03-05"), art("ext", extended, "2024-03-06")], Config()))
    assert out[1].duplicate_of == "wire"


def test_copy_cut_and_extended_at_once_is_caught():
    cut = WIRE_LONG[: len(WIRE_LONG) * 3 // 4]
    copy = BOILER + cut + " " + LOCAL[: len(LOCAL) // 2] + FOOTER
    out = list(run([art("wire", WIRE_LONG, "2024-03-05"), art("copy", copy, "2024-03-05")], Config()))
    assert out[1].duplicate_of == "wire"


def test_stories_sharing_a_paragraph_of_background_are_not_copies():
    a = OTHER + " " + LOCAL
    b = WIRE_LONG + " " + LOCAL[: len(LOCAL) // 3]
    out = list(run([art("a", a, "2024-03-05"), art("b", b, "2024-03-05")], Config()))
    assert [o.duplicate_of for o in out] == [None, None]


def test_copies_of_one_wire_keep_their_own_outlet_in_the_source_chain():
    from veille.cluster import story_summary
    from veille.records import Story
    cut = WIRE_LONG[: len(WIRE_LONG) // 2]
    arts = [art("w", WIRE_LONG, "2024-03-05", outlet="Le Quotidien"),
            art("x", WIRE_LONG, "2024-03-05", outlet="La Gazette"),
            art("y", BOILER + cut + FOOTER, "2024-03-06", outlet="Le Courrier")]
    out = list(run(arts, Config()))
    assert [o.duplicate_of for o in out] == [None, "w", "w"]
    chain = story_summary(Story(id="s"), out)["source_chain"]
    assert chain["outlets"] == ["La Gazette", "Le Courrier", "Le Quotidien"] and chain["copies"] == 2


def test_index_saved_by_the_version_before_is_read():
    """Format 2 (one clock, no days): every remembered day counts as used now."""
    index = DedupeIndex.from_config(Config())
    list(run([art("a", WIRE, "2024-03-05"), art("b", OTHER, "2024-03-06")], Config(), state=index))
    old = index.to_dict()
    old["format"], old["clock"] = 2, old.pop("current")
    del old["days"]
    restored = DedupeIndex.from_dict(json.loads(json.dumps(old)), cfg=Config())
    assert len(restored) == 2
    (copy,) = run([art("c", WIRE + " " + FOOTER, "2024-03-07")], Config(), state=restored)
    assert copy.duplicate_of == "a"


def test_undated_articles_are_let_go_too():
    """A stream of undated articles keeps a flat memory: the last ``recent`` articles."""
    cfg = Config().with_overrides(dedupe={"recent": 5, "batch_size": 1})
    index = DedupeIndex.from_config(cfg)
    stream = [art(f"u{k}", f"{OTHER} Le bilan numéro {k * 7919}.") for k in range(12)]
    list(run(stream, cfg, state=index))
    assert len(index) == 5 and "u6" not in index and "u7" in index
    restored = DedupeIndex.from_dict(json.loads(json.dumps(index.to_dict())), cfg=cfg)
    list(run([art("u12", f"{OTHER} Le bilan numéro 0.")], cfg, state=restored))
    assert len(restored) == 5 and "u7" not in restored
