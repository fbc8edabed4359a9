"""Conservative coreference inside one article: surnames, titles, definite descriptions
and subject pronouns. A link is made only when the antecedent is clear; no link is
better than a wrong one.

- "M. Guo", "Guo" -> the person of the article whose name has that first or last word;
- "le porte-parole", "le secrétaire d'État" -> the last person whose role says so;
- "la firme", "le constructeur chinois", "l'entreprise" -> the last company named
  (of that country when a nationality adjective is given);
- "le pays voisin" -> the one other country named in this or the previous sentence;
- "le pays" -> the last country named, in the same or the previous two sentences (not a
  capital named as a place, "réunis à Abuja"); as the subject opening its sentence, else
  the previous sentence's subject if a country;
- "son pays", "son gouvernement", "ses dirigeants", "leur armée" (a possessive before a
  state noun with no complement) -> the state of the possessor: the subject of the
  clauses above it, or of the previous sentence when it opens its own, when that is a
  country or a person of a known country and no actor of another state stands between;
  "son chef de la diplomatie, X" gives X that state;
- "l'organisation régionale", "le bloc" -> the one intergovernmental organisation named;
- "la junte", "le ministère", "l'armée", "ce gouvernement", "les autorités" -> the state
  the article has named with that noun or sector; "l'Alliance", "la Commission" -> the organisation of the article whose
  name starts so;
- "il", "elle", "ils", "elles" as subjects -> the subject of the governing clause (also
  "X a annoncé lundi qu'il…" parsed with the clause on the date), or of the previous
  sentence: its main subject when not quoted, else the speaker of its quote ("« … », a
  déclaré X"), else the subject of a clause joined to the main one; a title with no name
  stands for its state ("le porte-parole du ministère chinois" -> China). Only when the
  actor agrees in gender and number and no other candidate competes;
- object clitics "le", "la", "l'", "les", "lui", "leur" ("Paris lui a demandé…") -> the
  last actor before them that agrees in gender and number (a state or a group only when
  its words say so), that is neither the subject of the clitic's clause nor a place ("à
  Berlin", "en Chine"): in its sentence or the previous ones of its paragraph, else in the
  last sentence of the paragraph before. The event coder may still read "l'ont condamné"
  as an act told before.
"""
from __future__ import annotations

from spacy.tokens import Token

from ..text import fold, name_key
from .facts import DocFacts
from .mentions import MentionBuilder
from .resolution import Mention
from .syntax import NSUBJ, SUBJECT_PRONOUNS

_DEFINITE = {"le", "la", "l'", "l’", "les", "ce", "cet", "cette", "ces"}


def _roles(b: MentionBuilder) -> dict[str, set[str]]:
    """Role words of each person, from the dictionary and from the text around their names
    ("le porte-parole X", "X, secrétaire d'État")."""
    lex = b.lex
    roles: dict[str, set[str]] = {}
    for aid, a in b.res.actors.items():
        if a.kind == "person" and a.role:
            roles.setdefault(aid, set()).update(_role_words(a.role, lex.roles))
    for m in b.res.mentions:
        a = b.res.actors.get(m.actor_id)
        if a is None or a.kind != "person":
            continue
        found, title = _role_near(b.f, m, lex.roles)
        if found:
            roles.setdefault(m.actor_id, set()).update(found)
            if a.role is None:
                a.role = _role_surface(b, title, max(found, key=len))
            if a.country is None and title is not None:
                a.country = _demonym_before(b, m) or _title_country(b, title) or _title_possessor(b, title)
    return roles


def _demonym_before(b: MentionBuilder, m: Mention) -> str | None:
    """The country of a nationality adjective right before a person's name: in "les
    présidents français X et algérien Y", Y's title is shared but "algérien" is his."""
    i = m.token_start - 1
    if i > 0 and b.f.words[i] in b.lex.honorifics:
        i -= 1
    if i < 0 or not b.f.words[i][:1].islower():
        return None
    d = b.lex.demonyms.get(b.f.ftext[i])
    return d.country if d is not None and d.country in b.lex.entries else None


def _role_surface(b: MentionBuilder, title: Token | None, role: str) -> str:
    """The role as written ("président", not the folded "president")."""
    if title is None:
        return role
    lo = max(0, title.idx - 24)
    window = b.text[lo: title.idx + len(role) + 24]
    at = fold(window).find(role)
    return window[at: at + len(role)] if at >= 0 and len(fold(window)) == len(window) else role


def _title_country(b: MentionBuilder, title: Token) -> str | None:
    """The country a title names: "le ministre allemand", "le porte-parole de la diplomatie
    chinoise", "le président des États-Unis"."""
    for c in title.children:
        if c.dep_ == "amod":
            d = b.lex.demonyms.get(fold(c.text))
            if d is not None:
                return d.country
    for c in title.children:
        if c.dep_ == "nmod" and c.i > title.i:
            for t in c.subtree:
                m = b.res.mention_at_token(t.i)
                if m is not None and m.via == "country":
                    return m.actor_id
                d = b.lex.demonyms.get(fold(t.text)) if t.pos_ == "ADJ" else None
                if d is not None:
                    return d.country
    return None


def _title_possessor(b: MentionBuilder, title: Token) -> str | None:
    """The state of the possessor of a title ("son chef de la diplomatie, X": the state of
    the subject before it, see :func:`_possessor_country`)."""
    for c in title.children:
        if c.dep_ in ("det", "nmod:poss") and c.i < title.i:
            number = _POSSESSIVES.get(b.f.lower[c.i])
            return _possessor_country(b, title, number) if number == "Sing" else None
    return None


def _role_words(text: str, vocab: set[str]) -> list[str]:
    f = fold(text)
    return [r for r in vocab if (" " + r + " ") in (" " + f + " ")]


def _role_near(f: DocFacts, m: Mention, vocab: set[str]) -> tuple[list[str], Token | None]:
    """Titles in the noun phrase around a person's name, and the title's token."""
    doc = f.doc
    head = doc[m.token_start]
    out: list[str] = []
    title: Token | None = None
    # Left: "le porte-parole (du ministère…), Guo Jiakun" — the name is an apposition or
    # flat name of the title, or the title stands right before it.
    cand = head.head if head.dep_ in ("appos", "flat:name", "nmod", "flat") else None
    if cand is not None and cand.i < head.i and cand.pos_ == "NOUN":
        out += _title_at(f, cand, vocab)
        title = cand if out else None
    if not out and m.token_start > 0:
        prev = doc[m.token_start - 1]
        if prev.pos_ == "NOUN" or prev.pos_ == "ADJ":
            t = prev if prev.pos_ == "NOUN" else prev.head
            out += _title_at(f, t, vocab)
            title = t if out else None
    if not out:
        # "le ministre de l'Intérieur et des Outre-mer X": a title and its complement right
        # before the name, which the parser left apart
        t = _title_before(f, m, vocab)
        if t is not None:
            out += _title_at(f, t, vocab)
            title = t
    # Right: "Guo Jiakun, porte-parole de la diplomatie chinoise" (hung on any word of
    # the name: the parser may make the surname the head).
    for c in (c for t in doc[m.token_start:m.token_end] for c in t.children):
        if c.dep_ == "appos" and c.i >= m.token_end and c.pos_ == "NOUN":
            found = _title_at(f, c, vocab)
            if found:
                out += found
                title = title or c
    if not out and m.token_end + 1 < len(doc) and doc[m.token_end].text == "," \
            and doc[m.token_end + 1].pos_ == "NOUN":
        # the same, where the parser hung the title elsewhere: right after the comma
        c = doc[m.token_end + 1]
        found = _title_at(f, c, vocab)
        if found and not any(g.dep_ == "det" for g in c.children):
            out += found
            title = title or c
    return out, title


_TITLE_GAP = 8  # words between a title and the name it introduces, at most
_TITLE_WORDS = ("ADP", "DET", "NOUN", "PROPN", "ADJ", "CCONJ")


def _title_before(f: DocFacts, m: Mention, vocab: set[str]) -> Token | None:
    """A definite title that opens the phrase ending right before a person's name, its
    complement in between ("le ministre de l'Intérieur et des Outre-mer X"), the name
    inside the title's phrase or beside it: the title's token, or None."""
    doc = f.doc
    name = doc[m.token_start]
    if name.pos_ != "PROPN":
        return None
    for i in range(m.token_start - 1, max(-1, m.token_start - 1 - _TITLE_GAP), -1):
        t = doc[i]
        if t.pos_ not in _TITLE_WORDS or t.is_sent_start and t.pos_ != "DET":
            return None
        if t.pos_ == "NOUN" and _title_at(f, t, vocab) and i > 0 and doc[i - 1].pos_ == "DET" \
                and fold(doc[i - 1].text) in ("le", "la", "l'", "l’"):
            # the name hangs in the title's phrase, or beside it on the same word
            inside = t.left_edge.i <= name.i <= t.right_edge.i
            if inside or (t.dep_ == name.dep_ and t.head.i == name.head.i):
                return t
            return None
    return None


_MULTI: list = [None, None, None]  # [vocab, its copy, {first three letters: titles}]


def _multiword(vocab: set[str]) -> dict[str, list[str]] | None:
    """The titles of ``vocab`` with a space, by their first three letters, in the order
    of ``vocab`` (None when one is shorter than three letters)."""
    if _MULTI[0] is not vocab or _MULTI[1] != vocab:
        index: dict[str, list[str]] | None = {}
        for r in vocab:
            if " " in r:
                if len(r) < 3:
                    index = None
                    break
                index.setdefault(r[:3], []).append(r)
        _MULTI[:] = [vocab, set(vocab), index]
    return _MULTI[2]


def _title_at(f: DocFacts, tok: Token, vocab: set[str]) -> list[str]:
    """The titles of ``vocab`` that ``tok`` is, or starts or ends ("secrétaire d'État")."""
    i = tok.i
    lemma = f.flemma[i]
    text = f.ftext[i]
    prv = f.ftext[i - 1] if i > 0 else ""
    out = []
    # Two-word titles: "secrétaire d'État", "Premier ministre", "directeur général".
    multi = _multiword(vocab)
    if multi is None:
        nxt = f.span_text(i + 1, i + 3) if i + 1 < f.n else ""
        for cand in (f"{text} {fold(nxt)}".replace("' ", "'"), f"{prv} {text}"):
            for r in vocab:
                if " " in r and cand.startswith(r):
                    out.append(r)
    else:
        # A title that starts a candidate shares its first three letters. The one with the
        # next words starts with this word's letters when the word has three and no
        # apostrophe (all the replace below can change): read the next words only if needed.
        if len(text) < 3 or "'" in text or text[:3] in multi:
            nxt = f.span_text(i + 1, i + 3) if i + 1 < f.n else ""
            cand = f"{text} {fold(nxt)}".replace("' ", "'")
            out.extend(r for r in multi.get(cand[:3], ()) if cand.startswith(r))
        cand = f"{prv} {text}"
        out.extend(r for r in multi.get(cand[:3], ()) if cand.startswith(r))
    if text in vocab:
        out.append(text)
    elif lemma in vocab:
        out.append(lemma)
    return out


def _surnames(b: MentionBuilder) -> None:
    """ "Guo", "M. Guo" -> the person of the article with that name word."""
    doc, lex = b.doc, b.lex
    people = [a for a in b.res.actors.values() if a.kind == "person"]
    if not people:
        return
    names: dict[str, set[str]] = {}
    for a in people:
        parts = [p for p in _key_words(a.name)]
        if len(parts) < 2:
            continue
        for p in (parts[0], parts[-1]):
            names.setdefault(p, set()).add(a.id)
    words, toks = b.f.words, b.f.toks
    for i in range(len(doc)):
        if b.taken[i] or not words[i][:1].isupper():
            continue
        key = _key_words(words[i])
        if len(key) != 1:
            continue
        ids = names.get(key[0])
        if not ids or len(ids) != 1:
            continue
        tok = toks[i]
        prev = doc[tok.i - 1] if tok.i > 0 else None
        honor = prev is not None and prev.text in lex.honorifics
        if tok.is_sent_start and not honor and tok.pos_ != "PROPN":
            continue
        if tok.pos_ not in ("PROPN", "X", "NOUN") and not honor:
            continue
        aid = next(iter(ids))
        start = tok.i - 1 if honor else tok.i
        b.add(start, tok.i + 1, aid, "coref")


def _key_words(name: str) -> list[str]:
    return [w for w in name.replace("’", "'").split() if w[:1].isupper()]


def _descriptions(b: MentionBuilder, roles: dict[str, set[str]]) -> None:
    doc, lex = b.doc, b.lex
    pos, flemma, toks = b.f.pos, b.f.flemma, b.f.toks
    for i in range(len(doc)):
        if b.taken[i] or pos[i] != "NOUN":
            continue
        tok = toks[i]
        # Only titles, company heads and country words make descriptions: read those first.
        titles = _title_at(b.f, tok, lex.roles)
        if not titles and flemma[i] not in lex.company_heads and flemma[i] not in lex.country_refs \
                and flemma[i] not in _ref_heads(lex.organisation_refs):
            continue
        dets = [c for c in tok.children if c.dep_ == "det" and c.i < tok.i]
        if not dets:  # "du constructeur", "au groupe": the article is fused with the preposition
            dets = [c for c in tok.children if c.dep_ == "case" and c.i == tok.i - 1
                    and fold(c.text) in ("du", "au")]
        if not dets or fold(dets[0].text) not in _DEFINITE | {"du", "au"}:
            continue
        if any(c.dep_ in ("appos", "flat:name", "nummod") for c in tok.children):
            continue  # "le porte-parole Guo": the name is there
        if any(b.taken[c.i] for c in tok.children if c.dep_ in ("flat", "compound")):
            continue
        lemma = fold(tok.lemma_)
        plural = "Plur" in tok.morph.get("Number")
        demonym = None
        for c in tok.children:
            if c.dep_ == "amod":
                d = lex.demonyms.get(fold(c.text))
                if d is not None:
                    demonym = d.country
        nmods = [c for c in tok.children if c.dep_ == "nmod" and c.i > tok.i]
        start = dets[0].i
        end = tok.i + 1
        for c in tok.children:
            if c.dep_ == "amod" and c.i > tok.i:
                end = max(end, c.i + 1)
        if titles and not plural:
            title = max(titles, key=len)
            if " " in title and _rest_starts_with(b.f, tok.i, title):
                stop = tok.idx + len(title)
                while end < len(doc) and doc[end].idx < stop:
                    end += 1
            country = demonym or _nmod_country(b, nmods)

            def is_holder(m: Mention, title=title, country=country) -> bool:
                a = b.res.actors.get(m.actor_id)
                if a is None or a.kind != "person" or title not in roles.get(m.actor_id, ()):
                    return False
                return country is None or a.country in (None, country)
            m = _unambiguous(b, tok, is_holder)
            if m is not None and b.free(start, end):
                b.add(start, end, m.actor_id, "coref")
                holder = b.res.actors.get(m.actor_id)
                if holder is not None and holder.country is None and country is not None:
                    holder.country = country  # "le président biélorusse" names his country
            continue
        if plural:
            continue
        if lemma in _ref_heads(lex.organisation_refs):
            adjectives = [fold(c.text) for c in tok.children if c.dep_ == "amod" and c.i > tok.i]
            if nmods or demonym or " ".join([lemma, *adjectives]) not in lex.organisation_refs:
                continue  # "l'organisation terroriste", "l'alliance des pays du Sahel"

            def is_igo(m: Mention) -> bool:
                return _kind(b, m) == "igo"
            m = _unambiguous(b, tok, is_igo)
            if m is not None and b.free(start, end):
                b.add(start, end, m.actor_id, "coref")
            continue
        if lemma in lex.company_heads:
            if nmods or any(c.dep_ == "amod" and fold(c.text) not in lex.demonyms for c in tok.children):
                continue  # "le géant du logiciel", "le groupe industriel": says more than we check

            def is_company(m: Mention, country=demonym) -> bool:
                a = b.res.actors.get(m.actor_id)
                return a is not None and a.kind == "company" and (country is None or a.country == country)
            m = _unambiguous(b, tok, is_company)
            if m is not None and b.free(start, end):
                b.add(start, end, m.actor_id, "coref")
            continue
        if lemma in lex.country_refs:
            amods = [fold(c.text) for c in tok.children if c.dep_ == "amod"]
            if not demonym and amods and all(a in _NEIGHBOUR for a in amods):
                m = _neighbour(b, tok)  # "accusant le pays voisin de…"
                if m is not None and b.free(start, end):
                    b.add(start, end, m.actor_id, "coref")
                continue
            if nmods or demonym or amods:
                continue

            def is_country(m: Mention) -> bool:
                a = b.res.actors.get(m.actor_id)
                return a is not None and a.kind == "country" and not _city_as_place(b, m)
            m = _unambiguous(b, tok, is_country, whole_article=False)
            if m is None:
                m = _previous_subject_country(b, tok)
            if m is not None and b.free(start, end):
                b.add(start, end, m.actor_id, "coref")


def _city_as_place(b: MentionBuilder, m: Mention) -> bool:
    """A capital or seat named as where something happens ("réunis à Abuja"), not as its
    state: no antecedent for "le pays"."""
    if name_key(m.text) not in b.lex.capitals:
        return False
    return any(fold(c.text) in ("a", "depuis", "dans", "vers") and c.dep_ == "case"
               for t in range(m.token_start, m.token_end) for c in b.f.toks[t].children)


_NEIGHBOUR = ("voisin", "voisine", "voisins", "voisines")


def _neighbour(b: MentionBuilder, tok: Token) -> Mention | None:
    """ "X a rompu avec Y, accusant le pays voisin de…": the one country named in this or
    the previous sentence that is not the one whose neighbour it is (the subject of the
    clause the description depends on, or of the clause that clause completes)."""
    def is_country(m: Mention) -> bool:
        a = b.res.actors.get(m.actor_id)
        return a is not None and a.kind == "country"
    floor = _sentence_floor(b, tok, 1)
    near = [m for m in b.res.mentions if floor <= m.start and m.token_end <= tok.i and is_country(m)]
    own: set[str] = set()
    t = tok
    for _ in range(4):  # the subjects of the clauses above the description
        for c in t.children:
            if c.dep_ in NSUBJ:
                own.update(m.actor_id for m in b.res.mentions
                           if c.left_edge.i <= m.token_start and m.token_end <= c.right_edge.i + 1)
        if t.head.i == t.i:
            break
        t = t.head
    if not own:
        return None
    others = {m.actor_id for m in near} - own
    if len(others) != 1:
        return None
    return max((m for m in near if m.actor_id in others), key=lambda m: m.start)


def _previous_subject_country(b: MentionBuilder, tok: Token) -> Mention | None:
    """ "La diplomatie de X a prévenu que… Le pays a également précisé…": a description
    that opens its sentence as the subject takes up the previous sentence's subject (not
    a quoted one), when that names a country."""
    k = b.f.sent_of[tok.i]
    if k == 0 or tok.dep_ not in NSUBJ or any(
            b.f.pos[j] in ("NOUN", "PROPN", "VERB") for j in range(b.sents[k].start, tok.i)):
        return None
    for sub in _previous_subjects(b.sents[k - 1]):
        m = _subject_mention(b, sub)
        if m is not None:
            return m if _kind(b, m) == "country" else None
    return None


_POSSESSIVES = {"son": "Sing", "sa": "Sing", "ses": "Sing", "leur": "Plur", "leurs": "Plur"}
_POSSESSOR_KINDS = ("country", "person")


def _possessives(b: MentionBuilder) -> None:
    """ "Le ministre algérien a annoncé que son pays a rompu…", "la Pologne et son armée":
    a possessive before a state noun with no complement (``possessed_state_nouns``)
    stands for the state of the possessor, the subject of the clauses above it (else,
    when it opens its sentence, the previous sentence's subject): a country, or a person
    of a known country; "son", "sa", "ses" for one, "leur(s)" for a country named in the
    plural. Nothing when another actor of another state is named between the two."""
    lex, f = b.lex, b.f
    nouns = lex.possessed_state_nouns
    if not nouns:
        return
    for i in range(len(b.doc)):
        if b.taken[i] or f.pos[i] != "NOUN" or f.flemma[i] not in nouns:
            continue
        tok = f.toks[i]
        dets = [c for c in tok.children if c.dep_ in ("det", "nmod:poss") and c.i < tok.i]
        if not dets or f.lower[dets[0].i] not in _POSSESSIVES:
            continue
        det = dets[0]
        if _quoted(tok):
            continue  # in a quote, "son pays" may be anyone's the speaker talks about
        if any(f.pos[j] not in ("ADJ", "NUM") for j in range(det.i + 1, tok.i)):
            continue  # "son propre pays" is fine, anything else between is not
        plural = "Plur" in tok.morph.get("Number")
        if f.flemma[i] in lex.roles and not plural:
            continue  # "son dirigeant": a person
        if any(c.dep_ in ("nmod", "appos", "flat:name", "acl", "acl:relcl") or
               (c.dep_ == "amod" and fold(c.text) not in ("propre", "propres")) for c in tok.children):
            continue  # "son pays d'origine", "son gouvernement de transition"
        number = _POSSESSIVES[f.lower[det.i]]
        country = _possessor_country(b, tok, number)
        if country is not None and b.free(det.i, i + 1):
            b.add(det.i, i + 1, country, "coref", sector=lex.country_heads.get(f.flemma[i]))


def _possessor_country(b: MentionBuilder, tok: Token, number: str) -> str | None:
    """The state of the possessor of ``tok`` (see :func:`_possessives`), or None."""
    f = b.f
    subj = None
    t = tok
    if tok.dep_ == "conj" and b.res.mention_at_token(tok.head.i) is not None:
        subj = tok.head  # "la Pologne et son armée"
    for _ in range(6 if subj is None else 0):
        h = t.head
        if h.i == t.i:
            break
        subs = [c for c in h.children if c.dep_ in NSUBJ and c.i < tok.i
                and not (c.left_edge.i <= tok.i <= c.right_edge.i)]
        if subs:
            subj = subs[0]
            break
        t = h
    k = f.sent_of[tok.i]
    if subj is None:
        # the possessive opens its sentence ("Son armée a…"): the previous sentence's subject
        if k == 0 or any(f.pos[j] in ("NOUN", "PROPN", "VERB", "PRON") for j in range(b.sents[k].start, tok.i)
                         if not b.doc[j].is_punct):
            return None
        found = [m for sub in _previous_subjects(b.sents[k - 1]) if (m := _subject_mention(b, sub)) is not None]
        if not found:
            return None
        m = found[0]
        if _quoted(b.doc[m.token_start]):
            return None
        # Only another subject of that sentence competes: the possessive continues its topic.
        for x in found[1:]:
            xa = b.res.actors.get(x.actor_id)
            if x.actor_id != m.actor_id and xa is not None and (xa.id if xa.kind == "country" else xa.country) \
                    != (a0.id if (a0 := b.res.actors.get(m.actor_id)) and a0.kind == "country" else a0 and a0.country):
                return None
        lo = tok.i
    else:
        if subj.pos_ == "PRON" and subj.dep_ in NSUBJ and f.lower[subj.i] in ("qui",) \
                and subj.head.dep_ == "acl:relcl":
            subj = subj.head.head  # "X, qui …": X
        m = _subject_mention(b, subj)
        if m is None or _quoted(subj):
            return None
        lo = m.token_end
    a = b.res.actors.get(m.actor_id)
    if a is None or a.kind not in _POSSESSOR_KINDS:
        return None
    if number == "Plur" and (a.kind != "country" or _agrees(b, m, None, "Plur") is not True):
        return None
    if number == "Sing" and _agrees(b, m, None, "Sing") is False:
        return None
    country = a.id if a.kind == "country" else a.country
    if country is None or country not in b.res.actors and country not in b.lex.entries:
        return None
    # Another actor of another state between the possessor and the possessive competes.
    for x in b.res.mentions:
        if lo <= x.token_start and x.token_end <= tok.i and x.actor_id not in (m.actor_id, country):
            xa = b.res.actors.get(x.actor_id)
            if xa is None or xa.kind == "group":
                continue
            if xa.kind == "person" and xa.country == country:
                continue
            return None
    return country


_STATE_SECTORS = ("GOV", "LEG", "JUD", "MIL", "COP", "SPY")
# "ce gouvernement", "cette junte", "ces autorités": a demonstrative points back to the
# state named with that noun as a definite article does
_DEMONSTRATIVES = ("ce", "cet", "cette", "ces")
_SINGULAR_DETS = ("le", "la", "l'", "l’", "du", "au", "ce", "cet", "cette")
_PLURAL_DETS = ("les", "des", "aux", "ces")
# State nouns read in the plural too ("les autorités" are a state's, like "le gouvernement")
_PLURAL_INSTITUTIONS = ("autorite",)


def _institutions(b: MentionBuilder) -> None:
    """Institutions named by their common noun alone.

    - "la junte", "le ministère (des Affaires étrangères)", "l'armée": the state whose
      institution it is, when the phrase names it further on ("le ministère de la Santé
      du Mali"), or else the state the article has already named with the same noun ("la
      junte malienne") or, failing that, the only state it has named with that sector
      ("le gouvernement malien" for "la junte") in this and the two previous sentences or
      the article so far; otherwise nothing. A demonstrative points back the same way
      ("ce gouvernement", "cette junte"), and "les autorités", "ces autorités" too.
    - "l'Alliance", "la Commission", "l'Agence": the only organisation of the article so
      far one of whose names starts with that word (NATO's "Alliance atlantique", the EU's
      "Commission européenne").
    """
    doc, lex = b.doc, b.lex
    pos, flemma, ftext, toks, words = b.f.pos, b.f.flemma, b.f.ftext, b.f.toks, b.f.words
    for i in range(len(doc)):
        if b.taken[i] or pos[i] not in ("NOUN", "PROPN"):
            continue
        short = words[i][:1].isupper() and ftext[i] in lex.short_forms
        sector = lex.country_heads.get(flemma[i])
        if not short and (sector not in _STATE_SECTORS or flemma[i] in lex.roles or pos[i] != "NOUN"):
            continue  # neither "l'Alliance" nor "le ministère": read nothing more
        tok = toks[i]
        plural = "Plur" in tok.morph.get("Number")
        if plural and (short or flemma[i] not in _PLURAL_INSTITUTIONS):
            continue
        dets = [c for c in tok.children if c.dep_ == "det" and c.i < tok.i]
        if not dets:
            dets = [c for c in tok.children if c.dep_ == "case" and c.i == tok.i - 1
                    and fold(c.text) in (("des", "aux") if plural else ("du", "au"))]
        if not dets or fold(dets[0].text) not in (_PLURAL_DETS if plural else _SINGULAR_DETS) \
                or short and fold(dets[0].text) in _DEMONSTRATIVES:
            continue
        start = dets[0].i
        if short:
            if i + 1 < len(doc) and (words[i + 1][:1].isupper() or pos[i + 1] == "ADJ"):
                continue  # "la Commission électorale": another organisation
            forms = dict(lex.short_forms[ftext[i]])
            seen = [m for m in b.res.mentions if m.token_end <= i and m.actor_id in forms]
            named = {a.id for a in b.res.actors.values() if a.kind in ("organisation", "igo", "company", "media")
                     and any(n.split()[0] == words[i] for n in [a.name, *a.aliases] if " " in n)
                     and any(m.actor_id == a.id and m.token_end <= i for m in b.res.mentions)}
            ids = {m.actor_id for m in seen} | named
            if len(ids) == 1:
                aid = next(iter(ids))
                b.add(start, i + 1, aid, "coref", sector=forms.get(aid))
            continue
        if words[i][:1].isupper() and tok.head.i != tok.i and flemma[tok.head.i] in lex.roles:
            continue  # "le secrétaire à la Défense", "le ministre de l'Intérieur": a title
        if any(c.dep_ == "amod" and fold(c.text) in lex.demonyms for c in tok.children):
            continue
        nmods = [c for c in tok.children if c.dep_ == "nmod" and c.i > tok.i]
        end = i + 1
        for c in nmods:
            if c.left_edge.i == end and c.right_edge.i - end < 4 and not any(b.taken[t.i] for t in c.subtree):
                end = c.right_edge.i + 1  # "le ministère des Affaires étrangères"
        # "la junte au pouvoir au Mali": the complement the parser made a clause of
        held = [c for c in tok.children if c.dep_ == "acl" and c.pos_ == "NOUN" and c.i > tok.i]
        country = _nmod_country(b, nmods + held)
        if country is None:
            # The noun and its complement's words ("ministère", "affaires", "étranger").
            words_of = {flemma[t] for t in range(i, end) if pos[t] in ("NOUN", "PROPN", "ADJ")}

            def same_noun(m: Mention, words_of=words_of) -> bool:
                a = b.res.actors.get(m.actor_id)
                return a is not None and a.kind == "country" and m.sector is not None \
                    and words_of <= {flemma[t] for t in range(m.token_start, m.token_end)}

            def same_sector(m: Mention, sector=sector) -> bool:
                a = b.res.actors.get(m.actor_id)
                return a is not None and a.kind == "country" and m.sector == sector

            def any_state(m: Mention) -> bool:
                a = b.res.actors.get(m.actor_id)
                return a is not None and (a.kind == "country" or (a.kind != "person" and a.country is not None))

            m = _unambiguous(b, tok, same_noun)
            if m is None:
                # By sector only when no other state is in sight: "le ministère" of an
                # article on two states is either's.
                m = _unambiguous(b, tok, same_sector)
                near = _unambiguous(b, tok, any_state, whole_article=False)
                if m is not None and (near is None or near.actor_id != m.actor_id):
                    m = None
            country = m.actor_id if m is not None else None
        elif b.res.actors.get(country) is None or b.res.actors[country].kind != "country":
            continue
        if country is not None and b.free(start, end):
            b.add(start, end, country, "coref", sector=sector)


_HEADS: list = [None, None, frozenset()]  # [phrases, their copy, {first words}]


def _ref_heads(phrases: set[str]) -> frozenset[str]:
    """The first words of a set of phrases, computed once per set."""
    if _HEADS[0] is not phrases or _HEADS[1] != phrases:
        _HEADS[:] = [phrases, set(phrases), frozenset(p.split()[0] for p in phrases)]
    return _HEADS[2]


def _rest_starts_with(f: DocFacts, i: int, prefix: str) -> bool:
    """``fold(doc[i:].text).startswith(prefix)``, folding only as much text as needed."""
    start, stop = f.idx[i], f.idx[-1] + len(f.words[-1])
    size = len(prefix) + 16
    while True:
        end = min(stop, start + size)
        piece = f.text[start:end]
        folded = fold(piece)
        # Folding is letter by letter (but for a final sigma, whose case depends on what follows).
        if end == stop or (len(folded) >= len(prefix) and "Σ" not in piece):
            return folded.startswith(prefix)
        size *= 4


def _unambiguous(b: MentionBuilder, tok: Token, pred, *, whole_article: bool = True) -> Mention | None:
    """The antecedent of a description: the only fitting actor of this and the two previous
    sentences; or, when none is that close, the only fitting actor of the article so far."""
    floor = _sentence_floor(b, tok, 2)
    near = [m for m in b.res.mentions if floor <= m.start and m.token_end <= tok.i and pred(m)]
    ids = {m.actor_id for m in near}
    if len(ids) == 1:
        return max(near, key=lambda m: m.start)
    if ids or not whole_article:
        return None
    before = [m for m in b.res.mentions if m.token_end <= tok.i and pred(m)]
    if len({m.actor_id for m in before}) == 1:
        return max(before, key=lambda m: m.start)
    return None


def _nmod_country(b: MentionBuilder, nmods: list[Token]) -> str | None:
    for c in nmods:
        for t in c.subtree:
            m = b.res.mention_at_token(t.i)
            if m is not None:
                a = b.res.actors.get(m.actor_id)
                if a is not None and a.kind == "country":
                    return a.id
                if a is not None and a.country:
                    return a.country
    return None


def _sentence_floor(b: MentionBuilder, tok: Token, back: int) -> int:
    sents = b.sents
    idx = b.f.sent_of[tok.i]
    return sents[max(0, idx - back)].start_char


def _agrees(b: MentionBuilder, m: Mention, gender: str | None, number: str) -> bool | None:
    """True/False when morphology tells, None when it does not."""
    doc = b.doc
    a = b.res.actors.get(m.actor_id)
    toks = doc[m.token_start:m.token_end]
    nums = {n for t in toks for n in t.morph.get("Number") if t.pos_ in ("DET", "NOUN", "PROPN")}
    gens = {g for t in toks for g in t.morph.get("Gender") if t.pos_ in ("DET", "NOUN", "PROPN")}
    if m.token_start > 0 and doc[m.token_start - 1].pos_ == "DET":
        d = doc[m.token_start - 1]
        nums |= set(d.morph.get("Number"))
        gens |= set(d.morph.get("Gender"))
    if a is not None and a.kind == "person":
        nums = {"Sing"}
        prev = doc[m.token_start - 1].text if m.token_start > 0 else ""
        if prev in ("M.", "M", "Monsieur"):
            gens = {"Masc"}
        elif prev in ("Mme", "Madame", "Mlle"):
            gens = {"Fem"}
        elif m.via == "coref" and toks[0].pos_ == "DET":
            gens = set(toks[-1].morph.get("Gender")) or set(toks[0].morph.get("Gender"))
        else:
            gens = set()
    if number and nums and number not in nums:
        return False
    if gender and gens and gender not in gens and len(gens) == 1:
        return False
    if (number and not nums) or (gender and not gens):
        return None
    return True


def _pronouns(b: MentionBuilder) -> None:
    doc = b.doc
    sents = b.sents
    sent_of, lower, dep, pos, toks = b.f.sent_of, b.f.lower, b.f.dep, b.f.pos, b.f.toks
    for i in range(len(doc)):
        low = lower[i]
        if low.startswith("-") and not b.taken[i]:
            _inverted(b, toks[i])
            continue
        if low not in SUBJECT_PRONOUNS or dep[i] not in NSUBJ or b.taken[i]:
            continue
        tok = toks[i]
        gender, number = SUBJECT_PRONOUNS[low]
        verb = tok.head
        cands: list[Mention] = []
        # Inside a sentence: "X a déclaré qu'il…" — the subject of the governing verb.
        gov = verb
        prev_single = False
        agreement: bool | None | object = _UNSET
        while gov.dep_ in ("ccomp", "advcl", "xcomp", "conj", "acl:relcl") and gov.head.i != gov.i:
            gov = gov.head
            subs = [c for c in gov.children if c.dep_ in NSUBJ and c.i < tok.i]
            if subs:
                m = _subject_mention(b, subs[0])
                if m is not None:
                    cands.append(m)
                break
        if not cands and gov.pos_ == "NOUN" and gov.dep_ in ("obj", "obl", "obl:mod") \
                and gov.head.i != gov.i and gov.head.pos_ == "VERB" and _after_que(tok):
            # "X a annoncé mercredi qu'elle…" parsed with the clause on the date: the verb
            # the noun hangs on
            subs = [c for c in gov.head.children if c.dep_ in NSUBJ and c.i < tok.i]
            m = _subject_mention(b, subs[0]) if subs else None
            if m is not None and _agrees(b, m, gender, number) is not False:
                cands.append(m)
        if not cands:
            k = sent_of[tok.i]
            if k == 0 or any(c.dep_ in NSUBJ and c.i < tok.i and c.i != tok.i for c in verb.children):
                continue
            if any(pos[j] in ("NOUN", "PROPN") for j in range(sents[k].start, tok.i)):
                continue  # something else could be the antecedent in this sentence
            prev = sents[k - 1]
            # The first subject that names an actor and agrees; else the first that names one.
            found = [(sub, x) for sub in _previous_subjects(prev) if (x := _subject_mention(b, sub)) is not None]
            if not found:
                continue
            sub, m = next(((s, x) for s, x in found if _phrase_agrees(b, s, x, gender, number) is not False),
                          found[0])
            agreement = _phrase_agrees(b, sub, m, gender, number)
            # Another actor of the same number in the previous sentence competes.
            others = [x for x in b.res.mentions if prev.start_char <= x.start < prev.end_char
                      and x.actor_id != m.actor_id and x.via != "pronoun"
                      and _agrees(b, x, gender, number) is not False
                      and _kind(b, x) == _kind(b, m)]
            if others:
                continue
            # The antecedent is the only actor the previous sentence names.
            prev_single = not [x for x in b.res.mentions if prev.start_char <= x.start < prev.end_char
                               and x.actor_id != m.actor_id]
            cands.append(m)
        m = cands[0]
        ok = _agrees(b, m, gender, number) if agreement is _UNSET else agreement
        kind = _kind(b, m)
        if ok is False and low == "il" and kind == "country" and prev_single \
                and _agrees(b, m, None, number) is not False:
            ok = True  # "l'Australie … Il pointe…": writers often use "il" for a country
        if ok is False or (ok is None and kind != "person"):
            continue
        if kind == "person" and number == "Plur":
            continue
        b.add(tok.i, tok.i + 1, m.actor_id, "pronoun")


# Object clitics with the (gender, number) their antecedent agrees with ("l'" takes the
# gender of a past participle after it: "l'ont condamnée").
_OBJECT_CLITICS = {"le": ("Masc", "Sing"), "la": ("Fem", "Sing"), "l'": (None, "Sing"), "l’": (None, "Sing"),
                   "les": (None, "Plur"), "lui": (None, "Sing"), "leur": (None, "Plur")}
_CLITIC_DEPS = ("obj", "iobj", "obl:arg")
_PLACE_CASES = {"en", "dans", "vers", "depuis"}
_CLITIC_KINDS = ("person", "country", "igo", "organisation", "company", "media")


def _clause_subjects(verb: Token) -> list[Token]:
    """The subjects of a verb, and of the verbs it shares them with ("X a accusé… et leur
    a ordonné…", "X veut le sanctionner")."""
    t = verb
    for _ in range(4):
        subs = [c for c in t.children if c.dep_ in NSUBJ or c.dep_ == "expl:subj"]
        if subs or t.dep_ not in ("conj", "xcomp") or t.head.i == t.i:
            return subs
        t = t.head
    return []


def _object_clitics(b: MentionBuilder) -> None:
    """ "Paris lui a demandé de…", "Washington les a sanctionnés", "X a appelé Y pour lui
    dire…": an object clitic stands for the last actor before it that agrees in gender and
    number and is not the subject of its clause, in its sentence or the previous ones of
    its paragraph, else in the last sentence of the paragraph before."""
    doc = b.doc
    f = b.f
    sents, sent_of, par_of = b.sents, f.sent_of, f.paragraph_of
    for i in range(len(doc)):
        low = f.lower[i]
        if low not in _OBJECT_CLITICS or f.pos[i] != "PRON" or f.dep[i] not in _CLITIC_DEPS or b.taken[i]:
            continue
        tok = f.toks[i]
        verb = tok.head
        if verb.pos_ not in ("VERB", "AUX") or verb.i < tok.i or verb.i - tok.i > 4:
            continue  # a clitic stands before its verb
        gender, number = _OBJECT_CLITICS[low]
        if gender is None and number == "Sing" and low not in ("lui",) and "Part" in verb.morph.get("VerbForm"):
            g = verb.morph.get("Gender")  # "l'ont condamné(e)": the participle agrees with it
            gender = g[0] if len(g) == 1 else None
        subjects = _clause_subjects(verb)
        excluded = {m.actor_id for s in subjects for t in s.subtree
                    if (m := b.res.mention_at_token(t.i)) is not None}
        if any(f.lower[s.i] in ("je", "j'", "j’", "nous", "on") for s in subjects):
            continue  # a speaker's own words: the antecedent is in the speech
        k = sent_of[i]
        floor = sents[k].start
        while floor > 0 and par_of[floor - 1] == par_of[i]:
            floor = sents[sent_of[floor - 1]].start
        cands = [m for m in b.res.mentions if floor <= m.token_start and m.token_end <= i]
        if not cands and k > 0:
            prev = sents[sent_of[floor - 1]] if floor > 0 else None
            if prev is not None:
                cands = [m for m in b.res.mentions if prev.start <= m.token_start and m.token_end <= prev.end]
        found = None
        for m in sorted(cands, key=lambda m: m.start, reverse=True):
            if m.actor_id in excluded or _kind(b, m) not in _CLITIC_KINDS:
                continue
            words = range(m.token_start, m.token_end)
            cases = {fold(c.text) for t in words for c in f.toks[t].children if c.dep_ == "case"}
            if any(f.dep[t] == "obl:mod" for t in words) or cases & _PLACE_CASES or (
                    cases & {"a", "au", "aux"} and _kind(b, m) != "person"
                    and not any(f.dep[t] in ("obl:arg", "iobj") for t in words)):
                continue  # a place ("à Berlin", "en Chine"), not a party
            if m.token_start >= sents[k].start and (any(
                    (f.dep[t] in NSUBJ or f.dep[t] in ("ROOT", "dep")) and f.toks[t].head.i in (verb.i, t)
                    for t in words) or all(f.pos[t] in ("PRON", "ADV", "PART") for t in range(m.token_end, i))):
                continue  # the subject of the clitic's own clause (the parser may miss it)
            ok = _agrees(b, m, gender, number)
            if ok is False or (ok is None and _kind(b, m) != "person"):
                continue  # a state or a group only when its words agree
            if number == "Plur" and _kind(b, m) == "person":
                continue
            found = m
            break
        if found is not None:
            b.add(i, i + 1, found.actor_id, "pronoun")


def _inverted(b: MentionBuilder, tok: Token) -> None:
    """ "…, a-t-il ajouté": the one person named in this or the two previous sentences."""
    low = tok.lower_.lstrip("-")
    low = low.removeprefix("t-")
    if low not in ("il", "elle"):
        return
    gender = SUBJECT_PRONOUNS[low][0]

    def is_person(m: Mention) -> bool:
        return _kind(b, m) == "person" and _agrees(b, m, gender, "Sing") is not False
    m = _unambiguous(b, tok, is_person, whole_article=False)
    if m is not None:
        b.add(tok.i, tok.i + 1, m.actor_id, "pronoun")


def _kind(b: MentionBuilder, m: Mention) -> str | None:
    a = b.res.actors.get(m.actor_id)
    return a.kind if a else None


def _subject_mention(b: MentionBuilder, subj: Token) -> Mention | None:
    """The actor a subject names: its own mention, a name set beside it, or, for a title
    with no name, the state or organisation it speaks for ("le porte-parole du ministère
    chinois", "le chef de la diplomatie de X")."""
    m = b.res.mention_at_token(subj.i)
    if m is None:
        for c in subj.children:
            if c.dep_ in ("appos", "flat:name") and b.res.mention_at_token(c.i) is not None:
                m = b.res.mention_at_token(c.i)
                break
    if m is None:
        # "le secrétaire américain à la Défense, X, a déclaré": a name set off after the
        # title, which the parser may take for a conjunct
        for c in subj.children:
            found = b.res.mention_at_token(c.i)
            if c.dep_ == "conj" and c.pos_ == "PROPN" and found is not None and _kind(b, found) == "person" \
                    and b.doc[c.i - 1].text == "," and _title_at(b.f, subj, b.lex.roles):
                m = found
                break
    if m is None:
        for c in subj.children:
            if c.dep_ == "amod" and b.res.mention_at_token(c.i) is not None:
                m = b.res.mention_at_token(c.i)
                break
    if m is None and subj.pos_ == "NOUN" and _title_at(b.f, subj, b.lex.roles):
        for c in subj.children:
            if c.dep_ == "nmod" and c.i > subj.i:
                for t in (c, *[g for g in c.children if g.dep_ in ("nmod", "amod") and g.i > c.i]):
                    found = b.res.mention_at_token(t.i)
                    if found is not None and _kind(b, found) in ("country", "igo", "organisation"):
                        return found
                break
    return m


_QUOTE_OPEN = ("«", "“")
_QUOTE_CLOSE = ("»", "”")


def _quoted(tok: Token) -> bool:
    """Whether ``tok`` stands between quotation marks in its sentence."""
    depth, straight = 0, 0
    for t in tok.doc[tok.sent.start: tok.i]:
        if t.text in _QUOTE_OPEN:
            depth += 1
        elif t.text in _QUOTE_CLOSE:
            depth = max(0, depth - 1)
        elif t.text == '"':
            straight += 1
    return depth > 0 or straight % 2 == 1


def _previous_subjects(sent) -> list[Token]:
    """The subjects of a sentence a pronoun of the next may take up, in the order they are
    tried: the main clause's subject (not a quoted one), the speaker of a quote ("…, a
    déclaré X"), the subjects of the clauses joined to the main one."""
    root = sent.root
    subs = [c for c in root.children if c.dep_ in NSUBJ]
    if not subs and fold(root.lemma_) == "avoir" and any(fold(c.text) == "y" for c in root.children):
        # "Il y a X qui…": X is the topic of the sentence
        subs = [c for c in root.children if c.dep_ == "obj"]
    subs = [s for s in subs if not _quoted(s)]
    for v in sent:
        if v.pos_ == "VERB" and v.i != root.i and v.dep_ in ("parataxis", "conj") and v.head.i == root.i \
                and not _quoted(v):
            # "« … », a déclaré X" (the speaker after the verb), "X a … et a …"
            subs += [c for c in v.children if c.dep_ in NSUBJ and not _quoted(c)]
    return subs


def _phrase_agrees(b: MentionBuilder, subj: Token, m: Mention, gender: str | None, number: str) -> bool | None:
    """Agreement of a pronoun with a subject: with its mention, or with the title's noun
    when the mention is a complement of it ("le porte-parole du ministère")."""
    if m.token_start <= subj.i < m.token_end:
        return _agrees(b, m, gender, number)
    nums, gens = set(subj.morph.get("Number")), set(subj.morph.get("Gender"))
    if (number and nums and number not in nums) or (gender and len(gens) == 1 and gender not in gens):
        return False
    return True if nums and (gens or not gender) else None


_UNSET = object()


def _after_que(tok: Token) -> bool:
    return tok.i > 0 and fold(tok.doc[tok.i - 1].text) in ("que", "qu'", "qu’")


def link(b: MentionBuilder) -> None:
    """Add coreference mentions to the builder's resolution (called by resolve_actors)."""
    b.res.finish()
    _surnames(b)
    b.res.finish()
    roles = _roles(b)
    _descriptions(b, roles)
    b.res.finish()
    _institutions(b)
    b.res.finish()
    _pronouns(b)
    b.res.finish()
    _possessives(b)
    b.res.finish()
    _object_clitics(b)


__all__ = ["link"]
