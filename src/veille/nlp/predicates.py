"""Event predicates: the tokens of a parsed sentence that an event lexicon entry matches.

A verb matches by its lemma. An entry may also ask for:

- a support noun ("faire pression") among the verb's complements (object, oblique,
  passive subject, adverb), not its subject or auxiliaries; after a copula the noun the
  copula links ("être victime de");
- a reflexive clitic ("se rendre à", "s'engager à") or the clitic "en" / "y" ("s'en
  prendre à");
- a complement introduced by a marker word ("appeler X à…");
- for a carrier (type "="), an event noun among its complements, whose entry gives the
  event ("subir des frappes", "faire l'objet de sanctions").

A noun matches by its lemma; a present-tense verb the tagger read as a bare noun ("Il
pointe du doigt X") by the infinitive guessed from its form. Among the entries that match,
the most specific wins (the one with the most conditions, then the first written); a stop entry that wins gives no match, and keeps its noun from being read as a
nominal event ("tenir compte de", "manifester son intérêt").
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Token

from ..text import fold_rsquo
from . import lexicon as lexmod
from .modality import is_negated
from .syntax import NSUBJ, case_of, prep_dependents

# The support noun of an entry that any direct object fills ("stop | manifester *").
ANY_OBJECT = "*"


@dataclass
class Match:
    """One lexicon entry matched at a predicate."""

    entry: lexmod.Entry
    pred: Token  # the clause predicate (verb, or the noun for nominal events)
    trigger: list[Token]

    @property
    def reversed(self) -> bool:
        """The subject receives the act; the actor is found among the entry's roles."""
        return self.entry.reversed


# Dependents of a verb that may hold its support noun: complements, the subject of a
# passive ("des sanctions ont été imposées"), adverbs ("accueillir favorablement"); never
# its subject, auxiliaries or clitics.
_NOUN_DEPS = frozenset({"obj", "iobj", "obl", "obl:arg", "obl:mod", "nsubj:pass", "xcomp", "advmod",
                        "compound", "fixed", "flat", "dep", "nmod"})
# Dependents that may carry the event noun of a carrier ("subir des frappes").
_CARRIED_DEPS = frozenset({"obj", "obl", "obl:arg", "obl:mod", "nsubj:pass", "nmod"})
# Dependents of a noun that may be the word a noun entry asks for ("rappel de son
# ambassadeur", "opération militaire", "droits de douane"), or a light entry's
# modifier asks of its support noun ("exercices conjoints").
_NOUN_WORD_DEPS = frozenset({"amod", "nmod", "compound", "flat", "appos", "acl"})
# Relations of a reflexive or adverbial clitic to its verb.
_CLITIC_DEPS = frozenset({"obj", "iobj", "expl", "expl:comp", "expl:pass", "expl:pv", "expl:subj",
                          "obl", "obl:arg"})
# Words between a verb and its support noun that the parser sometimes makes the noun's
# head: a quantity ("quelques-unes des demandes") or a day ("a donné mercredi son accord").
_RELAY_POS = ("PRON", "NUM")
_RELAY_WORDS = frozenset({"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
                          "hier", "soir", "matin", "partie", "ensemble", "serie", "plupart", "etat"})
# Nouns of quantity between a carrier and its event noun ("subir une vague de frappes").
_QUANTITY_WORDS = frozenset({"vague", "serie", "salve", "pluie", "deluge", "flot", "torrent", "avalanche",
                             "train", "paquet", "volee", "nombre", "dizaine", "centaine", "millier",
                             "multitude", "succession", "cascade", "rafale", "million", "milliard"})


# Nouns of an act's doing between a carrier and its event noun ("donner son feu vert à
# l'imposition de droits de douane", "décider la mise en place de sanctions").
_DOING_WORDS = frozenset({"imposition", "adoption", "application", "instauration", "introduction", "mise",
                          "prolongation", "reconduction", "extension", "renforcement", "durcissement",
                          "elargissement", "poursuite", "reprise", "intensification", "multiplication"})


def _is(tok: Token, key: str) -> bool:
    """Whether the token's lemma or form is ``key``, an adjective or participle in any
    gender and number ("étonnées" is "étonné")."""
    if fold_rsquo(tok.lemma_) == key:
        return True
    form = fold_rsquo(tok.text)
    return form == key or (form.startswith(key) and form[len(key):] in ("e", "s", "es", "x"))


def _support_noun(verb: Token, key: str) -> Token | None:
    """The verb's complement whose lemma (or form) is ``key``, also one word down through
    a quantity or a day; for ``key`` "*", its direct object, whatever it is."""
    if key == ANY_OBJECT:
        return next((c for c in verb.children if c.dep_ == "obj"), None)
    for c in verb.children:
        if (c.dep_ in _NOUN_DEPS or _relative_object(c, verb)) and _is(c, key):
            return c
    for c in verb.children:
        if c.dep_ in _NOUN_DEPS and (c.pos_ in _RELAY_POS or fold_rsquo(c.text) in _RELAY_WORDS
                                     or fold_rsquo(c.lemma_) in _QUANTITY_WORDS):
            for g in c.children:
                if g.dep_ in ("nmod", "obl", "obl:mod", "dep") and _is(g, key):
                    return g
        if c.dep_ == "obj":
            # "placer X sur liste noire" parsed with the phrase on the object: a complement
            # after it with a preposition other than "de"
            for g in c.children:
                if g.dep_ == "nmod" and g.i > c.i and case_of(g) not in ("", "de") and _is(g, key):
                    return g
    return None


def _relative_object(c: Token, verb: Token) -> bool:
    """ "les sanctions que X a imposées" parsed with the noun as the verb's subject: a "que"
    between them says it is its object."""
    return c.dep_ == "nsubj" and c.i < verb.i and any(
        w.lower_ in ("que", "qu'", "qu’") for w in verb.doc[c.i + 1: verb.i])


_PERSON_CLITICS = frozenset({"me", "m'", "te", "t'", "nous", "vous"})


def is_reflexive(verb: Token) -> bool:
    """Whether the verb has a reflexive clitic: "se" / "s'", or "me", "te", "nous", "vous"
    marked reflexive or of the same person as the subject ("nous nous engageons")."""
    for c in verb.children:
        if c.pos_ != "PRON" or c.dep_ not in _CLITIC_DEPS or c.i > verb.i:
            continue
        form = fold_rsquo(c.text)
        if form in ("se", "s'") or "Yes" in c.morph.get("Reflex"):
            return True
        if form in _PERSON_CLITICS:
            subj = [s for t in (verb, *[a for a in verb.children if a.dep_.startswith("aux")])
                    for s in t.children if s.dep_ in NSUBJ and s.pos_ == "PRON"]
            if subj and subj[0].morph.get("Person") == c.morph.get("Person") and \
                    subj[0].morph.get("Number") == c.morph.get("Number"):
                return True
    return False


def has_clitic(verb: Token, clitic: str) -> bool:
    """Whether the verb has the clitic "en" or "y" ("s'en prendre à", "y renoncer")."""
    return any(c.pos_ == "PRON" and c.i < verb.i and fold_rsquo(c.text) == clitic
               for c in verb.children)


def _carried(anchor: Token, e: lexmod.Entry, lex: lexmod.Lexicon) -> Match | None:
    """The event noun a carrier carries: among the anchor's complements (introduced by the
    entry's marker when it has one), the first with a noun entry."""
    for c in anchor.children:
        if c.dep_ not in _CARRIED_DEPS or c.pos_ not in ("NOUN", "PROPN"):
            continue
        if e.marker is not None and case_of(c) != e.marker:
            continue
        if e.marker is None and case_of(c) not in ("", "de"):
            continue  # an adjunct ("après l'expulsion de X, Y a décidé…") is not what is carried
        m = _noun_match(c, lex)
        if m is None and fold_rsquo(c.lemma_) in _QUANTITY_WORDS | _DOING_WORDS:
            # "une vague de frappes", "l'imposition de droits", "la mise en place de sanctions"
            inner = [g for g in c.children if g.dep_ == "nmod"]
            inner += [h for g in inner if case_of(g) == "en" for h in g.children if h.dep_ == "nmod"]
            m = next((x for g in inner if case_of(g) == "de" for x in [_noun_match(g, lex)] if x is not None), None)
        if m is not None:
            return m
    return None


def _own_agent(noun: Token) -> bool:
    """Whether an event noun names its own agent: "par X", or a name after "de" ("les
    frappes d'Israël"; "l'envoi de chars" names none)."""
    for c in noun.children:
        if c.dep_ == "nmod" and c.i > noun.i and (case_of(c) == "par" or (case_of(c) == "de" and c.pos_ == "PROPN")):
            return True
    return False


def _match_entry(tok: Token, e: lexmod.Entry, lex: lexmod.Lexicon) -> Match | None:
    pred, trig = tok, [tok]
    if tok.dep_ == "cop":
        # "X est victime de…": the copula supports the noun it links, which is the predicate
        if e.noun is None or e.reflexive or e.clitic or not _is(tok.head, e.noun):
            return None
        pred = tok.head
        trig.append(tok.head)
    else:
        if e.reflexive and not is_reflexive(tok):
            return None
        if not e.reflexive and e.roles[:1] == ("obj",) and _se(tok) and not _mutual(tok):
            return None  # "se défendre" is not "défendre X"; "X et Y se rencontrent" is
        if e.clitic is not None and not has_clitic(tok, e.clitic):
            return None
        if (e.negated and not is_negated(tok, lex)) or (e.future and not is_future(tok)):
            return None
        if e.noun is not None:
            noun = _support_noun(tok, e.noun)
            if noun is None:
                return None
            trig.append(noun)
    if e.modifier is not None and not any(c.dep_ in _NOUN_WORD_DEPS and _is(c, e.modifier)
                                          for c in trig[-1].children):
        return None  # "mener des exercices conjoints"
    if e.carried:
        inner = _carried(trig[-1], e, lex) if e.noun is not None else None
        # "faire l'objet de sanctions" is also parsed with the noun on the verb
        inner = inner or _carried(tok if pred is tok else pred, e, lex)
        if inner is None:
            return None
        if not e.reversed and (_own_agent(inner.pred) or inner.entry.type in lexmod.SPOKEN_TYPES):
            # "approuver les frappes de X" is X's act; "approuver la demande de X" no demand
            return None
        n = inner.entry
        etype, cameo = n.type, n.cameo
        if e.ends:
            if n.type not in lexmod.ENDS:
                return None  # ending a threat or a request is no event
            etype, cameo = lexmod.ENDS[n.type]
        entry = replace(e, type=etype, cameo=e.cameo or cameo,
                        context=tuple(dict.fromkeys((*n.context, *e.context))),
                        roles=e.roles or n.roles, solo=e.solo or (not e.roles and n.solo))
        return Match(entry, pred, [*trig, *inner.trigger])
    if e.marker is not None:
        scope = [c for t in trig for c in prep_dependents(t)]
        # "livrer des chars à X" is often parsed with "à X" on the object (not "de": "retirer
        # l'accréditation de X" names whose accreditation, not where from)
        if e.marker != "de":
            scope += [g for c in tok.children if c.dep_ == "obj" and c not in trig for g in c.children
                      if g.dep_ == "nmod" and g.i > c.i]
        if not any(case_of(c) == e.marker for c in scope) and not _mutual(tok):
            return None
    return Match(e, pred, trig)


def match_verb(tok: Token, lex: lexmod.Lexicon) -> Match | None:
    """The most specific entry of the verb (or copula) ``tok`` that matches, or None (also
    when a stop entry wins)."""
    for e in lex.verb_entries(tok.lemma_):
        m = _match_entry(tok, e, lex)
        if m is not None:
            return None if e.stop else (_call_to_protest(m, lex) or m)
    return None


def is_future(verb: Token) -> bool:
    """Whether a verb is in the future or the conditional, or after "aller" ("va riposter")."""
    words = [verb, *(c for c in verb.children if c.dep_.startswith("aux"))]
    if any("Fut" in w.morph.get("Tense") or "Cnd" in w.morph.get("Mood") for w in words):
        return True
    return verb.dep_ == "xcomp" and fold_rsquo(verb.head.lemma_) == "aller" and verb.head.i < verb.i


def _call_to_protest(m: Match, lex: lexmod.Lexicon) -> Match | None:
    """ "X appelle à manifester / à faire grève / à descendre dans la rue contre Y": a call
    to protest addressed to no one (CAMEO 14) is the caller's protest, not a request. The
    call is a REQUEST verb with the marker "à" and no direct object whose infinitive
    complement, or noun complement ("appeler à une journée de grève"), is a protest, and whose object, if any, is a common noun ("appeler la
    population à manifester"; "appeler Paris à…" is a request to Paris): the protest's
    entry gives the event, its roles searched on both verbs."""
    e = m.entry
    if e.type != "REQUEST" or e.kind != "verb" or e.marker != "a" or m.pred.pos_ != "VERB":
        return None
    verb = m.pred
    if any(c.dep_ == "obj" and c.pos_ != "NOUN" for c in verb.children):
        return None
    for c in verb.children:
        if c.dep_ not in ("xcomp", "obl", "obl:arg", "obl:mod", "advcl", "acl") or c.i < verb.i or case_of(c) != "a":
            continue
        if c.pos_ == "VERB":
            inner = match_verb(c, lex)
        elif c.pos_ == "NOUN":
            # "appeler à une journée de grève / de mobilisation contre X", "à la révolte"
            inner = match_noun(c, lex) or next((x for g in c.children if g.dep_ == "nmod" and case_of(g) == "de"
                                                for x in [match_noun(g, lex)] if x is not None), None)
        else:
            continue
        if inner is not None and inner.entry.type == "PROTEST":
            n = inner.entry  # the call's own entry, with the protest's event and roles
            entry = replace(e, type=n.type, cameo=n.cameo, context=n.context, roles=n.roles, solo=n.solo)
            return Match(entry, verb, list(dict.fromkeys([*m.trigger, c, *inner.trigger])))
    return None


def _se(verb: Token) -> bool:
    """Whether the verb has the third-person reflexive clitic "se" / "s'"."""
    return any(c.pos_ == "PRON" and c.i < verb.i and fold_rsquo(c.text) in ("se", "s'") for c in verb.children)


def _mutual(verb: Token) -> bool:
    """ "X et Y se sont entretenus", "… s'accusent mutuellement": a reflexive verb with
    coordinated subjects, or said to be mutual, acts on each other (and needs no "avec"
    complement)."""
    if not is_reflexive(verb):
        return False
    if any(fold_rsquo(c.text) in ("mutuellement", "reciproquement") for c in verb.children):
        return True
    return any(c.dep_ in ("nsubj", "nsubj:pass") and (any(g.dep_ == "conj" for g in c.children)
                                                      or "Plur" in c.morph.get("Number"))
               for c in verb.children)


def guessed_infinitive(low: str) -> list[str]:
    """A first-group infinitive guessed from a verb's form in lower case, for when the
    tagger left the inflected form as lemma ("estime" -> "estimer") or tagged it a noun
    ("téléphoné" -> "téléphoner")."""
    for end in ("ent", "e", "ées", "és", "ée", "é"):
        if low.endswith(end) and len(low) > len(end) + 2:
            return [low[: -len(end)] + "er"]
    return []


def guess_key(low: str) -> str:
    """The guessed infinitive of a form, folded for the lexicon ("" when there is none)."""
    guess = guessed_infinitive(low)
    return fold_rsquo(guess[0]) if guess else ""


_PARTICIPLE_ENDS = ("é", "ée", "és", "ées")


def _mistagged_participle(tok: Token) -> Token | None:
    """A past participle tagged as a noun or an adjective after its auxiliary ("il a
    téléphoné", "avoir téléphoné"): the word that carries the clause (the participle
    itself when the auxiliary hangs on it, else the auxiliary verb it hangs on), or None."""
    if not tok.lower_.endswith(_PARTICIPLE_ENDS):
        return None
    if any(c.dep_.startswith("aux") for c in tok.children):
        return tok
    head = tok.head
    if head.i == tok.i - 1 and head.lemma_ in ("avoir", "être") and tok.dep_ in ("obj", "xcomp", "obl:arg"):
        return head
    return None


def _guess_allowed(tok: Token) -> Token | None:
    """Whether the guessed infinitive may stand for ``tok``'s lemma, and the word that
    then carries the clause: a verb the lemmatiser left as its own form ("réclame"); a
    past participle tagged as an adjective or a noun right after its auxiliary ("ont
    gelé", "avoir téléphoné"); a present-tense verb tagged as a bare noun with a subject
    ("Il pointe du doigt X")."""
    if tok.pos_ == "VERB":
        return tok if fold_rsquo(tok.lemma_) == fold_rsquo(tok.text) else None
    if any(c.dep_ == "det" for c in tok.children) or (tok.i > 0 and tok.nbor(-1).pos_ == "DET"):
        return None
    carrier = _mistagged_participle(tok)
    if carrier is not None:
        return carrier
    if tok.pos_ == "NOUN" and any(c.dep_ == "nsubj" for c in tok.children):
        return tok
    return None


def match_mistagged(tok: Token, lex: lexmod.Lexicon) -> Match | None:
    """A verb the tagger got wrong, matched through the infinitive guessed from its form:
    a lemma left as the form, a participle tagged as an adjective or a noun after its
    auxiliary ("a téléphoné à X", "ont gelé les avoirs"), a present-tense verb tagged as
    a bare noun ("Il pointe du doigt X")."""
    carrier = _guess_allowed(tok)
    if carrier is None:
        return None
    for lemma in guessed_infinitive(tok.lower_):
        if not lex.verb_entries(lemma):
            continue
        saved = tok.lemma_
        try:
            tok.lemma_ = lemma
            m = match_verb(tok, lex)
        finally:
            tok.lemma_ = saved
        if m is not None:
            if m.pred is tok and carrier is not tok:
                m.pred = carrier  # its subject and auxiliaries are the clause's
            return m
    return None


def in_stop_phrase(noun: Token, lex: lexmod.Lexicon) -> bool:
    """Whether the noun is the support noun of a stop entry that matches at its verb
    ("recevoir le soutien de", "manifester son intérêt")."""
    head = noun.head
    if head.i == noun.i or head.pos_ not in ("VERB", "AUX"):
        return False
    key = fold_rsquo(noun.lemma_)
    for e in lex.verb_entries(head.lemma_):
        if e.stop and e.noun == key and _match_entry(head, e, lex) is not None:
            # the stop entry must be the one that wins at the verb
            return next((x for x in lex.verb_entries(head.lemma_)
                         if _match_entry(head, x, lex) is not None), None) is e
    return False




def _noun_match(tok: Token, lex: lexmod.Lexicon) -> Match | None:
    """The most specific noun entry of ``tok``: one whose word depends on it, else one of
    the noun alone."""
    for e in lex.noun_entries(tok.lemma_):
        if e.noun is None:
            return Match(e, tok, [tok])
        dep = next((c for c in tok.children if c.dep_ in _NOUN_WORD_DEPS and _is(c, e.noun)), None)
        if dep is None:
            # also a complement of its complement ("le rappel pour consultation de son
            # ambassadeur", "un échange avec X de 115 prisonniers")
            dep = next((g for c in tok.children if c.dep_ == "nmod" and c.i > tok.i
                        for g in c.children if g.dep_ == "nmod" and _is(g, e.noun)), None)
        if dep is not None:
            return Match(e, tok, [tok, dep])
    return None


def match_noun(tok: Token, lex: lexmod.Lexicon) -> Match | None:
    m = _noun_match(tok, lex)
    if m is None or in_stop_phrase(tok, lex):
        return None
    return m


__all__ = ["Match", "guess_key", "guessed_infinitive", "has_clitic", "in_stop_phrase", "is_future", "is_reflexive",
           "match_mistagged", "match_noun", "match_verb"]
