"""Who acts and who receives: the actor and recipient of an event predicate in the parse.

The actor of a verb is its subject (a title then a name: the name; a pronoun in an
announced clause: the announcer), following conj, xcomp and infinitives (object control
for "exhorter X à…", "accuser X d'avoir…"; "X a été autorisé à…"; "la décision de X de…";
"X sont les seuls à…"), relative clauses and clefts, the passive agent, and a
participle's agent ("une décision saluée par X"). The actor of a noun is named in its
phrase ("par X", "l'offensive russe", "les frappes des États-Unis", "menées par X", "que
X a imposées") or is the subject of the verb that carries it ("X a lancé une offensive"),
unless that verb is an event, a speech or a verb of acts not done ("craindre des
frappes"). The recipient is the first actor among the entry's roles, the owner of an act
noun in a role ("condamner la décision allemande"), the subject of a passive, the noun a
participle modifies or the clause it comments on, the country an attack or a withdrawal
is about, an actor named in the complement clause ("menacer de couper le gaz vers X"),
or "les deux pays" last named together. No rule follows a dependency across a paragraph
break.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Token

from ..places import city_country
from ..records import Quote
from ..text import fold_rsquo
from . import lexicon as lexmod
from .predicates import Match, guess_key, match_verb
from .resolution import Mention, Resolution
from .syntax import NSUBJ, case_of, is_passive, mention_of, np_tokens, prep_dependents

# Verbs whose object does what their infinitive says: "exhorter X à…", "forcer X à…",
# "accuser X d'avoir…".
_CONTROL_TYPES = ("REQUEST", "COERCE", "ACCUSE")
# How a nominal event hangs on the verb that lends it its subject ("X a lancé une
# offensive", "X a procédé à l'expulsion"); not an adjunct ("après l'expulsion de…, X a…").
_CARRIER_DEPS = ("obj", "obl", "obl:arg", "nsubj:pass", "xcomp")
_AGENT_CASES = ("par", "de la part de")


def _paragraphs(tok: Token, res: Resolution) -> list[int]:
    """The paragraph number of each token of ``tok``'s Doc (a line break starts one)."""
    return res.facts_for(tok.doc).paragraph_of


def linked(a: Token, b: Token, res: Resolution) -> bool:
    """Whether ``a`` and ``b`` lie in one paragraph. The parser sometimes hangs a paragraph
    on a word of the one before; no rule follows such a link."""
    ids = _paragraphs(a, res)
    return ids[a.i] == ids[b.i]


def complement(tok: Token) -> bool:
    """Whether ``tok`` heads a clause that completes its head: an xcomp or ccomp, or an
    infinitive with "à"/"de" however it hangs ("exhorter X à sanctionner…")."""
    if tok.dep_ in ("xcomp", "ccomp"):
        return True
    return (tok.dep_ in ("acl", "advcl") and "Inf" in tok.morph.get("VerbForm")
            and any(c.dep_ == "mark" and fold_rsquo(c.text) in ("a", "de", "d'") for c in tok.children))


def has_head(tok: Token, res: Resolution) -> bool:
    """Whether ``tok`` depends on a word of its own paragraph."""
    return tok.head.i != tok.i and linked(tok, tok.head, res)


def expand_conj(m: Mention | None, token: Token | None, res: Resolution) -> list[Mention]:
    """A mention and the mentions coordinated with it ("la France et l'Allemagne", also
    from a later conjunct or inside a complement: "les présidents de la France et de
    l'Allemagne"), or with the adjective that names it ("les dirigeants azerbaïdjanais et
    russe"), and the other states of a compound adjective ("russo-ukrainiens")."""
    if m is None:
        return []
    out = [m, *res.companions(m)]  # "les pourparlers russo-ukrainiens": both states
    if token is None:
        return out
    # the mention may be a complement or an adjective of the phrase
    starts = [token, *[c for c in token.children if c.dep_ in ("nmod", "amod")
                       and res.mention_at_token(c.i) is m]]
    for start in starts:
        first = start
        while first.dep_ == "conj" and has_head(first, res) and first.head.pos_ in ("PROPN", "NOUN", "ADJ") \
                and first.head.i < first.i:
            first = first.head
        head = _list_head(first, res)
        if head is None:
            # "L'Indonésie, la France et les États-Unis": the list parsed as an apposition
            head, first = first, next((c for c in first.children if c.dep_ == "appos" and
                                       getattr(_list_head(c, res), "i", None) == first.i), first)
        listed = [first, *[c for c in first.children if c.dep_ == "conj" and linked(c, first, res)]]
        if head.i != first.i:
            listed.insert(0, head)
        for c in listed:
            mc = res.mention_at_token(c.i) if start.dep_ == "amod" else mention_of(c, res)
            for x in ([mc, *res.companions(mc)] if mc is not None else []):
                if x.actor_id not in {y.actor_id for y in out}:
                    out.append(x)
    return out


def _list_head(first: Token, res: Resolution) -> Token | None:
    """ "L'Indonésie, l'Arabie saoudite et les Émirats l'ont condamné" parsed with the second
    name as an apposition of the first: the first name of a list of actors of one kind (not
    people: "le président français, Emmanuel Macron" is one actor)."""
    if first.dep_ != "appos" or not has_head(first, res) or first.head.i > first.i \
            or first.head.pos_ not in ("PROPN", "NOUN"):
        return None
    if not any(c.dep_ == "conj" and linked(c, first, res) for c in first.children):
        return None
    doc = first.doc
    if first.left_edge.i == 0 or doc[first.left_edge.i - 1].text != ",":
        return None
    a, b = mention_of(first.head, res), mention_of(first, res)
    if a is None or b is None or a.actor_id == b.actor_id:
        return None
    ka, kb = res.actors.get(a.actor_id), res.actors.get(b.actor_id)
    if ka is None or kb is None or ka.kind != kb.kind or ka.kind == "person":
        return None
    return first.head


# Words that add a co-actor to a clause ("X l'a condamné, tout comme Y", "de même que Y").
_CO_ACTOR_MARKS = ("tout comme", "ainsi que", "de meme que", "au meme titre que")


def co_actors(pred: Token, actors: list[Mention], res: Resolution) -> list[Mention]:
    """The actors a clause adds to its subject with "tout comme Y", "ainsi que Y", "de même
    que Y" (and those coordinated with them): each does the act too."""
    ids = {a.actor_id for a in actors}
    out: list[Mention] = []
    doc = pred.doc
    for c in pred.children:
        if c.pos_ not in ("PROPN", "NOUN") or not linked(c, pred, res) or c.dep_ in NSUBJ:
            continue
        words = " ".join(fold_rsquo(t.text) for t in doc[c.left_edge.i: c.i] if t.pos_ != "DET")
        if words not in _CO_ACTOR_MARKS:
            continue
        for m in expand_conj(mention_of(c, res), c, res):
            if m.actor_id and m.actor_id not in ids:
                ids.add(m.actor_id)
                out.append(m)
    return out


def agents(pred: Token, res: Resolution, lex: lexmod.Lexicon, depth: int = 0) -> tuple[list[Mention], Token | None]:
    """The actor(s) of a verbal predicate, and the token they were found on."""
    if depth > 4:
        return [], None
    if is_passive(pred) or participle_with_agent(pred):
        for c in pred.children:
            if c.dep_ == "obl:agent" or (c.dep_.startswith("obl") and case_of(c) == "par"):
                m = mention_of(c, res)
                return expand_conj(m, c, res), c
        return [], None
    auxes = [c for c in pred.children if c.dep_.startswith("aux")]
    subj = [c for t in (pred, *auxes) for c in t.children if c.dep_ in NSUBJ and linked(c, pred, res)]
    dep = pred.dep_ if has_head(pred, res) else "ROOT"
    if subj:
        s = _true_subject(subj[0])
        if s is None:
            return [], subj[0]
        if s.lower_ in ("qui", "lequel", "laquelle", "lesquels", "lesquelles") and dep == "acl:relcl":
            return _antecedent(pred.head, res)
        if s.lower_ == "qui" and dep != "acl:relcl":
            return _cleft(s, res)
        pair = _pair(s, res)
        if pair:
            return pair, s
        m = subject_mention(s, res)
        for other in subj[1:]:  # "le ministre … Gérald Darmanin a accusé": a name after the title
            if m is None and other.pos_ == "PROPN" and other.left_edge.i == s.right_edge.i + 1:
                s, m = other, subject_mention(other, res)
        if m is None:
            topic = _topic(pred, s, res)
            if topic is not None:
                return expand_conj(topic[0], topic[1], res), topic[1]
        if m is None and s.pos_ == "PRON" and dep == "ccomp":
            # "X a annoncé qu'elle allait…": the speaker, when gender and number agree
            outer, tok = agents(pred.head, res, lex, depth + 1)
            if len(outer) == 1 and tok is not None and _agrees(s, tok):
                return outer, tok
        if m is None and dep == "ccomp" and fold_rsquo(s.lemma_) == "pays" and any(
                c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in s.children):
            # "le ministre algérien a annoncé que son pays a rompu…": the speaker's country
            outer, tok = agents(pred.head, res, lex, depth + 1)
            countries = [x for x in outer if (a := res.actors.get(x.actor_id)) is not None and a.kind == "country"]
            if len(countries) == 1:
                return countries, tok
        first = _cut_coordination(pred, s, res)
        if first is not None and m is not None and first.actor_id != m.actor_id:
            return [first, *[x for x in expand_conj(m, s, res) if x.actor_id != first.actor_id]], s
        return expand_conj(m, s, res), s
    if dep == "acl:relcl":
        return _antecedent(pred.head, res)
    finite = "Fin" in pred.morph.get("VerbForm") or (
        "Inf" in pred.morph.get("VerbForm") and not pred.lower_.endswith(("r", "re"))) or any(
        a.dep_ == "aux:tense" and "Fin" in a.morph.get("VerbForm") for a in auxes)
    if dep == "acl" and finite and pred.head.i < pred.i:
        # a finite verb is no reduced relative: the "head" noun is its subject
        m = mention_of(pred.head, res)
        return expand_conj(m, pred.head, res), pred.head
    hung = any(c.dep_ in NSUBJ and not linked(c, pred, res) for t in (pred, *auxes) for c in t.children)
    if dep == "ROOT" and (pred.dep_ != "ROOT" or hung):
        # A paragraph hung on the one before: its subject hangs there too. The first noun
        # of the paragraph, before the verb, that depends on no word of the paragraph. (Or
        # a title without a full stop taken for the subject, the paragraph's first name
        # hung on it.)
        ids = _paragraphs(pred, res)
        t = pred
        while t.i > 0 and ids[t.i - 1] == ids[pred.i]:
            t = t.nbor(-1)
        for w in pred.doc[t.i: pred.i]:
            if w.pos_ in ("PROPN", "NOUN") and not has_head(w, res):
                m = mention_of(w, res)
                if m is not None:
                    return expand_conj(m, w, res), w
            if w.pos_ in ("VERB", "AUX"):
                break
    if dep == "ROOT":
        # The tagger sometimes cuts a sentence-initial name off as its own sentence
        # ("Paris | s'est entretenu avec…"): a bare name just before, on the same line.
        for t in reversed(pred.doc[max(0, pred.sent.start - 4): pred.i]):
            if t.pos_ in ("VERB",) or t.text in (".", "!", "?", "\n") or "\n" in t.text:
                break
            if t.head.i == t.i and t.pos_ in ("PROPN", "NOUN") and t.i < pred.sent.start:
                m = mention_of(t, res)
                return expand_conj(m, t, res), t
    if dep == "ROOT":
        found = _hung_subject(pred, auxes, res)
        if found is not None:
            return expand_conj(found[0], found[1], res), found[1]
    if _incise(pred, res):
        # "…, a déploré X": the inverted subject, often parsed as an object
        for c in pred.children:
            if c.dep_ in ("obj", "obl:arg") and c.i > pred.i and c.pos_ in ("PROPN", "NOUN") and not case_of(c):
                m = subject_mention(c, res)
                if m is not None:
                    return expand_conj(m, c, res), c
    if dep not in ("xcomp", "advcl", "conj") and _gerund(pred) and pred.head.pos_ in ("VERB", "AUX"):
        # "En imposant des sanctions, X espère…" with the gerund parsed as an oblique: its
        # subject is the clause's
        return agents(pred.head, res, lex, depth + 1)
    if dep == "conj":
        sibling = _infinitive_sibling(pred, res)
        return agents(sibling if sibling is not None else pred.head, res, lex, depth + 1)
    if dep in ("xcomp", "acl") and pred.head.pos_ in ("NOUN", "ADJ") and any(
            c.dep_ == "cop" for c in pred.head.children):
        # "X est le seul pays à reconnaître Y", "X sont les seuls à ne pas avoir ratifié":
        # the copula's subject
        noun = pred.head
        subj = next((c for c in noun.children if c.dep_ in NSUBJ and linked(c, pred, res)), None)
        if subj is None and noun.dep_ == "conj" and has_head(noun, res) and noun.head.i < noun.i \
                and noun.head.pos_ == "PROPN" and not any(c.dep_ == "cc" for c in noun.children):
            # "X, théâtre de…, est le deuxième pays à interdire Y" parsed with the name as
            # the root and the predicate as its conjunct (no "et" between them)
            subj = noun.head
        if subj is not None:
            m = subject_mention(subj, res)
            if m is not None:
                return expand_conj(m, subj, res), subj
    if dep == "acl" and "Inf" in pred.morph.get("VerbForm") and pred.head.dep_ == "obl:agent" \
            and any(c.dep_ == "mark" and fold_rsquo(c.text) == "a" for c in pred.children) \
            and has_head(pred.head, res) and is_passive(pred.head.head):
        # "X a été autorisé par Y à organiser…" with the infinitive hung on the agent: the
        # passive's subject does it
        verb = pred.head.head
        subj = next((c for c in verb.children if c.dep_ == "nsubj:pass" and linked(c, verb, res)), None)
        if subj is not None:
            return expand_conj(mention_of(subj, res), subj, res), subj
    if dep in ("xcomp", "acl") and pred.head.pos_ == "NOUN" and res.mention_at_token(pred.head.i) is None:
        # "la décision de la Russie de se retirer": the noun's owner acts
        found = owner(pred.head, res)
        if found:
            return found, pred.head
        return noun_agents(pred.head, res, lex)
    if dep in ("xcomp", "advcl"):
        head = pred.head
        if pred.dep_ == "xcomp":
            # the same, when the parser hangs the infinitive on the verb governing the noun
            # ("regretter la décision de X de se retirer")
            noun = next((c for c in head.children if c.dep_ == "obj" and c.pos_ == "NOUN"
                         and c.right_edge.i + 1 == pred.left_edge.i), None)
            if noun is not None and res.mention_at_token(noun.i) is None:
                found = owner(noun, res)
                if found:
                    return found, noun
        if complement(pred):
            objs = [c for c in head.children if c.dep_ in ("obj", "iobj")]
            controls = any(e.type in _CONTROL_TYPES or e.lemma in ("aider", "autoriser", "permettre")
                           for e in lex.verb_entries(head.lemma_))
            if objs and controls:
                m = mention_of(objs[0], res)
                return expand_conj(m, objs[0], res), objs[0]
        if pred.dep_ == "xcomp" and is_passive(head):
            # "X a été autorisé / invité à faire": the passive's subject does it
            subj = next((c for c in head.children if c.dep_ == "nsubj:pass" and linked(c, head, res)), None)
            if subj is not None:
                return expand_conj(mention_of(subj, res), subj, res), subj
        # "prêts à fournir": the adjective's subject; else the governing verb's
        return agents(head, res, lex, depth + 1)
    return [], None


def _finite(pred: Token, auxes: list[Token]) -> bool:
    return "Fin" in pred.morph.get("VerbForm") or any(
        a.dep_.startswith("aux") and "Fin" in a.morph.get("VerbForm") for a in auxes)


def _hung_subject(pred: Token, auxes: list[Token], res: Resolution) -> tuple[Mention, Token] | None:
    """ "Condamnant le tir, la Maison-Blanche a assuré…" parsed with the name as a conjunct
    of the adjunct's last noun: a finite verb with no subject, right after a name set off
    by a comma, takes that name (the words between are only its auxiliaries, clitics and
    negation)."""
    if not _finite(pred, auxes):
        return None
    doc = pred.doc
    mine = {pred.i, *(a.i for a in auxes)}
    first = min(mine)
    while first > 0 and doc[first - 1].head.i in mine and (
            doc[first - 1].pos_ == "PRON" or fold_rsquo(doc[first - 1].text) in ("ne", "n'")):
        first -= 1  # "la Chine l'a condamné", "X ne l'a pas"
    m = res.mention_at_token(first - 1) if first > 0 else None
    if m is None or m.token_end != first or m.actor_id is None:
        return None
    start = m.token_start
    while start > 0 and doc[start - 1].pos_ == "DET":
        start -= 1
    if start == 0 or doc[start - 1].text != "," or not linked(doc[start - 1], pred, res):
        return None
    toks = doc[m.token_start: m.token_end]
    if any(t.head.i in mine or t.dep_ in NSUBJ for t in toks):
        return None  # the parser gave it a role of this verb
    return m, toks[0]


_TOPIC_PRONOUNS = ("il", "elle", "ils", "elles", "on")


def _topic(pred: Token, subj: Token, res: Resolution) -> tuple[Mention, Token] | None:
    """ "Quant à X, elle a…", "Du côté de X, on a…": the actor named by the topic that opens
    the clause, set off by a comma right before a subject pronoun, is that pronoun."""
    if subj.pos_ != "PRON" or subj.lower_ not in _TOPIC_PRONOUNS or subj.i < 2:
        return None
    doc = pred.doc
    if doc[subj.i - 1].text != ",":
        return None
    for c in pred.children:
        if c.i >= subj.i or c.right_edge.i != subj.i - 2 or not linked(c, pred, res):
            continue
        target = None
        if case_of(c).startswith("quant"):
            target = c
        elif fold_rsquo(c.lemma_) == "cote":
            target = next((g for g in c.children if g.dep_ in ("nmod", "flat:name", "appos") and g.i > c.i), None)
        m = mention_of(target, res) if target is not None else None
        if m is not None:
            return m, target
    return None


def _gerund(pred: Token) -> bool:
    """ "en imposant": a present participle after "en"."""
    return pred.pos_ == "VERB" and "Part" in pred.morph.get("VerbForm") and "Pres" in pred.morph.get("Tense") \
        and any(c.dep_ in ("case", "mark") and c.lower_ == "en" and c.i < pred.i for c in pred.children)


def _infinitive_sibling(pred: Token, res: Resolution) -> Token | None:
    """ "X a décidé de rappeler l'ambassadeur et d'expulser douze agents" parsed with the
    second infinitive as a conjunct of the first one's object: the nearest infinitive
    before it that governs that noun (three words up at most)."""
    if "Inf" not in pred.morph.get("VerbForm") or pred.head.pos_ not in ("NOUN", "PROPN"):
        return None
    t = pred.head
    for _ in range(3):
        if not has_head(t, res):
            return None
        t = t.head
        if t.pos_ == "VERB" and "Inf" in t.morph.get("VerbForm") and t.i < pred.i:
            return t
    return None


def _cut_coordination(pred: Token, subj: Token, res: Resolution) -> Mention | None:
    """ "X et Y ont conclu…" parsed with X as the root and the verb as its conjunct (Y alone
    its subject): X, the name the verb hangs on, right before "et Y"."""
    head = pred.head
    start = subj.left_edge.i
    if pred.dep_ != "conj" or not has_head(pred, res) or head.i >= start or head.pos_ not in ("PROPN", "NOUN"):
        return None
    doc = pred.doc
    if start == 0 or doc[start - 1].lower_ != "et":
        return None
    m = res.mention_at_token(head.i)
    return m if m is not None and m.token_end == start - 1 else None


def _dont_antecedent(pred: Token, res: Resolution) -> Mention | None:
    """ "X, dont Y a salué le travail": the actor "dont" stands for, when the clause of
    ``pred`` opens with it."""
    doc = pred.doc
    for t in doc[pred.left_edge.i: pred.i]:
        if t.lower_ == "dont":
            i = t.i - 1
            while i >= 0 and doc[i].text == ",":
                i -= 1
            return res.mention_at_token(i) if i >= 0 and linked(doc[i], pred, res) else None
    return None


_PAIR_NOUNS = ("pays", "partie", "etat", "voisin", "capitale", "gouvernement", "camp")


def _pair(tok: Token, res: Resolution) -> list[Mention]:
    """ "les deux pays", "les deux parties": the two actors last named together ("X et Y")
    in the paragraph or the one before."""
    if fold_rsquo(tok.lemma_) not in _PAIR_NOUNS or not any(
            c.lower_ == "deux" for c in tok.children if c.dep_ == "nummod"):
        return []
    ids = _paragraphs(tok, res)
    for m in reversed(res.mentions):
        if m.token_start >= tok.i:
            continue
        if ids[tok.i] - ids[m.token_start] > 1:
            break
        head = tok.doc[m.token_start]
        while head.head.i != head.i and m.token_start <= head.head.i < m.token_end:
            head = head.head
        if head.dep_ == "conj" and head.head.i < head.i:
            first = res.mention_at_token(head.head.i)
            if first is not None and first.actor_id != m.actor_id:
                return [first, m]
    return []


def _true_subject(subj: Token) -> Token | None:
    """The subject the parser meant: "X et Y sont les seuls États à avoir…" parsed with
    "États" as the subject gives X; a phrase with a preposition is no subject ("Devant la
    Cour, des Palestiniens manifestaient": the noun set off after it, if any)."""
    if any(c.dep_ == "cop" for c in subj.children):
        inner = next((c for c in subj.children if c.dep_ in NSUBJ and c.i < subj.i), None)
        if inner is not None:
            return inner
    if any(c.dep_ == "case" and c.i < subj.i for c in subj.children):
        return next((c for c in subj.children if c.dep_ == "nmod" and c.i > subj.i and not case_of(c)
                     and subj.doc[c.left_edge.i - 1].text == ","), None)
    return subj


# Nouns for the country of whoever completes them: "le pays de X".
_PLACE_OF = ("pays", "nation", "patrie")


def subject_mention(subj: Token, res: Resolution) -> Mention | None:
    """The actor a subject names: its phrase's mention, else the first mention in its noun
    phrase ("le ministre de l'Intérieur et des Outre-mer Gérald Darmanin"); never the
    person completing "le pays de X" (X's country acts, not X)."""
    m = mention_of(subj, res)
    if m is not None and fold_rsquo(subj.lemma_) in _PLACE_OF and res.mention_at_token(subj.i) is None:
        actor = res.actors.get(m.actor_id)
        if actor is not None and actor.kind == "person":
            return None  # "le pays de X" is X's country, not X
    if m is not None or subj.pos_ == "PRON":
        return m
    for t in sorted(np_tokens(subj, depth=4), key=lambda t: t.i):
        if t.dep_ == "nmod" and case_of(t) not in ("", "de"):
            continue  # a place or a time is not who acts
        m = res.mention_at_token(t.i)
        if m is not None:
            return m
    return None


def _participle_agrees(part: Token, noun: Token) -> bool:
    """Whether a past participle's ending agrees with a noun ("ordonnée" with
    "l'expulsion", not with "des agents"): the form says it better than the tagger."""
    w = part.lower_
    if w.endswith(("ées", "ies", "ues", "ises", "ites")):
        want = ("Fem", "Plur")
    elif w.endswith(("ée", "ie", "ue", "ise", "ite")):
        want = ("Fem", "Sing")
    elif w.endswith(("és", "is", "us", "its")):
        want = ("Masc", "Plur")
    elif w.endswith(("é", "i", "u", "it")):
        want = ("Masc", "Sing")
    else:
        return True
    for feat, value in zip(("Gender", "Number"), want):
        got = noun.morph.get(feat)
        if got and value not in got:
            return False
    return True


def _agrees(pron: Token, tok: Token) -> bool:
    """Whether a pronoun may stand for the phrase headed by ``tok`` (gender and number)."""
    for feat in ("Gender", "Number"):
        a, b = pron.morph.get(feat), tok.morph.get(feat)
        if a and b and a != b:
            return False
    return True


def _cleft(qui: Token, res: Resolution) -> tuple[list[Mention], Token | None]:
    """ "c'est X qui a trouvé…" when the parser cut the relative clause off: X is the
    mention that ends right before "qui", preceded by "c'est"/"c'était"."""
    doc = qui.doc
    m = res.mention_at_token(qui.i - 1) if qui.i > 0 else None
    if m is None:
        return [], None
    start = m.token_start
    while start > 0 and doc[start - 1].pos_ == "DET":
        start -= 1
    if start < 2 or doc[start - 1].lemma_ != "être" or fold_rsquo(doc[start - 2].text) not in ("c'", "ce"):
        return [], None
    return [m], doc[m.token_start]


def _antecedent(noun: Token, res: Resolution) -> tuple[list[Mention], Token | None]:
    m = mention_of(noun, res)
    if m is not None:
        return [m], noun
    # "les États-Unis sont le principal pays qui…": the copula's subject
    if any(c.dep_ == "cop" for c in noun.children):
        for c in noun.children:
            if c.dep_ == "nsubj":
                mc = mention_of(c, res)
                if mc is not None:
                    return [mc], c
    return [], None


def _agent_phrase(c: Token) -> bool:
    return c.dep_ == "obl:agent" or (c.dep_ in ("obl", "obl:mod") and case_of(c) == "par")


def participle_with_agent(pred: Token) -> bool:
    """ "une décision saluée par Kyiv": a past participle that modifies a noun and names
    its agent is a passive."""
    return (pred.dep_ in ("acl", "conj", "advcl") and "Part" in pred.morph.get("VerbForm")
            and "Past" in pred.morph.get("Tense") and any(_agent_phrase(c) for c in pred.children))


def adjectival(pred: Token) -> bool:
    """ "les soldats mobilisés", "les efforts déployés": a past participle that only
    describes a noun (no auxiliary, no agent) states no act of its own."""
    if pred.dep_ not in ("acl", "amod") or "Part" not in pred.morph.get("VerbForm"):
        return False
    if "Past" not in pred.morph.get("Tense"):
        return False
    return not any(_agent_phrase(c) or c.dep_.startswith("aux") for c in pred.children)


def _relative_agent(clause: Token) -> Token | None:
    """The agent a participle or a relative clause gives the noun it modifies: "(l'attaque)
    lancée par X", "(les sanctions) que X a imposées"."""
    if clause.pos_ != "VERB":
        return None
    if clause.dep_ == "acl":
        return next((g for g in clause.children if _agent_phrase(g)), None)
    if clause.dep_ == "acl:relcl" and any(g.dep_ == "obj" and g.lower_ in ("que", "qu'", "qu’")
                                          for g in clause.children):
        return next((g for g in clause.children if g.dep_ == "nsubj"), None)
    return None


def owner(noun: Token, res: Resolution, lex: lexmod.Lexicon | None = None) -> list[Mention]:
    """The actor(s) an act noun belongs to, named in its phrase: "la décision allemande",
    "la décision de Berlin", "l'accord donné par Berlin", "les sanctions que Bruxelles a
    imposées". With ``lex``, a clause that is itself an event ("saluée par X") names no
    owner."""
    m = mention_of(noun, res)
    if m is not None:
        return expand_conj(m, noun, res)
    for c in noun.children:
        if not linked(c, noun, res):
            continue
        if c.dep_ == "nmod" and case_of(c) in _AGENT_CASES:
            m = mention_of(c, res)
        elif c.dep_ in ("acl", "acl:relcl"):
            if lex is not None and match_verb(c, lex) is not None:
                continue
            agent = _relative_agent(c)
            m = mention_of(agent, res) if agent is not None else None
        elif c.dep_ == "nmod" and any(g.dep_ == "mark" and g.lower_ in ("que", "qu'", "qu’") for g in c.children):
            # "les sanctions que Bruxelles lui a imposées" parsed with the subject as a complement
            m = mention_of(c, res)
        else:
            continue
        if m is not None:
            return expand_conj(m, c, res)
    return []


def noun_agents(noun: Token, res: Resolution, lex: lexmod.Lexicon,
                entry: lexmod.Entry | None = None, depth: int = 0) -> tuple[list[Mention], Token | None]:
    """The actor(s) of a nominal predicate, and the token they were found on: "par X" or
    "de la part de X" (also one complement down: "l'invasion de l'Ukraine par la Russie"),
    the agent of a participle or relative clause ("les frappes menées par X", "les
    sanctions que X a imposées"), an adjective of nationality ("l'offensive russe"), "de
    X" when the entry does not take its recipient with "de" ("les frappes des
    États-Unis"); else the subject of the verb that carries the noun ("Washington annonce
    l'interdiction de…")."""
    kids = [c for c in noun.children if linked(c, noun, res)]
    if any(c.dep_ == "det" and fold_rsquo(c.lemma_) in ("aucun", "nul") for c in kids):
        return [], None  # "aucune attaque": no act at all
    for c in kids:
        if c.dep_ == "nmod" and case_of(c) in _AGENT_CASES:
            m = mention_of(c, res)
            if m is not None:
                return expand_conj(m, c, res), c
    for c in kids:
        if c.dep_ == "nmod" and c.i > noun.i:
            for g in c.children:
                if g.dep_ == "nmod" and g.i > c.i and case_of(g) in _AGENT_CASES:
                    m = mention_of(g, res)
                    if m is not None:
                        return expand_conj(m, g, res), g
                if g.dep_ == "acl" and _participle_agrees(g, noun) and not _participle_agrees(g, c):
                    # "l'expulsion de diplomates ordonnée par X": the participle agrees
                    # with the event noun, not with the complement it hangs on
                    agent = _relative_agent(g)
                    m = mention_of(agent, res) if agent is not None else None
                    if m is not None:
                        return expand_conj(m, agent, res), agent
    after = noun.right_edge.i + 1  # "l'invasion de l'Ukraine par X" with "par X" hung on the verb
    if after < len(noun.doc) and fold_rsquo(noun.doc[after].text) == "par" and noun.doc[after].dep_ == "case":
        agent = noun.doc[after].head
        m = mention_of(agent, res) if agent.i > after and linked(agent, noun, res) else None
        if m is not None:
            return expand_conj(m, agent, res), agent
    for c in kids:
        if c.dep_ in ("acl", "acl:relcl"):
            agent = _relative_agent(c)
            m = mention_of(agent, res) if agent is not None else None
            if m is not None:
                return expand_conj(m, agent, res), agent
    for c in kids:
        if c.dep_ == "amod":
            m = res.mention_at_token(c.i)
            if m is not None:
                if entry is not None and entry.type in _SYMMETRIC_NOUNS and res.companions(m):
                    # "des pourparlers russo-ukrainiens": the first state acts, the other
                    # receives (see recipients)
                    return [m], c
                return expand_conj(m, c, res), c
    if entry is None or "de" not in entry.roles:
        for c in kids:
            if c.dep_ == "nmod" and c.i > noun.i and case_of(c) == "de":
                m = mention_of(c, res)
                if m is not None:
                    return expand_conj(m, c, res), c
    head = noun.head
    if entry is not None and joins(noun, lex):
        # "X participe à la manifestation", "X est associé à ce rassemblement": who joins it
        if is_passive(head):
            for c in head.children:
                if c.dep_ == "nsubj:pass" and linked(c, head, res):
                    m = mention_of(c, res)
                    if m is not None:
                        return expand_conj(m, c, res), c
            return [], None
        return agents(head, res, lex)
    possessive = any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in kids)
    if (noun.dep_ in _CARRIER_DEPS or _second_subject(noun, res)) and has_head(noun, res) \
            and (head.pos_ in ("VERB", "AUX") or _verb_as_noun(head)):
        if possessive:
            # "reprocher à X son soutien à Y": the dative names the possessor
            for c in head.children:
                if c.dep_ == "iobj" or (c.dep_.startswith("obl") and case_of(c) == "a" and c.i < noun.i):
                    m = mention_of(c, res)
                    if m is not None and linked(c, noun, res):
                        return expand_conj(m, c, res), c
        # The verb that carries the noun lends its subject, unless it is itself an
        # event or speech predicate (then the noun is its topic: "accuser X d'espionnage")
        # or names an act its subject does not do ("craindre des frappes").
        if fold_rsquo(head.lemma_) in lex.context.get(_NOT_DONE, ()):
            return [], None
        if lex.verb_entries(head.lemma_) and match_verb(head, lex) is not None and not possessive:
            return [], None
        if lex.has("speech", head.lemma_) and not lex.has("plan", head.lemma_) and \
                fold_rsquo(head.lemma_) not in _SPEECH_DOING and not possessive:
            return [], None
        return agents(head, res, lex)
    if entry is not None and entry.type in _SYMMETRIC_NOUNS and noun.dep_ in ("obl:arg", "obl:mod", "obl", "nmod"):
        # "lors d'une rencontre avec Y", "à l'issue d'entretiens avec Y": the clause's subject
        # met Y (the noun hangs on the clause through at most one other noun)
        t = noun
        if has_head(t, res) and (t.head.pos_ == "ADV" or (t.head.pos_ == "NOUN" and t.dep_ == "nmod")):
            t = t.head  # "lors d'une rencontre", "à l'issue d'entretiens"
        with_whom = any(case_of(c) == "avec" for c in kids) or (t is not noun and any(
            case_of(c) == "avec" and c.i > noun.i for c in t.children))  # "avec X" hung on "issue"
        if with_whom and has_head(t, res) and t.head.pos_ in ("VERB", "AUX") \
                and t.dep_ in ("obl:arg", "obl:mod", "obl", "advmod"):
            return agents(t.head, res, lex)
    if depth < 2 and noun.dep_ == "nmod" and case_of(noun) == "de" and has_head(noun, res) \
            and noun.head.pos_ == "NOUN" and noun.head.i < noun.i \
            and fold_rsquo(noun.head.lemma_) in lex.context.get(_PROCESS, ()):
        # "X a confirmé l'imposition de droits de douane": the act of the one carrying it out
        return noun_agents(noun.head, res, lex, None, depth + 1)
    return [], None


# The data word list of verbs of joining a protest ("participer à", "se joindre à", "être
# associé à", "rejoindre"): their subject protests.
_JOIN = "eval_join"


def joins(noun: Token, lex: lexmod.Lexicon) -> bool:
    """Whether a protest noun is what a verb of joining has its subject join ("X participe à
    la manifestation", "X est associé à ce rassemblement", "X a rejoint le cortège")."""
    head = noun.head
    return head.i != noun.i and head.pos_ in ("VERB", "AUX") and noun.dep_ in ("obj", "obl", "obl:arg", "obl:mod") \
        and (fold_rsquo(head.lemma_) in lex.context.get(_JOIN, ()) or guess_key(head.lower_) in lex.context.get(_JOIN, ())) \
        and (noun.dep_ == "obj" or case_of(noun) == "a")


def _verb_as_noun(tok: Token) -> bool:
    """ "X a annoncé avoir procédé à un échange" with "procédé" tagged as a noun: a noun
    with a tense auxiliary of its own is a verb."""
    return tok.pos_ == "NOUN" and any(c.dep_ == "aux:tense" and c.i < tok.i for c in tok.children)


def _second_subject(noun: Token, res: Resolution) -> bool:
    """ "Les États-Unis ont durci les sanctions" parsed with "les sanctions" as a second
    subject: a subject after its verb, when the verb has another subject before it, is
    the verb's object."""
    head = noun.head
    return noun.dep_ == "nsubj" and has_head(noun, res) and head.i < noun.i and any(
        c.dep_ in NSUBJ and c.i < head.i and c.i != noun.i and linked(c, head, res) for c in head.children)


# Speech verbs whose direct object may be their subject's own act: "annoncer / confirmer
# des sanctions", "ajouter une surtaxe" (to add, not to say).
_SPEECH_DOING = ("annoncer", "confirmer", "ajouter")
# The data word list of verbs whose object is an act their subject does not do.
_NOT_DONE = "eval_not_done"
# The data word list of nouns of carrying an act out ("l'imposition de droits").
_PROCESS = "eval_process"
# Nominal acts done with someone: "lors d'une rencontre avec X" is the subject's.
_SYMMETRIC_NOUNS = ("CONSULT", "AGREE", "COOPERATE")


def _role_tokens(pred: Token, trigger: list[Token], role: str, passive: bool, res: Resolution) -> list[Token]:
    scope = [pred] + [t for t in trigger if t is not pred]
    out: list[Token] = []
    if role in ("obj", "iobj"):
        for t in scope:
            for c in t.children:
                is_role = c.dep_ == role or (role == "obj" and passive and c.dep_ == "nsubj:pass")
                if is_role and linked(c, pred, res) and not any(g.dep_ == "case" for g in c.children):
                    out.append(c)
        if role == "obj" and not out:
            # "accuser X de …" is sometimes parsed with X as an oblique argument
            out += [c for t in scope for c in t.children
                    if (c.dep_ == "obl:arg" or (c.dep_ == "xcomp" and c.pos_ == "PROPN")) and not case_of(c)
                    and linked(c, pred, res)]
        return out
    if role == "de":
        # "suspendre la diffusion de X, du même groupe que Y": the act noun's own complement
        # before one the parser hung on the verb
        scope = scope[1:] + scope[:1]
    for t in scope:
        for c in prep_dependents(t):  # "auprès de X": X hangs on "auprès"
            if c.dep_ in ("obl", "obl:arg", "obl:mod", "nmod", "iobj", "obj", "acl") and case_of(c) == role \
                    and linked(c, pred, res):
                out.append(c)
    if role == "avec" and not out and pred.pos_ == "NOUN" and pred.dep_ == "nmod" and pred.head.i < pred.i:
        # "à l'issue d'entretiens avec X" parsed with "avec X" on "issue"
        out += [c for c in pred.head.children if c.i > pred.i and c.dep_ == "nmod" and case_of(c) == "avec"
                and linked(c, pred, res)]
    if role == "a" and passive is False:
        # "interdire à X de …": dative clitic or iobj ("lui", "leur" even when parsed as objects)
        out += [c for t in scope for c in t.children if (c.dep_ == "iobj" or (
            c.dep_ == "obj" and c.pos_ == "PRON" and c.lower_ in _DATIVE_CLITICS)) and linked(c, pred, res)]
    return out


_DATIVE_CLITICS = ("lui", "leur")

# Reactions whose object may be a whole clause ("X a noué des liens avec Y, a déploré Z";
# "Z dénonce que X…"): its subject, else the first actor it names, receives.
_REPORTING_TYPES = ("ACCUSE", "SUPPORT", "REJECT")


def _incise(pred: Token, res: Resolution) -> bool:
    """Whether a verb is an incise after the clause it reports ("…, a déploré X")."""
    finite = "Fin" in pred.morph.get("VerbForm") or any(
        c.dep_.startswith("aux") and "Fin" in c.morph.get("VerbForm") for c in pred.children)
    return (finite and pred.dep_ in ("parataxis", "advcl", "conj") and has_head(pred, res)
            and pred.head.pos_ in ("VERB", "AUX") and pred.head.i < pred.i
            and not any(c.dep_ in ("mark", "cc") or c.dep_ in NSUBJ for c in pred.children)
            and any(t.text == "," for t in pred.doc[pred.head.i: pred.i]))


def _reported_recipient(pred: Token, actor_ids: set[str], res: Resolution) -> list[tuple[Mention, Token]]:
    clause = next((c for c in pred.children if c.dep_ == "ccomp" and linked(c, pred, res)), None)
    if clause is None and _incise(pred, res):
        clause = pred.head  # the incise: "…, a déploré X"
    if clause is None:
        return []
    inside = {t.i for t in pred.subtree} if clause.i < pred.i else set()
    subj = next((c for c in clause.children if c.dep_ in NSUBJ), None)
    if subj is not None:
        m = subject_mention(subj, res)
        if m is not None and m.actor_id not in actor_ids:
            return _other(expand_conj(m, subj, res), subj, actor_ids)
    for t in clause.subtree:
        if t.i in inside or not linked(t, pred, res):
            continue
        m = res.mention_at_token(t.i)
        if m is not None and m.actor_id not in actor_ids:
            return [(m, t)]
    return []


# Types whose support noun's owner may be the recipient ("rejeter les accusations de X").
_NOUN_OWNER_TYPES = ("REJECT", "REQUEST", "ACCUSE", "SUPPORT")
# Types whose recipient may be the country where the act takes place ("des frappes au
# Yémen", "l'offensive en Ukraine"), when no role names one (a protest's, the country
# whose embassy or parliament it stands before; a deployment's, the country it is massed
# near: "masser des troupes près de l'Ukraine", "près de la frontière russe").
_PLACE_CASES = {"ASSAULT": ("en", "a", "dans", "sur"), "RETREAT": ("en", "a", "dans", "sur"),
                "PROTEST": ("devant",), "MOBILIZE": ("pres de", "autour de", "sur")}
# Types whose recipient may be the state a named city lies in, when the city is the act's
# place ("des frappes sur Kharkiv", "l'offensive dans la région de Koursk", "se retirer
# de Kherson") or its object ("bombarder Gaza"), with the cases that name that place.
_CITY_CASES = {"ASSAULT": ("en", "a", "dans", "sur", "pres de", "vers", "autour de", "contre"),
               "RETREAT": ("en", "a", "dans", "sur", "de"),
               "COERCE": (),
               "MOBILIZE": ("sur", "pres de", "vers", "autour de", "contre")}


# A protest held at a body's seat or meeting aims at that body: "devant le Parlement
# européen", "devant le siège de X", "en marge d'un sommet des dirigeants de X", "aux abords
# de l'ambassade de X". The phrase may hang on the protest or on the verb that carries it
# ("des tracteurs sont attendus pour une manifestation, en marge d'un sommet de X").
_VENUE_CASES = ("devant", "face a")
_VENUE = "eval_venue"  # nouns of a seat, an institution or a meeting (event_context.txt)
_VENUE_EDGE = "eval_venue_edge"  # nouns of the edge of a place or meeting ("en marge de")


def _venue_actor(v: Token, res: Resolution, lex: lexmod.Lexicon, depth: int = 0) -> tuple[Mention, Token] | None:
    """The actor a place phrase names: an actor itself ("le Parlement européen"), or the
    owner of a seat or meeting noun ("le siège de X", "un sommet des dirigeants de X",
    "l'ambassade russe"), through at most two "de" complements."""
    m = res.mention_at_token(v.i)
    if m is not None:
        return m, v
    if depth > 2 or v.pos_ != "NOUN" or (depth == 0 and fold_rsquo(v.lemma_) not in lex.context.get(_VENUE, ())):
        return None
    for c in v.children:
        if c.dep_ in ("amod", "flat:name", "appos") or (c.dep_ == "nmod" and case_of(c) == "de" and c.i > v.i):
            if not linked(c, v, res):
                continue
            found = _venue_actor(c, res, lex, depth + 1) if c.dep_ == "nmod" else (
                (res.mention_at_token(c.i), c) if res.mention_at_token(c.i) is not None else None)
            if found is not None:
                return found
    return None


def _venue(pred: Token, actor_ids: set[str], res: Resolution, lex: lexmod.Lexicon) -> list[tuple[Mention, Token]]:
    """The body a protest stands before or at the edge of (see _VENUE_CASES), named in
    a place phrase of the protest or of the verbs above it in its clause; one's own
    government or firm may be the target."""
    anchors = [pred]
    t = pred
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i or not has_head(t, res):
            break
        t = t.head
        anchors.append(t)
    edges = lex.context.get(_VENUE_EDGE, ())
    for a in anchors:
        for c in prep_dependents(a):
            if c.dep_ not in ("obl", "obl:mod", "obl:arg", "nmod", "dep") or not linked(c, pred, res) \
                    or (c.head.i != a.i and c.head.head.i != a.i):
                continue
            if case_of(c) in _VENUE_CASES:
                places = [c]
            elif c.pos_ == "NOUN" and fold_rsquo(c.lemma_) in edges:
                places = [x for x in c.children if x.dep_ == "nmod" and case_of(x) == "de" and x.i > c.i]
            else:
                continue
            for v in places:
                found = _venue_actor(v, res, lex)
                if found is None:
                    continue
                m, tok = found
                actor = res.actors.get(m.actor_id) if m.actor_id else None
                if actor is None or actor.kind == "media" or m.actor_id in actor_ids:
                    continue
                return [(m, tok)]
    return []


def _city_state(tok: Token, res: Resolution) -> Mention | None:
    """The state (a country actor of the article) a city named by ``tok`` lies in, as a
    mention of that state on the name's words: a proper noun no actor mention covers,
    looked up with its name parts ("Khan Younès") in the GeoNames gazetteer
    (``veille.places.city_country``). After an article, only a city whose name has
    it ("Le Caire"): "dans le Golfe" names no town."""
    if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
        return None
    parts = sorted([tok.i, *[c.i for c in tok.children if c.dep_ in ("flat:name", "flat") and c.i > tok.i]])
    parts = [i for n, i in enumerate(parts) if i == parts[0] + n]  # the contiguous name
    doc = tok.doc
    if any(res.mention_at_token(i) is not None for i in parts):
        return None
    if len(parts) == 1 and tok.ent_type_ == "PER":
        return None  # a surname the gazetteer also knows as a town ("la maison de Parker")
    span = doc[parts[0]: parts[-1] + 1]
    det = [c for c in tok.children if c.dep_ == "det" and c.i == parts[0] - 1]
    name = f"{det[0].text} {span.text}" if det else span.text
    iso = city_country(name)
    actor = res.actors.get(iso) if iso else None
    if actor is None or actor.kind != "country":
        return None
    first = det[0] if det else span[0]
    return Mention(first.idx, span.end_char, iso, doc[first.i: span.end].text, first.i, span.end, via="place")


def place_states(tok: Token, res: Resolution, actor_ids: set[str]) -> list[tuple[Mention, Token]]:
    """The states of the cities a phrase names, and of those coordinated with them ("sur
    Kharkiv et Zaporijjia"), also one complement down ("la région de Koursk", "la ville
    de X", "les environs de X"); never the actor's own state or side."""
    out: list[tuple[Mention, Token]] = []
    heads = [tok, *[c for c in tok.children if c.dep_ == "conj" and linked(c, tok, res)]]
    for t in heads:
        names = [t]
        if t.pos_ == "NOUN":
            names = [c for c in t.children if c.dep_ == "nmod" and case_of(c) == "de" and linked(c, t, res)]
            names += [x for c in names for x in c.children if x.dep_ == "conj" and linked(x, c, res)]
        for n in names:
            m = _city_state(n, res)
            if m is None or m.actor_id in actor_ids or any(same_side(m.actor_id, a, res) for a in actor_ids):
                continue
            if m.actor_id not in {x.actor_id for x, _ in out}:
                out.append((m, n))
    return out


def _other(ms: list[Mention], tok: Token, actor_ids: set[str]) -> list[tuple[Mention, Token]]:
    return [(x, tok) for x in ms if x.actor_id not in actor_ids]


def recipients(match: Match, actors: list[Mention], res: Resolution,
               lex: lexmod.Lexicon | None = None) -> list[tuple[Mention, Token]]:
    """The recipient(s) of a matched predicate, each with the token it was found on: the
    subject of a passive; the noun a participle with an agent modifies, or that noun's
    owner ("une décision saluée par X"); the first actor among the entry's roles, or the
    owner of an act noun in a role ("condamner la décision allemande"); for an attack,
    the country where it happens; else an actor in the words that follow."""
    actor_ids = {a.actor_id for a in actors}
    pred = match.pred
    if pred.pos_ == "NOUN" and match.entry.type in _SYMMETRIC_NOUNS and len(actors) == 1:
        # "des pourparlers russo-ukrainiens": the other state of the adjective
        found = [(x, pred) for x in res.companions(actors[0]) if x.actor_id not in actor_ids]
        if found:
            return found
    passive = pred.pos_ == "VERB" and is_passive(pred)
    if passive:
        for c in pred.children:
            if c.dep_ == "nsubj:pass" and linked(c, pred, res):
                m = mention_of(c, res)
                if m is not None and m.actor_id not in actor_ids:
                    return _other(expand_conj(m, c, res), c, actor_ids)
    if pred.pos_ == "VERB" and participle_with_agent(pred) and pred.dep_ == "advcl":
        # "…la Biélorussie, accusée par l'Occident de…": the name set off right before it
        i = pred.left_edge.i - 1
        doc = pred.doc
        m = res.mention_at_token(i - 1) if i > 0 and doc[i].text == "," and linked(doc[i - 1], pred, res) else None
        return [(m, doc[i - 1])] if m is not None and m.actor_id not in actor_ids else []
    if pred.pos_ == "VERB" and participle_with_agent(pred):
        t = pred
        while t.dep_ == "conj" and t.head.pos_ == "VERB" and has_head(t, res):
            t = t.head  # "saluée par X mais condamnée par Y": the noun the first one modifies
        noun = t.head
        if not linked(noun, pred, res):
            return []
        return _other(owner(noun, res, lex), noun, actor_ids) or _other(_clause_owner(noun, res, lex), noun, actor_ids)
    scope = match.trigger
    if pred.pos_ == "NOUN":
        # "les attaques menées contre le Yémen": the participle's complements too
        scope = scope + [c for c in pred.children if c.dep_ == "acl" and "Part" in c.morph.get("VerbForm")]
    for role in match.entry.roles:
        if role == "entre":
            continue
        toks = _role_tokens(pred, scope, role, passive, res)
        for tok in toks:
            m = mention_of(tok, res)
            if m is not None and m.actor_id not in actor_ids:
                found = _other(expand_conj(m, tok, res), tok, actor_ids)
                if match.entry.type in _CITY_CASES and not match.reversed:
                    # and the cities coordinated with it ("frapper Gaza et Beyrouth")
                    ids = {x.actor_id for x, _ in found}
                    found += [x for x in place_states(tok, res, actor_ids) if x[0].actor_id not in ids]
                return found
            found = _other(_pair(tok, res), tok, actor_ids)
            if found:
                return found
            if m is None and match.entry.type in _CITY_CASES and not match.reversed:
                found = place_states(tok, res, actor_ids)  # "bombarder Kharkiv"
                if found:
                    return found
        for tok in toks:
            if tok.pos_ == "NOUN":
                found = _other(owner(tok, res, lex) or _pair(tok, res), tok, actor_ids)
                if found:
                    return found
                whose = _dont_antecedent(pred, res)
                if whose is not None and not any(c.dep_ == "nmod" for c in tok.children):
                    # "X, dont Y a salué le travail": X's work
                    found = _other([whose], tok, actor_ids)
                    if found:
                        return found
    if match.entry.kind == "light" and match.entry.type in _NOUN_OWNER_TYPES and not match.reversed:
        # "rejeter les accusations de X", "exiger le retrait des troupes de X": the support
        # noun's owner
        for noun in match.trigger[1:]:
            if noun.pos_ == "NOUN":
                found = _other(owner(noun, res, lex), noun, actor_ids)
                if found:
                    return found
    if match.entry.type in _REPORTING_TYPES and pred.pos_ == "VERB" and not match.reversed:
        found = _reported_recipient(pred, actor_ids, res)
        if found:
            return found
    if match.reversed:  # the roles name the actor: no guess from places or clauses
        for noun in match.trigger:
            if noun.pos_ == "NOUN" and noun is not pred:
                # "X a subi / repoussé l'offensive russe": the carried act's owner
                found = _other(owner(noun, res, lex), noun, actor_ids)
                if found:
                    return found
        m = _linear_recipient(match, actor_ids, res)
        return [(m, pred)] if m is not None else []
    if match.entry.type in _PLACE_CASES:
        # also one complement down: "le retrait de son ambassadeur en France"
        places = [*scope, *[c for t in scope for c in t.children if c.dep_ in ("nmod", "obj", "obl:arg")
                            and case_of(c) in ("", "de") and c.pos_ == "NOUN"]]
        for t in places:
            for c in prep_dependents(t):
                if c.dep_ in ("obl", "obl:mod", "obl:arg", "nmod", "dep") and case_of(c) in _PLACE_CASES[match.entry.type] \
                        and linked(c, pred, res):
                    m = mention_of(c, res)
                    actor = res.actors.get(m.actor_id) if m is not None else None
                    if m is not None and actor is not None and actor.kind == "country" \
                            and m.actor_id not in actor_ids:
                        # and the cities coordinated with it ("à Gaza et à Beyrouth")
                        more = [x for x in place_states(c, res, actor_ids) if x[0].actor_id != m.actor_id] \
                            if match.entry.type in _CITY_CASES else []
                        return [(m, c), *more]
    if match.entry.type == "PROTEST" and lex is not None:
        found = _venue(pred, actor_ids, res, lex)  # "une manifestation devant le siège de X"
        if found:
            return found
    if match.entry.type in _CITY_CASES:
        # "des frappes sur Kharkiv", "l'offensive dans la région de Koursk": the city's state
        places = [*scope, *[c for t in scope for c in t.children if c.dep_ in ("nmod", "obj", "obl:arg")
                            and case_of(c) in ("", "de") and c.pos_ == "NOUN"]]
        if pred.pos_ == "NOUN" and pred.dep_ in ("obj", "obl:arg") and has_head(pred, res):
            # the parser hangs the place on the word that carries the noun, after it ("X a
            # lancé une offensive dans la région de Y", "lors de l'offensive dans Y")
            places.append(pred.head)
        for t in places:
            for c in prep_dependents(t):
                if c.dep_ in ("obl", "obl:mod", "obl:arg", "nmod", "dep") and case_of(c) in _CITY_CASES[match.entry.type] \
                        and linked(c, pred, res) and mention_of(c, res) is None and (t.i != pred.head.i or c.i > pred.i):
                    found = place_states(c, res, actor_ids)
                    if found:
                        return found
    m = _linear_recipient(match, actor_ids, res)
    if m is not None:
        return [(m, pred)]
    if match.entry.type in _COMPLEMENT_TYPES and pred.pos_ == "VERB":
        return _complement_recipient(pred, match.entry.type, actor_ids, res)
    return []


# Acts whose recipient may be named only in the clause they govern: "menacer de couper le
# gaz vers l'Europe", "demander à adhérer à l'OTAN", "accepter de transmettre le dossier
# de X", "avertir que … contre X".
_COMPLEMENT_TYPES = ("REQUEST", "THREATEN", "REJECT", "AGREE", "CONCEDE", "SUPPORT", "AID")


def _complement_recipient(pred: Token, etype: str, actor_ids: set[str],
                          res: Resolution) -> list[tuple[Mention, Token]]:
    """The first actor named in the infinitive clause a verb governs (for a threat, also in
    its "que" clause), other than the actor and a subject before the clause's verb."""
    for c in pred.children:
        if not linked(c, pred, res):
            continue
        if complement(c) and (c.dep_ != "ccomp" or etype == "THREATEN"):
            for t in c.subtree:
                if t.i < c.i and t.dep_ in NSUBJ:
                    continue
                m = res.mention_at_token(t.i)
                if m is not None and m.actor_id not in actor_ids and linked(t, pred, res):
                    return [(m, t)]
    return []


def _clause_owner(noun: Token, res: Resolution, lex: lexmod.Lexicon | None) -> list[Mention]:
    """ "Berlin a livré des chars, une décision saluée par X": a noun phrase set off by a
    comma after a clause names that clause's act; the clause's actor owns it (the main
    clause's, when an indefinite phrase closing the sentence was joined to its last noun)."""
    if lex is None or noun.dep_ not in ("appos", "obj", "obl:mod", "dislocated", "parataxis", "conj"):
        return []
    start = noun.left_edge.i
    comma = noun.doc[start].text == "," or (start > 0 and noun.doc[start - 1].text == ",")
    if not comma or not has_head(noun, res):
        return []
    head = noun.head
    if noun.dep_ == "conj":
        # the parser joined the phrase to the clause's last noun: read it as set off after
        # the whole sentence when it closes it ("…, une décision saluée par X.")
        end = noun.right_edge.i + 1
        doc = noun.doc
        closes = end >= len(doc) or doc[end].text in (".", "!", "\n") or doc[end].is_space
        indefinite = any(c.dep_ == "det" and "Ind" in c.morph.get("Definite") for c in noun.children)
        if not closes or not indefinite or not linked(noun.sent.root, noun, res):
            return []
        head = noun.sent.root
    if head.pos_ == "NOUN" and noun.dep_ == "appos" and has_head(head, res):
        head = head.head
    if head.pos_ not in ("VERB", "AUX") or head.i > noun.i:
        return []
    return agents(head, res, lex)[0]


_STOP_WORDS = {"qui", "que", "qu'", "qu’", "dont", "où", "lequel", "laquelle"}


def _window(after: Token, limit: int = 15) -> list[Token]:
    """Tokens following ``after`` up to a clause boundary (a fall-back when the parse is broken)."""
    doc, out = after.doc, []
    for t in doc[after.i + 1: min(len(doc), after.i + 1 + limit)]:
        if t.text in (",", ";", ":", ".", "(", ")", "«", "»", "\"", "!", "?") or t.is_space:
            break
        if t.pos_ == "SCONJ" or t.lower_ in _STOP_WORDS:
            break
        if t.pos_ in ("VERB", "AUX") and set(t.morph.get("VerbForm")) & {"Fin", "Inf"}:
            break
        out.append(t)
    return out


_WORD_PREP = {"du": "de", "des": "de", "d'": "de", "aux": "a", "au": "a"}


def _linear_recipient(match: Match, actor_ids: set[str], res: Resolution) -> Mention | None:
    last = max(match.trigger, key=lambda t: t.i)
    win = _window(last)
    for role in match.entry.roles:
        if role in ("obj", "iobj"):
            start = 0
        else:
            words = role.split()
            start = None
            for k in range(len(win)):
                if [_WORD_PREP.get(fold_rsquo(w.text), fold_rsquo(w.text))
                        for w in win[k:k + len(words)]] == words:
                    start = k + len(words)
                    break
            if start is None:
                continue
        for t in win[start:]:
            m = res.mention_at_token(t.i)
            if m is not None and m.actor_id not in actor_ids:
                return m
    return None


def between(match: Match, res: Resolution) -> list[Mention]:
    """The parties named by "entre" ("des négociations entre X, Y et Z", "des consultations
    ont eu lieu entre X et Y"), two or more: the "entre" phrase of the predicate or of the
    verb it is the subject of, read from the text (the parser often breaks the list)."""
    pred = match.pred
    heads = [pred, *(t for t in match.trigger if t is not pred)]  # "exercices conjoints entre X et Y"
    if pred.dep_ in NSUBJ and has_head(pred, res):
        heads.append(pred.head)
    for h in heads:
        for c in h.children:
            if case_of(c) == "entre" and linked(c, pred, res):
                ms = _listed_from(c.left_edge, res)
                if len(ms) >= 2:
                    return ms
    return []


_LIST_WORDS = {",", "et", "ainsi", "que", "le", "la", "les", "l'", "l’", "de", "du", "des", "d'", "d’"}


def _listed_from(start: Token, res: Resolution) -> list[Mention]:
    """The actors listed from ``start`` on ("entre la France, l'Allemagne et la Russie"):
    mentions separated by commas, "et" and articles, up to anything else."""
    out: list[Mention] = []
    doc = start.doc
    i = start.i + 1 if fold_rsquo(start.text) == "entre" else start.i
    while i < len(doc):
        m = res.mention_at_token(i)
        if m is not None:
            if m.actor_id not in {x.actor_id for x in out}:
                out.append(m)
            i = max(i + 1, m.token_end)
            continue
        if fold_rsquo(doc[i].text) not in _LIST_WORDS:
            break
        i += 1
    return out


def paragraph(tok: Token, res: Resolution) -> int:
    """The paragraph number of ``tok`` in its Doc."""
    return _paragraphs(tok, res)[tok.i]


_DEMONSTRATIVES = ("cela", "ceci", "ça")


def act_object(match: Match, res: Resolution, lex: lexmod.Lexicon,
               judged: Callable[[Token], bool] | None = None) -> tuple[Token, str | None] | None:
    """The object of a verb that reacts to an act, when it names an act told before without
    its actor ("condamner le tir", "l'ont condamné", "rejeter ces accusations": a pronoun
    or a definite noun), and the event type the noun denotes, if it is an event noun."""
    pred = match.pred
    if pred.pos_ != "VERB":
        return None
    passive = is_passive(pred)
    for role in match.entry.roles:
        for tok in _role_tokens(pred, match.trigger, role, passive, res):
            if tok.pos_ == "PRON" and (tok.lower_ in ("le", "la", "l'", "l’", "les") or
                                       fold_rsquo(tok.text) in _DEMONSTRATIVES):
                return tok, None
            definite = any(c.dep_ == "det" and "Ind" not in c.morph.get("Definite") for c in tok.children)
            if not definite and judged is not None and tok.pos_ == "NOUN" and judged(tok):
                definite = True  # "condamner un acte odieux": a judgement of the act told before
            if tok.pos_ == "NOUN" and definite and res.mention_at_token(tok.i) is None and not owner(tok, res, lex):
                entry = next(iter(lex.noun_entries(tok.lemma_)), None)
                return tok, entry.type if entry is not None else None
    if any(c.dep_ in ("obj", "ccomp") for c in pred.children):
        return None
    # "Condamnant « avec force » le nouveau tir, X…" parsed with no object: a definite event
    # noun in the words right after the verb, before a comma or another verb
    for tok in pred.doc[pred.i + 1: pred.i + 8]:
        if tok.text in (",", ".", ";", ":") or tok.pos_ in ("VERB", "AUX") or "\n" in tok.text:
            break
        if tok.pos_ != "NOUN" or res.mention_at_token(tok.i) is not None or owner(tok, res, lex):
            continue
        entry = next(iter(lex.noun_entries(tok.lemma_)), None)
        if entry is not None and any(c.dep_ == "det" and "Def" in c.morph.get("Definite") for c in tok.children):
            return tok, entry.type
    return None


def reciprocal(pred: Token) -> bool:
    """ "X et Y s'accusent mutuellement", "… s'échangeaient des insultes": a reflexive verb
    whose coordinated subjects act on each other."""
    return pred.pos_ == "VERB" and any(c.lower_ in ("se", "s'", "s’") and c.i < pred.i for c in pred.children)


FIRST_PERSON = ("je", "j'", "j’", "nous")


def speaker_of(pron: Token, quotes: list[Quote], res: Resolution) -> Mention | None:
    """ "« Nous condamnons… », a déclaré X": the speaker of the direct quote a first-person
    subject stands in."""
    if pron.lower_ not in FIRST_PERSON:
        return None
    for q in quotes:
        if q.direct and q.span[0] <= pron.idx < q.span[1]:
            speaker = q.speaker or _named(q.speaker_name, res)
            if speaker:
                return Mention(pron.idx, pron.idx + len(pron.text), speaker, pron.text, pron.i, pron.i + 1,
                               via="pronoun")
    return None


def _named(name: str | None, res: Resolution) -> str | None:
    """The one person among the article's actors whose surname ends a speaker's name that
    was left unresolved ("M.Dupont", no space after the full stop)."""
    words = re.findall(r"[^\W\d_][\w'’-]+", name or "")
    last = fold_rsquo(words[-1]) if words and words[-1][:1].isupper() and len(words[-1]) > 3 else ""
    if not last:
        return None
    found = {a.id for a in res.actors.values()
             if a.kind == "person" and fold_rsquo(a.name).split()[-1:] == [last]}
    return found.pop() if len(found) == 1 else None


__all__ = ["FIRST_PERSON", "act_object", "adjectival", "agents", "between", "co_actors", "complement", "expand_conj", "has_head", "joins", "linked", "noun_agents", "owner", "paragraph",
           "participle_with_agent", "recipients", "reciprocal", "speaker_of"]


def _clause_head(pred: Token) -> Token:
    """The verb of the clause a predicate belongs to: the predicate itself, the verb whose
    infinitive it is, or the verb that carries an act noun."""
    h = pred
    for _ in range(8):
        if h.head.i == h.i or h.dep_ in ("ROOT", "advcl", "ccomp", "acl:relcl", "parataxis", "csubj"):
            break
        if h.pos_ in ("VERB", "AUX") and h.dep_ != "xcomp":
            break
        h = h.head
    return h


def _within(t: Token, head: Token) -> bool:
    for _ in range(40):
        if t.i == head.i:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def same_side(a: str, b: str, res: Resolution) -> bool:
    """Whether two actors are one side: one is the other's country, or both belong to one."""
    x, y = res.actors.get(a), res.actors.get(b)
    cx = x.country if x is not None else None
    cy = y.country if y is not None else None
    return cx == b or cy == a or (cx is not None and cx == cy)


_OWN_CLAUSE_DEPS = ("nsubj", "nsubj:pass", "obl:agent")


_BACKING = "eval_backing"


def _backed(tok: Token, head: Token, lex: lexmod.Lexicon) -> bool:
    """Whether ``tok`` comes, in the clause of ``head``, after a noun of backing ("de
    soutien aux militaires de X", "en hommage à X, tué par Y"): the act backs whom it
    names, it does not aim at them (the parser hangs what follows anywhere)."""
    words = lex.context.get(_BACKING, ())
    return any(t.i < tok.i and t.pos_ == "NOUN" and fold_rsquo(t.lemma_) in words
               for t in head.subtree)


def clause_target(match: Match, actors: list[Mention], speaker: str | None,
                  res: Resolution, lex: lexmod.Lexicon | None = None) -> list[tuple[Mention, Token]]:
    """The recipient a targeted act leaves implicit when no role names one: the first
    other actor named in the act's own clause ("X a mené une attaque massive visant des
    sites en Y", "X a tiré des missiles sur les régions de Y"), with those coordinated
    with it. Never the actor's own side, the speaker the clause is attributed to, or a
    news medium."""
    pred = match.pred
    head = _clause_head(pred) if pred.pos_ != "NOUN" else pred
    if pred.pos_ == "NOUN" and lex is not None and pred.dep_ == "nmod" and case_of(pred) == "de" \
            and pred.head.pos_ == "NOUN" and fold_rsquo(pred.head.lemma_) in lex.context.get(_PROCESS, ()):
        head = pred.head  # "l'imposition de droits sur les voitures de Y"
    ids = {a.actor_id for a in actors if a.actor_id}
    doc = pred.doc
    sent = pred.sent
    for m in res.mentions_in(doc[sent.start].idx, sent.end_char):
        if not m.actor_id or m.actor_id in ids or m.actor_id == speaker:
            continue
        tok = doc[m.token_start]
        if not linked(tok, pred, res) or not _within(tok, head):
            continue
        root = next((t for t in doc[m.token_start:m.token_end] if not m.token_start <= t.head.i < m.token_end), tok)
        if root.dep_ in _OWN_CLAUSE_DEPS and root.head.i != pred.i:
            continue  # the subject or agent of another verb acts in its own clause
        if lex is not None and _backed(root, head, lex):
            continue  # "rassemblés lors d'un événement de soutien aux militaires de X"
        actor = res.actors.get(m.actor_id)
        if actor is not None and actor.kind == "media":
            continue
        if any(same_side(m.actor_id, a, res) for a in ids):
            continue
        found = [x for x in expand_conj(m, tok, res) if x.actor_id not in ids and x.actor_id != speaker]
        return [(x, tok) for x in found]
    return []
