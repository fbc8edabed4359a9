"""Actor resolution: named entities and noun phrases mapped to canonical actors.

:func:`resolve_actors` is the one function that runs the resolution passes over a parsed
Doc, in order, on one :class:`~.mentions.MentionBuilder`:

1. the passes of this module: dictionary names (longest match first, :mod:`.dictionary`),
   nationality words ("le gouvernement chinois", "les Américains"), unknown people and
   organisations from the NER, then governments ("l'administration de Trump") and
   groups ("les alliés de Washington");
2. :func:`.coref.link`: surnames, titles, definite descriptions and pronouns;
3. :func:`.sources.find`: the cited sources.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..dates import MONTHS, WEEKDAYS
from ..records import Actor
from ..text import clean_name, fold, name_key
from . import coref as corefmod
from . import sources as sourcesmod
from .dictionary import ActorLexicon, Target, default, singular
from .facts import DocFacts
from .mentions import MentionBuilder
from .resolution import Mention, Resolution


def _dictionary(b: MentionBuilder) -> None:
    """Longest dictionary names, left to right, on token boundaries."""
    doc, lex, text = b.doc, b.lex, b.text
    for pattern, target in lex.patterns:
        for m in pattern.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
            if span is None or len(span) == 0 or not b.free(span.start, span.end):
                continue
            b.add(span.start, span.end, target.actor_id, target.via, sector=target.sector)
    n = len(doc)
    words, idx, taken = b.f.words, b.f.idx, b.taken
    prefixes, prefixes_ci = lex.prefixes, lex.prefixes_ci
    starts = lex.name_starts(words)
    after = 0  # tokens before this one are inside a name found
    for i in [k for k, word in enumerate(words) if starts[word]]:  # the tokens a name may start with
        if i < after:
            continue
        upper = name_key(words[i])[:1].isupper()
        best: tuple[int, Target] | None = None
        j = i
        start = idx[i]
        while j < n and j - i < lex.max_tokens and not taken[j] and not words[j].isspace():
            stop = idx[j] + len(words[j])
            key = name_key(text[start: stop])
            cs = key in prefixes
            ci = upper and key.lower() in prefixes_ci
            if not cs and not ci:
                break
            t = lex.names.get(key) if cs else None
            if t is None and ci:
                t = lex.names_ci.get(key.lower())
            if t is not None and text[stop - 1] not in "-‐‑–'’":
                best = (j + 1, t)
            j += 1
        if best is None:
            continue
        end, target = best
        if _accept_dict(b, i, end, target):
            b.add(i, end, target.actor_id, target.via, sector=target.sector)
            after = end


# Words before a group noun that make it a group of the article: articles, quantities.
_GROUP_DETS = {"les", "des", "l'", "ces", "leurs", "nos", "vos", "plusieurs", "nombreux", "nombreuses",
               "certains", "certaines", "quelques", "la", "le", "cette", "ce", "son", "sa", "leur"}


def _sector_groups(b: MentionBuilder) -> None:
    """ "les syndicats", "l'intersyndicale", "des milliers d'agriculteurs belges": unnamed
    groups named by their role (``sector_groups`` of actor_nouns.yaml), one group actor
    of the article each, with the role's sector and the country a nationality adjective
    gives."""
    doc, lex, f = b.doc, b.lex, b.f
    if not lex.sector_groups:
        return
    seen: dict[str, list[str]] = {}  # group name -> actor ids made of it, in order
    for i in range(len(doc)):
        if b.taken[i] or f.pos[i] != "NOUN" or not doc[i].text[:1].islower():
            continue
        tok = f.toks[i]
        words = [singular(f.ftext[i])]
        right = [c for c in tok.rights if c.dep_ in ("amod", "compound", "flat")]
        j = i + 1
        while j < len(doc) and any(c.i == j for c in right) and f.pos[j] in ("ADJ", "NOUN", "VERB"):
            words.append(singular(f.ftext[j]))
            j += 1
        lemmas = [fold(t.lemma_) for t in doc[i + 1:j]]
        found = None
        for k in range(len(words), 0, -1):
            for key in {tuple(words[:k]), (words[0], *lemmas[:k - 1])}:
                for g in lex.sector_groups:
                    how = "nouns" if key in g.nouns else "collective" if key in g.collective \
                        else "after" if key in g.after else None
                    if how is not None:
                        found = (g, how, k)
                        break
                if found:
                    break
            if found:
                break
        if found is None:
            continue
        group, how, k = found
        plural = "Plur" in tok.morph.get("Number") or f.ftext[i].endswith(("s", "x"))
        if how == "collective" and plural or how != "collective" and not plural:
            continue  # "le syndicat" is one union (coref reads it); "les patronats"
        if how == "after" and group.name not in seen:
            continue  # "les centrales" once the unions are named
        end = i + k
        countries = []
        for t in doc[end:j]:
            d = lex.demonyms.get(f.ftext[t.i])
            if d is None or d.country not in lex.entries:
                break
            countries.append(d.country)
        if end + len(countries) < j:
            continue  # another adjective: "les syndicats policiers", "les syndicats agricoles"
        if any(c.dep_ == "conj" and c.i > j and fold(c.text) in lex.demonyms for t in doc[i:j] for c in t.children):
            countries.append("")  # "les agriculteurs français et italiens": several countries
        if _inside_name(b, tok, i, j):
            continue
        if not any(c.dep_ in ("det", "nummod") for c in tok.children) and \
                not any(c.dep_ == "case" and f.ftext[c.i] in ("de", "d'", "des") for c in tok.children):
            continue  # no article: a title, a heading, a compound ("syndicat maison")
        start = min([c.i for c in tok.children if c.dep_ in ("det", "nummod") and c.i < i and
                     f.ftext[c.i] in _GROUP_DETS] + [i])
        country = countries[0] if len(countries) == 1 else None
        stop = j if country else end
        if country is None and seen.get(group.name):
            aid = seen[group.name][-1]  # "les syndicats français … les syndicats"
        else:
            aid = f"{group.name} ({country})" if country else group.name
        actor = Actor(id=aid, name=group.name[:1].upper() + group.name[1:], kind="group",
                      country=country, sector=group.sector)
        b.add(start, stop, aid, "group", sector=group.sector, actor=actor)
        alias = clean_name(doc[i:stop].text)
        a = b.res.actors[aid]
        if alias.lower() != a.name.lower() and alias not in a.aliases:
            a.aliases.append(alias)
        seen.setdefault(group.name, [])
        if aid not in seen[group.name]:
            seen[group.name].append(aid)


def _inside_name(b: MentionBuilder, tok: Token, i: int, j: int) -> bool:
    """Whether the group noun at ``[i, j)`` is part of a name or of another organisation:
    "la fédération des syndicats X", "les syndicats de X", "Confédération paysanne"."""
    lex, f = b.lex, b.f
    for ent in b.ents:
        if ent.label_ in ("ORG", "MISC", "PER") and ent.start <= i and ent.end >= j and \
                ent.end - ent.start > j - i and any(t.text[:1].isupper() for t in ent):
            return True
    if tok.dep_ in ("nmod", "amod", "appos", "compound") and tok.head.i < i \
            and f.flemma[tok.head.i] in lex.organisation_heads:
        return True
    for c in tok.children:
        if c.i >= j and c.dep_ in ("nmod", "appos", "flat:name", "flat") and (
                c.pos_ == "PROPN" or b.taken[c.i] or c.text[:1].isupper()):
            return True
    return False


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _accept_dict(b: MentionBuilder, i: int, end: int, target: Target) -> bool:
    """Reject names that are part of something longer: "Denzel Washington", "Chine" in an
    unknown title, lower-case words."""
    doc = b.doc
    first, last = doc[i], doc[end - 1]
    entry = b.lex.entries.get(target.actor_id)
    is_place = entry is not None and entry.kind == "country"
    if not is_place and entry is not None and entry.kind not in ("person",):
        # Organisations, companies, media: part of a longer person name is still unlikely.
        ent = first.ent_type_ == "PER" and last.ent_iob_ != "" and _ent_longer(b.ents, i, end, "PER")
        return not ent
    # A capitalised proper noun right before or after, not itself a dictionary name start
    # and not across punctuation, makes a longer name: "George Washington", "Pékin Express".
    if i > 0:
        prev = doc[i - 1]
        if (_capitalised(prev) and prev.pos_ in ("PROPN", "X") and not prev.is_sent_start
                and prev.text not in b.lex.honorifics and name_key(prev.text) not in b.lex.names
                and prev.whitespace_):
            return False
        if prev.text in b.lex.honorifics and is_place:
            return False  # "M. Washington"
    if end < len(doc):
        nxt = doc[end]
        if (_capitalised(nxt) and nxt.pos_ in ("PROPN", "X") and name_key(nxt.text) not in b.lex.prefixes
                and doc[end - 1].whitespace_ and nxt.ent_iob_ == "I"):
            return False
    if is_place and target.sector is None and i >= 2 and b.f.ftext[i - 1] in ("de", "d'", "d’") \
            and b.f.ftext[i - 2] in b.lex.named_after_places:
        return False  # "la convention de Vienne", "l'accord de Paris": a name, not the state
    return not (is_place and _ent_longer(b.ents, i, end, "PER"))


def _ent_longer(ents: list[Span], i: int, end: int, label: str) -> bool:
    for ent in ents:
        if ent.label_ == label and ent.start <= i and ent.end >= end and (ent.end - ent.start) > (end - i):
            return True
    return False


def _np_left(head: Token) -> int:
    start = head.i
    for c in head.lefts:
        if c.dep_ in ("det", "amod", "nummod") and c.i < start and head.i - c.i <= 3:
            start = c.i
    return start


def _demonyms(b: MentionBuilder) -> None:
    """Nationality words: "les Américains", "le gouvernement chinois", "les sanctions américaines"."""
    doc, lex = b.doc, b.lex
    ftext, toks = b.f.ftext, b.f.toks
    for i in range(len(doc)):
        if b.taken[i]:
            continue
        d = lex.demonyms.get(ftext[i])
        if d is None:
            if "-" in ftext[i] or ftext[i] in lex.demonym_prefixes:
                _compound_demonym(b, i)
            continue
        if d.country not in lex.entries:
            continue
        tok = toks[i]
        if _capitalised(tok) and tok.pos_ in ("NOUN", "PROPN") or (
                _capitalised(tok) and not tok.is_sent_start and tok.dep_ != "amod"):
            # "les Américains": the people, i.e. the country.
            start = tok.i - 1 if tok.i > 0 and doc[tok.i - 1].lower_ in ("les", "des", "aux") else tok.i
            b.add(start, tok.i + 1, d.country, "country")
            continue
        if tok.pos_ != "ADJ" and tok.dep_ != "amod":
            continue
        head = tok.head
        if tok.dep_ == "conj" and head.i < tok.i:
            # "les dirigeants polonais, lituaniens": the second adjective shares the noun
            # (the parser hangs it on the noun or on the first adjective).
            if ftext[head.i] in lex.demonyms and head.dep_ == "amod":
                head = head.head
            first = b.res.mention_at_token(head.i)
            if first is not None and first.via == "country" and first.sector and first.actor_id != d.country:
                b.add(tok.i, tok.i + 1, d.country, "country", sector=first.sector)
                continue
        if head.i == tok.i or head.pos_ not in ("NOUN", "PROPN"):
            b.add(tok.i, tok.i + 1, d.country, "country", mark=True)
            continue
        if b.taken[head.i] or any(b.taken[c.i] for c in head.children if c.dep_ in ("appos", "flat:name")
                                  and c.pos_ == "PROPN"):
            continue  # "le géant chinois Huawei": the name says who; coref reads the adjective
        lemma = fold(head.lemma_)
        sector = lex.country_heads.get(lemma)
        plural = "Plur" in head.morph.get("Number")
        if not plural and lemma in lex.company_heads:
            continue  # "la firme chinoise": a company, found by coref
        if sector is None or (sector == "BUS" and not plural) or (lemma in lex.roles and not plural):
            # Not a country head ("les sanctions américaines", "la firme chinoise",
            # "le ministre chinois"): the adjective alone names the country.
            b.add(tok.i, tok.i + 1, d.country, "country", mark=False)
            continue
        start = _np_left(head)
        end = tok.i + 1
        # "le ministère chinois des Affaires étrangères": keep a short complement.
        for c in head.rights:
            if c.dep_ == "nmod" and c.i >= end and c.left_edge.i == end and c.right_edge.i - end < 4 \
                    and doc[end].pos_ == "ADP" and fold(doc[end].text) in ("de", "du", "des", "d'") \
                    and not any(b.taken[t.i] for t in c.subtree) and not any(t.pos_ == "VERB" for t in c.subtree):
                end = c.right_edge.i + 1
        if not b.free(start, end):
            start = head.i if b.free(head.i, end) else tok.i
        b.add(start, end, d.country, "country", sector=sector)


def compound_countries(lex, word: str) -> list[str]:
    """The states a compound adjective of nationality names, in order ("russo-ukrainiens"
    -> Russia, Ukraine; "sino-nord-coréen" -> China, North Korea), or [] when it is none."""
    parts = fold(word).split("-")
    for k in range(1, len(parts)):
        heads, rest = parts[:k], "-".join(parts[k:])
        d = lex.demonyms.get(rest)
        if d is not None and all(h in lex.demonym_prefixes for h in heads):
            out = [lex.demonym_prefixes[h] for h in heads] + [d.country]
            out = list(dict.fromkeys(out))
            return out if len(out) > 1 and all(c in lex.entries for c in out) else []
    return []


def _compound_demonym(b: MentionBuilder, i: int) -> None:
    """ "les pourparlers russo-ukrainiens", "l'agression américano-britannique": the
    adjective is a mention of each state, on the same words (the roles read them as
    coordinated actors)."""
    doc, words = b.doc, b.f.words
    tok = b.f.toks[i]
    if words[i][:1].isupper() and not tok.is_sent_start:
        return  # "les Franco-Algériens": people of two nationalities, not the two states
    end, word = i + 1, words[i]
    # The tokenizer often cuts the word at its hyphens ("israélo", "-", "palestinien").
    while end + 1 < len(doc) and words[end] == "-" and doc[end].idx == doc[end - 1].idx + len(words[end - 1]) \
            and doc[end + 1].idx == doc[end].idx + 1 and not b.taken[end + 1]:
        word += "-" + words[end + 1]
        end += 2
    if end == i + 1 and (tok.pos_ not in ("ADJ", "NOUN") or (tok.pos_ == "NOUN" and tok.dep_ != "amod")):
        return
    head = tok.head
    if head.i != tok.i and (b.taken[head.i] or head.pos_ == "PROPN" or any(
            c.dep_ in ("appos", "flat:name") and c.pos_ == "PROPN" for c in head.children)):
        return  # "l'écrivain franco-algérien X": a person's two nationalities
    countries = compound_countries(b.lex, word)
    for iso in countries:
        b.add(i, end, iso, "country", mark=False)
    if countries:
        for k in range(i, end):
            b.taken[k] = True


_LINKS = {"de", "du", "des", "d'", "d’", "l'", "l’", "la", "le", "les", "pour", "et", "à", "a", "au",
          "aux", "sur", "en", "contre", "of", "the", "and", "for", "-", "–"}


def _initials(b: MentionBuilder, s: int, e: int) -> str:
    """The initials of the words of ``[s, e)``, less the little words ("Union des
    producteurs laitiers de Wallonie" -> "UPLW")."""
    out = []
    for i in range(s, e):
        w = b.f.ftext[i]
        if w in _LINKS or not w[:1].isalnum():
            continue
        out.append(w[:1])
    return "".join(out).upper()


def _acronym_like(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(letters) <= 8 and len(letters) == len(word) and word[:1].isupper() \
        and sum(c.isupper() for c in letters) >= 2


def _acronyms(b: MentionBuilder) -> None:
    """A name followed by its acronym in brackets ("l'Union des producteurs laitiers de
    Wallonie (UPLW)") is an organisation, and the acronym names it wherever else it is written. The
    name is the capitalised words before the bracket whose initials spell the acronym."""
    f = b.f
    words, n = f.words, f.n
    for i in range(1, n - 2):
        if words[i] != "(" or words[i + 2] != ")" or not _acronym_like(words[i + 1]) or not b.free(i + 1, i + 2):
            continue
        acr = fold(words[i + 1]).upper()
        m = b.res.mention_at_token(i - 1)
        if m is not None:
            if m.token_end != i or _initials(b, m.token_start, m.token_end) != acr:
                continue
            aid, s, via = m.actor_id, None, m.via
        else:
            s = next((j for j in range(i - 1, max(-1, i - 12), -1) if f.pos[j] not in ("VERB", "AUX", "PUNCT")
                      and words[j][:1].isupper() and _initials(b, j, i) == acr), None)
            if s is None or any(f.pos[j] in ("VERB", "AUX", "PUNCT", "PRON") or f.toks[j].ent_type_ == "PER"
                                for j in range(s, i)):
                continue  # not a name, or a person's ("Jean Dupont (RN)")
            if not all(b.res.mention_at_token(j) is None or b.res.mention_at_token(j).via == "country"
                       for j in range(s, i)):
                continue
            aid = clean_name(f.span_text(s, i))
            via = "ner"
        if s is not None:
            b.drop(s, i)  # "Front de libération du Rwanda (FLR)": the name holds the country
            kind = b.lex.entries[aid].kind if aid in b.lex.entries else "organisation"
            b.add(s, i, aid, "ner", actor=b.res.actors.get(aid) or Actor(id=aid, name=aid, kind=kind))
        b.add(i + 1, i + 2, aid, via)
        for j in range(n):
            if words[j] == words[i + 1] and j != i + 1 and b.free(j, j + 1):
                b.add(j, j + 1, aid, "coref")


def _owner(b: MentionBuilder, tok: Token) -> tuple[Mention, Token] | None:
    """The country (or a person's country) in a "de X" complement of ``tok``."""
    for c in tok.children:
        if c.dep_ in ("nmod", "obl:arg", "obl") and c.i > tok.i and any(
                x.dep_ == "case" and fold(x.text) in ("de", "du", "des", "d'") for x in c.children):
            m = b.res.mention_at_token(c.i)
            if m is None:
                continue
            a = b.res.actors.get(m.actor_id)
            if a is not None and (a.kind == "country" or (a.kind == "person" and a.country)):
                return m, c
    return None


def _governments(b: MentionBuilder) -> None:
    """ "le gouvernement des États-Unis", "l'administration de Trump" -> the country, GOV."""
    doc, lex = b.doc, b.lex
    pos, flemma, toks = b.f.pos, b.f.flemma, b.f.toks
    for i in range(len(doc)):
        if b.taken[i] or pos[i] != "NOUN":
            continue
        sector = lex.country_heads.get(flemma[i])
        if sector is None or sector in ("BUS", "MED"):
            continue
        tok = toks[i]
        if fold(tok.lemma_) in lex.roles and "Plur" not in tok.morph.get("Number"):
            continue  # "le ministre de X" is a person
        found = _owner(b, tok)
        if found is None:
            continue
        m, comp = found
        a = b.res.actors[m.actor_id]
        country = a.id if a.kind == "country" else a.country
        start, end = _np_left(tok), comp.right_edge.i + 1
        if end - start > 8 or any(b.taken[i] for i in range(start, comp.left_edge.i)):
            continue
        b.add(start, end, country, "country", sector=sector, mark=False)
        for i in range(start, comp.left_edge.i):
            b.taken[i] = True


def _groups(b: MentionBuilder) -> None:
    """ "les alliés de Washington", "les pays alliés des États-Unis", "les Occidentaux"."""
    doc, lex = b.doc, b.lex
    pos, flemma, ftext, toks = b.f.pos, b.f.flemma, b.f.ftext, b.f.toks
    for i in range(len(doc)):
        if b.taken[i] or pos[i] not in ("NOUN", "PROPN"):
            continue
        lemma = flemma[i]
        if lemma not in lex.group_nouns and lemma not in lex.group_heads \
                and ftext[i].rstrip("s") not in lex.group_heads:
            continue  # neither a group noun nor a group head (read before the morphology)
        tok = toks[i]
        if "Sing" in tok.morph.get("Number"):
            continue
        qual = None
        if lemma in lex.group_nouns:
            qual = next((c for c in tok.children if c.dep_ in ("amod", "acl") and c.i == tok.i + 1
                         and fold(c.lemma_) in lex.group_heads), None)
            if qual is None:
                continue
        generic = qual is None and not _capitalised(tok) and lemma != "allie"
        if not any(c.dep_ == "det" for c in tok.children) and tok.pos_ != "PROPN":
            continue
        last = qual or tok
        owner = _owner(b, last) or (_owner(b, tok) if qual is not None else None)
        if generic and owner is None:
            continue  # "les membres", "les partenaires": too vague without "de X"
        start = tok.i
        end = (owner[1].right_edge.i + 1) if owner else last.i + 1
        if end - start > 7:
            continue
        name = clean_name(doc[start:end].text)
        name = name[:1].upper() + name[1:]
        b.add(start, end, name, "group", actor=Actor(id=name, name=name, kind="group"), mark=False)
        for i in range(start, (owner[1].left_edge.i if owner else end)):
            b.taken[i] = True


_NER_KINDS = {"PER": "person", "ORG": "organisation"}
_ORG_KINDS = ("organisation", "company", "media")


_NerSpan = tuple[int, int, str, int | None, str | None]  # start, end, kind, honorific, home country


def _joined_ents(b: MentionBuilder) -> list[tuple[Span, str]]:
    """The NER's entities and their labels, with a company's name that the NER cut in
    pieces joined again when an apposition says what it is: "Ray Car Carriers, une
    entreprise fondée par…" ("Ray" a person, "Car" the conjunction, "Carriers" an
    organisation for the NER)."""
    ents = [e for e in b.ents]
    out: list[tuple[Span, str]] = []
    f = b.f
    i = 0
    while i < len(ents):
        ent = ents[i]
        j = i
        while j + 1 < len(ents) and ents[j + 1].start - ents[j].end <= 1 and all(
                f.words[k][:1].isupper() and b.doc[k - 1].whitespace_ for k in range(ents[j].end, ents[j + 1].end)):
            j += 1
        if j > i:
            s, e = ent.start, ents[j].end
            if "\n" not in f.span_text(s, e) and _org_frame(b, s, e, person_ok=True) is not None:
                out.append((b.doc[s:e], "ORG"))
                i = j + 1
                continue
        out.append((ent, ent.label_))
        i += 1
    return out


def _pieces(b: MentionBuilder, ent: Span) -> list[tuple[int, int]]:
    """An entity's tokens, cut at line breaks: the NER runs a credit line or a heading
    into the next paragraph ("Agence France-Presse\n\nOrbitex")."""
    words = b.f.words
    out, s = [], ent.start
    for i in range(ent.start, ent.end):
        if "\n" in words[i]:
            if i > s:
                out.append((s, i))
            s = i + 1
    if ent.end > s:
        out.append((s, ent.end))
    return out


def _head_before(b: MentionBuilder, s: int) -> Token | None:
    """The common noun a name stands right after, across its adjectives: "la compagnie
    aérienne X", "du général X", "le média francophone X"."""
    pos, toks = b.f.pos, b.f.toks
    j = s - 1
    while j >= 0 and (pos[j] == "ADJ" or toks[j].dep_ == "amod" and pos[j] == "NOUN") and s - j <= 4:
        j -= 1  # "alternative" in "la coordination agricole alternative internationale X"
    return b.f.toks[j] if j >= 0 and pos[j] == "NOUN" else None


def _context_kind(b: MentionBuilder, s: int, e: int, label: str) -> str | None:
    """What the words around a name say it is, whatever the NER's label: a person after
    or beside a title ("du général X", "le dirigeant de la région, X,", "X, porte-parole
    du…"); an organisation, company or medium after a noun that says so ("la compagnie
    aérienne X", "le média X"); an organisation led by someone ("le directeur de X")."""
    lex, f = b.lex, b.f
    if label != "PER":
        # "Premier ministre Lars Halvorsen" taken whole by the NER: a title, then a name.
        k = 2 if s + 1 < e and f"{f.ftext[s]} {f.ftext[s + 1]}" in lex.roles else int(f.ftext[s] in lex.roles)
        if k and s + k < e and all(w[:1].isupper() or w in _PARTICLES for w in f.words[s + k:e]):
            return "person"
    heads = []
    before = _head_before(b, s)
    if before is not None:
        heads.append(before)
    framed = _org_frame(b, s, e, person_ok=label != "PER")
    if framed is not None:
        return framed
    if s >= 2 and f.words[s - 1][:1].islower() and f.ftext[s - 1] in lex.demonyms \
            and f.ftext[s - 2] in ("le", "la", "l'", "l’", "du", "au", "un", "une"):
        return "company"  # "une plainte du suédois X", "l'américain X": a firm by its nationality
        # (a person is "le Suédois X", "le ministre suédois X")
    root = next((t for t in b.doc[s:e] if not (s <= t.head.i < e) or t.head.i == t.i), None)
    if root is not None and root.dep_ == "appos" and root.head.i < s and root.head.pos_ == "NOUN":
        heads.append(root.head)
    for head in heads:
        lemma = f.flemma[head.i]
        kind = lex.organisation_heads.get(lemma)
        if kind is not None:
            return kind
        if label != "PER" and "Plur" not in head.morph.get("Number") and (
                lemma in lex.roles or corefmod._title_at(f, head, lex.roles)):
            return "person"  # "le ministre X", "l'homme politique d'extrême droite X"
    if label == "PER" or root is None:
        return None
    for c in (c for t in b.doc[s:e] for c in t.children):
        if c.dep_ == "appos" and c.i >= e and c.pos_ == "NOUN":
            if f.flemma[c.i] in lex.roles:
                return "person"  # "X, porte-parole du ministère"
            if f.flemma[c.i] in lex.organisation_heads:
                return lex.organisation_heads[f.flemma[c.i]]  # "X, une entreprise fondée…"
    if label == "MISC" and root.dep_ == "nmod" and root.head.i < s and f.flemma[root.head.i] in lex.roles \
            and f.lower[s - 1] in ("de", "du", "d'", "d’"):
        return "organisation"  # "le directeur de X"
    return None


_SUCH_AS = {"comme", "dont", "notamment", "parmi"}


def _org_frame(b: MentionBuilder, s: int, e: int, *, person_ok: bool = False) -> str | None:
    """The kind of organisation that the words framing a name say, read on the surface
    (the parser often hangs these phrases wrong): an apposition before it ("le principal
    syndicat agricole flamand, X,"), one after it ("X, très populaire plateforme de…"),
    or a list it is an example of ("d'autres syndicats wallons, tels que la X")."""
    lex, f = b.lex, b.f
    pos, ftext, flemma = f.pos, f.ftext, f.flemma
    j = s - 1
    if j >= 0 and pos[j] == "DET":
        j -= 1
    if j >= 1 and ftext[j] == "que" and ftext[j - 1] in ("tel", "tels", "telle", "telles"):
        j -= 2
    elif j >= 0 and ftext[j] in _SUCH_AS:
        j -= 1
    else:
        j = None
    if j is not None:
        # "des syndicats, tels que la X", "plusieurs ONG comme X": the list's head, plural
        while j >= 0 and (pos[j] == "ADJ" or ftext[j] == ","):
            j -= 1
        if j >= 0 and pos[j] == "NOUN" and flemma[j] in lex.organisation_heads \
                and "Plur" in f.toks[j].morph.get("Number"):
            return lex.organisation_heads[flemma[j]]
    if s >= 2 and ftext[s - 1] == "," and (e >= f.n or ftext[e] in (",", ")", ".")):
        # "Le principal syndicat agricole flamand, X, …": a definite head that is no
        # complement ("le porte-parole du syndicat, X" is a person)
        j = s - 2
        while j >= 0 and pos[j] == "ADJ" and s - j <= 6:
            j -= 1
        if j >= 1 and pos[j] == "NOUN" and flemma[j] in lex.organisation_heads \
                and "Sing" in f.toks[j].morph.get("Number"):
            k = j - 1
            while k >= 0 and pos[k] == "ADJ" and j - k <= 2:
                k -= 1
            if k >= 0 and ftext[k] in ("le", "la", "l'", "l’", "un", "une") \
                    and (k == 0 or pos[k - 1] != "ADP"):
                return lex.organisation_heads[flemma[j]]
    if e + 1 < f.n and ftext[e] == "," and (person_ok or b.doc[s].ent_type_ != "PER"):
        # "X, très populaire plateforme de streaming, …"
        j = e + 1
        while j < f.n and pos[j] in ("ADV", "ADJ", "DET") and j - e <= 4:
            j += 1
        if j < f.n and pos[j] == "NOUN" and flemma[j] in lex.organisation_heads \
                and "Sing" in f.toks[j].morph.get("Number"):
            return lex.organisation_heads[flemma[j]]
    return None


def _trim(b: MentionBuilder, s: int, e: int, kind: str) -> tuple[int, int, int | None]:
    """A name's tokens without what surrounds it in the NER's span: articles, honorifics
    ("M.", "Son Excellence"), a title before a person's name ("Président X", "Premier
    ministre X"), newsroom marks. Returns the start, the end and where an honorific right
    before the name starts (None when there is none)."""
    lex, f = b.lex, b.f
    pos, words, ftext = f.pos, f.words, f.ftext
    honor = None
    while s < e:
        k = lex.honorific_at(words, s, e)
        if k:
            honor, s = s, s + k
            continue
        if words[s] in lex.not_names:
            s += 1
            continue
        if kind == "person" and s + 2 < e and f"{ftext[s]} {ftext[s + 1]}" in lex.roles \
                and words[s + 2][:1].isupper():
            s += 2  # "Premier ministre Halvorsen"
            continue
        if kind == "person" and s + 1 < e and words[s + 1][:1].isupper():
            if words[s][:1].isupper() and ftext[s] in _PARTICLES:
                break  # "M. De Smedt", "Le Goff": the particle is the name's
            if ftext[s] in lex.roles:
                s += 1  # "Président Okonkwo"
                continue
        if pos[s] in ("DET", "ADP", "PUNCT"):
            s += 1
            continue
        break
    if honor is None and s > 0:
        honor = lex.honorific_before(words, s)
    while e > s and (words[e - 1].isspace() or pos[e - 1] in ("DET", "ADP", "CCONJ")
                     or b.doc[e - 1].is_punct or words[e - 1] in lex.not_names):
        e -= 1
    if honor is not None and honor + lex.honorific_at(words, honor, s) != s:
        honor = None
    return s, e, honor


def _ner_spans(b: MentionBuilder) -> list[_NerSpan]:
    """The NER's people and organisations that may be actors, trimmed to their names:
    token start and end, kind, the token of an honorific right before ("M."), and the
    country an organisation's name holds ("Banque de France"). The words around a name
    correct the NER's label ("du général X" is a person, "la compagnie aérienne X" a
    company), and a name seen with a kind keeps it in the rest of the article."""
    span_text = b.f.span_text
    found: list[_NerSpan] = []
    later: list[tuple[int, int]] = []  # places and other names of no known kind, read last
    kinds: dict[str, str] = {}  # name -> kind, from the names whose kind is known
    covered = 0  # tokens before this one belong to a name already read
    people = {ent.start: ent.end for ent in b.ents if ent.label_ == "PER"}
    for ent, label in _joined_ents(b):
        if label not in ("PER", "ORG", "LOC", "MISC"):
            continue
        for s, e in _pieces(b, ent):
            if s < covered:
                continue
            covered = e
            sure = True
            if label in ("PER", "MISC"):
                longer = _name_rest(b, e, people)
                if longer > e and (label == "PER" or _context_kind(b, s, longer, label) == "person"):
                    e = covered = longer  # "Samir" + "Haddadi", cut by the NER or the sentence splitter
            kind = _context_kind(b, s, e, label)
            if kind is None:
                kind, sure = _NER_KINDS.get(label), False
            if kind is None:
                later.append((s, e))
                continue
            got = _ner_span(b, s, e, kind, sure=sure)
            if got is not None:
                found.append(got)
                kinds.setdefault(clean_name(span_text(got[0], got[1])), kind)
    surnames = {span_text(e - 1, e) for s, e, kind, _, _ in found if kind == "person" and e - s > 1}
    surnames |= {a.id.split()[-1] for a in b.res.actors.values() if a.kind == "person" and " " in a.id}
    for k, (s, e, kind, honor, home) in enumerate(found):
        if e - s == 1 and kind == "organisation" and span_text(s, e) in surnames:
            found[k] = (s, e, "person", honor, None)  # "Jean Dupont … Dupont": a surname
    for s, e in later:
        # "indique Terra Viva": a place or other name for the NER, but the article has
        # already said what it is.
        kind = kinds.get(clean_name(span_text(*_trim(b, s, e, "organisation")[:2])))
        got = _ner_span(b, s, e, kind, sure=True) if kind is not None else None
        if got is not None:
            found.append(got)
    found.sort()
    return found


def _name_rest(b: MentionBuilder, e: int, people: dict[int, int]) -> int:
    """Where a person's name that the NER ends at ``e`` really ends: one more capitalised
    word right after it, on the same line and with no punctuation between ("Samir" +
    "Haddadi"), two when the first is a particle ("… bin Saad" + "Al Nouri"), or the
    whole of a person's name that starts there (``people``: start -> end of the NER's
    people)."""
    f, lex = b.f, b.lex
    end = e
    while end < f.n and end - e < 2 and b.doc[end - 1].whitespace_ == " ":
        if end in people:
            return people[end]
        tok, w = f.toks[end], f.words[end]
        if not (w[:1].isupper() and w.isalpha()) or tok.ent_iob_ != "O" \
                or f.pos[end] not in ("PROPN", "NOUN", "X") or b.taken[end] \
                or (f.ftext[end] not in _PARTICLES and name_key(w) in lex.prefixes) \
                or f.ftext[end] in lex.demonyms or f.ftext[end] in lex.roles:
            break
        end += 1
        if f.ftext[end - 1] not in _PARTICLES:
            return end
    return e


def _ner_span(b: MentionBuilder, s: int, e: int, kind: str, *, sure: bool = False) -> _NerSpan | None:
    """One name of the NER, checked and trimmed (see :func:`_ner_spans`); ``sure`` when
    the words around it said its kind."""
    doc, lex, span_text = b.doc, b.lex, b.f.span_text
    s, e, honor = _trim(b, s, e, kind)
    if s >= e or span_text(s, e) in lex.not_names:
        return None
    home = None
    if not b.free(s, e):
        home = _inner_country(b, s, e, loose=sure) if kind != "person" else None
        if home is None:
            return None
    toks = doc[s:e]
    first = toks[0].text[:1]
    if not (first.isupper() or (first.isdigit() and kind != "person")) \
            or not any(c.isalpha() for c in span_text(s, e)):
        return None
    if all(t.is_upper or not t.is_alpha for t in toks) and any(len(t) > 5 for t in toks):
        return None  # a headline in capitals, not a name ("LA RENTREE REPORTEE")
    if kind == "person":
        if any(not (_capitalised(t) or t.text in ("-", "'", "’") or t.lower_ in _PARTICLES) for t in toks):
            return None
        if len(toks) == 1 and toks[0].pos_ not in ("PROPN", "X"):
            return None
        if len(toks) == 1 and toks[0].is_sent_start and not _seen_elsewhere(b, toks[0]):
            return None  # a capitalised word opening a sentence is not a person by itself
    elif _date_words(b, s, e):
        return None  # "Tard samedi", "4 octobre": a date the NER took for a name
    elif any(t in lex.roles for t in b.f.ftext[s + 1:e]):
        return None  # "l'agence NORPRESS.Le Président letton": a name ran into the next sentence
    elif not sure:
        if len(toks) == 1 and toks[0].pos_ not in ("PROPN", "X") and not toks[0].is_upper:
            return None
        if len(toks) == 1 and toks[0].is_sent_start and toks[0].pos_ != "PROPN":
            return None
        if fold(toks[0].text) in lex.demonyms or fold(toks[0].lemma_) in lex.country_heads:
            return None
    return (s, e, kind, honor if kind == "person" else None, home)


def _ner(b: MentionBuilder) -> list[Mention]:
    """Unknown people and organisations from the NER, merged by name variants."""
    lex, span_text = b.lex, b.f.span_text
    found = _ner_spans(b)
    # Name variants: the fullest form is the id ("Robert O'Brien" for "O'Brien").
    fulls: dict[str, str] = {}
    out: list[Mention] = []
    people = sorted({clean_name(span_text(s, e)) for s, e, k, _, _ in found if k == "person"}
                    | {a.id for a in b.res.actors.values() if a.kind == "person"}, key=len, reverse=True)
    for s, e, kind, honor, home in found:
        name = clean_name(span_text(s, e))
        aid = fulls.get(name)
        if aid is None:
            aid = name
            if kind == "person":
                parts = name.split()
                fits = [full for full in people if len(full.split()) > len(parts) and (
                    full.split()[-len(parts):] == parts or full.split()[: len(parts)] == parts)]
                if len(fits) == 1:  # two Milosevic: no merge
                    aid = fits[0]
                elif not fits:
                    seen = [x for x in fulls.values() if x != name] + [
                        a.id for a in b.res.actors.values() if a.kind == "person"]
                    aid = _same_person(b, name, seen) or aid
            if aid in lex.entries and lex.entries[aid].kind != kind and kind in _ORG_KINDS:
                aid = name  # same text as a known actor: keep the known one
            fulls[name] = aid
        known = b.res.actors.get(aid)
        if known is not None and known.kind != kind:
            aid, known = name, b.res.actors.get(name)
        if known is None and aid != name and aid in lex.entries:
            known = b.actor_for(aid)  # another spelling of a dictionary person
        actor = known or Actor(id=aid, name=aid, kind=kind, country=home)
        via = "ner" if aid == name else "coref"
        if honor is not None and b.free(honor, s):
            s = honor
        if home is not None:
            # "la Banque de France": the name is the organisation's, not a mention of France.
            b.drop(s, e)
        out.append(b.add(s, e, aid, via, actor=actor))
    return out


def _one_letter_apart(a: str, b: str) -> bool:
    """Two spellings of one name by one letter changed, added or doubled ("Dmitri" and
    "Dmitry", "Netanyahu" and "Netanyahou"), same first letter."""
    if a == b:
        return True
    if a[:1] != b[:1] or min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def _same_person(b: MentionBuilder, name: str, people: list[str]) -> str | None:
    """The id of a person named before (or of the dictionary) that ``name`` writes in
    the other order ("Abe Shinzo" for "Shinzo Abe", as East-Asian names are often
    written) or in another transliteration, one letter apart in each word ("Serguei
    Lavrov" for "Sergueï Lavrov"): None when there is none, or more than one."""
    parts = name.split()
    if len(parts) < 2:
        return None
    if len(parts) == 2:
        swapped = f"{parts[1]} {parts[0]}"
        t = b.lex.names.get(name_key(swapped))
        entry = b.lex.entries.get(t.actor_id) if t is not None else None
        if entry is not None and entry.kind == "person":
            return entry.id
        if swapped in people:
            return swapped
    key = [fold(p) for p in parts]
    found = {full for full in people if full != name and len(full.split()) == len(parts)
             and all(_one_letter_apart(x, fold(y)) for x, y in zip(key, full.split()))}
    return found.pop() if len(found) == 1 else None


def _repeated_names(b: MentionBuilder, found: list[Mention]) -> None:
    """Every other place where the text writes, as it is, the name of a person or an
    organisation that the NER found once: the NER misses some of them ("son concurrent
    européen X" after "X, plateforme de streaming")."""
    doc, text = b.doc, b.text
    names = {}
    for m in found:
        a = b.res.actors.get(m.actor_id)
        if a is None or m.via != "ner" or len(m.text) < 3 or not m.text[:1].isupper():
            continue
        if a.kind not in ("person", *_ORG_KINDS):
            continue
        names.setdefault(m.text, m.actor_id)
    for name, aid in names.items():
        for hit in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            span = doc.char_span(hit.start(), hit.end())
            if span is None or not b.free(span.start, span.end):
                continue
            b.add(span.start, span.end, aid, "coref")


def _date_words(b: MentionBuilder, s: int, e: int) -> bool:
    """Whether a name of one or two words holds a weekday or a month ("Tard samedi",
    "4 octobre", "Lundi matin"; not the short months that are names too: "Mars", "Mai")."""
    words = [w.lower() for w in b.f.words[s:e]]
    return len(words) <= 2 and any(w in WEEKDAYS or (w in MONTHS and len(w) > 4) for w in words)


def _listed_names(b: MentionBuilder) -> None:
    """The names listed in apposition to a plural head that says what they are: "ces
    entreprises, Vantor Shipping et Blue Reef Logistics, transportent…" (the NER misses
    names of several capitalised words, or reads them as a person's). The list must be
    closed by punctuation; names already found keep their actor."""
    f, lex = b.f, b.lex
    words, ftext, pos = f.words, f.ftext, f.pos
    for i in range(f.n - 3):
        if pos[i] != "NOUN" or f.flemma[i] not in lex.organisation_heads or words[i + 1] != "," \
                or "Plur" not in f.toks[i].morph.get("Number"):
            continue
        kind = lex.organisation_heads[f.flemma[i]]
        runs, j, s = [], i + 2, i + 2
        while j < f.n:
            w = words[j]
            if w[:1].isupper() or (ftext[j] in _PARTICLES and j > s and j + 1 < f.n and words[j + 1][:1].isupper()):
                j += 1
                continue
            if j == s:
                break
            runs.append((s, j))
            if ftext[j] in (",", "et") and j + 1 < f.n and words[j + 1][:1].isupper() and ftext[j + 1] not in ("et",):
                j += 1
                s = j
                continue
            break
        if len(runs) < 2 or j >= f.n or words[j] not in (",", ".", ")", ";"):
            continue
        for s, e in runs:
            if not b.free(s, e):
                m = b.res.mention_at_token(s)
                a = b.res.actors.get(m.actor_id) if m is not None else None
                if a is not None and m.via == "ner" and (m.token_start, m.token_end) == (s, e) \
                        and a.kind == "organisation":
                    a.kind = kind  # the NER's organisation, a company by the list's head
                continue
            if e - s > 6:
                continue
            name = clean_name(f.span_text(s, e))
            known = b.res.actors.get(name)
            if known is not None and known.kind != kind:
                continue
            b.add(s, e, name, "ner", actor=known or Actor(id=name, name=name, kind=kind))


def _inner_country(b: MentionBuilder, s: int, e: int, *, loose: bool = False) -> str | None:
    """The country named inside an organisation's name ("Banque de France",
    "Alliance de l'industrie de la cybersécurité de Chine"), if that is all that overlaps.
    ``loose``: the words around said it is an organisation, so the country may follow a
    name with no preposition ("le média 7 Jours Niger")."""
    doc = b.doc
    if b.taken[s] or not (_capitalised(doc[s]) or (loose and doc[s].text[:1].isdigit())):
        return None
    found = None
    for i in range(s, e):
        if not b.taken[i]:
            continue
        m = b.res.mention_at_token(i)
        if m is None or m.via != "country" or m.sector or m.token_start < s or m.token_end > e:
            return None
        if doc[m.token_start - 1].pos_ not in ("ADP", "DET") and not loose:
            return None
        found = m.actor_id
    return found


_PARTICLES = {"de", "du", "des", "van", "von", "der", "den", "la", "le", "al", "el", "bin", "ben", "da", "di", "dos"}


def _seen_elsewhere(b: MentionBuilder, tok: Token) -> bool:
    doc, text = b.doc, b.text
    for m in re.finditer(r"(?<!\w)" + re.escape(tok.text) + r"(?!\w)", text):
        if m.start() == tok.idx:
            continue
        other = doc.char_span(m.start(), m.end())
        if other is not None and not other[0].is_sent_start:
            return True
    for ent in b.ents:
        if ent.label_ == "PER" and len(ent) > 1 and tok.text in [t.text for t in ent] and not (
                ent.start <= tok.i < ent.end):
            return True
    return False


def resolve_actors(doc: Doc, lexicon: ActorLexicon | None = None, *, coref: bool = True,
                   sources: bool = True, outlet: str | None = None,
                   facts: DocFacts | None = None) -> Resolution:
    """The actors of a parsed French Doc, every mention of them in text order, and the
    cited sources (``outlet``: the article's own outlet, never a source of itself).
    ``facts``: the Doc's token facts, if already read; the Resolution keeps them."""
    lex = lexicon or default()
    b = MentionBuilder(doc, lex, facts)
    _dictionary(b)
    _sector_groups(b)
    _demonyms(b)
    _acronyms(b)
    _repeated_names(b, _ner(b))
    _listed_names(b)
    b.res.finish()
    _governments(b)
    _groups(b)
    if coref:
        corefmod.link(b)
    res = b.res
    for a in res.actors.values():
        a.mentions.sort()
    res.finish()
    if sources:
        res.cited_sources = sourcesmod.find(doc, res, lex, outlet=outlet)
    return res


__all__ = ["resolve_actors"]
