"""Quotes with speakers: direct quotes in « », “ ” or "…", and indirect speech.

Direct quotes
    Quotation marks are paired inside a paragraph; a quote left open at the end of a
    paragraph goes on in the next paragraph when that one opens with « (the French
    convention for quotes over several paragraphs). A quote cut by an incise
    (« …, a-t-il ajouté. « … ») is one quote: its text joins both parts.
    A quoted stretch is a quote from someone when it is attributed and is more than a
    label: a clause (it holds a verb) of two words or more, or a fragment of three words
    or more. Quoted titles ("le rapport intitulé "…"") are skipped.
Attribution, first that applies
    1. a speech verb right after the closing mark, after at most a short tail of the
       quoted clause ("», a déclaré M. Guo", "» devant le Parlement, a indiqué X");
    2. an incise inside the quote ("« Nous avons tout perdu, dit un habitant, … »");
    3. "selon X" or a speech verb before the quote in its sentence ("X a déclaré : « … »",
       "X a déclaré que « … »"), or at the end of the previous paragraph when that one
       ends with a colon; a narrative infinitive that opens the sentence ("Et d'ajouter :
       « … »") continues the last speaker quoted;
    4. "selon X" after the quote in its sentence ("« … », selon la même source");
    5. the subject of the clause the quote belongs to ("X a « fermement condamné … »",
       "X a ordonné « la suspension immédiate » de …");
    6. a quote that follows an attributed one with nothing but space between them.
Speaker
    The subject of the speech verb, its inverted subject ("a déclaré mardi M. Guo"), the
    antecedent of "qui", the speaker of the clause a participle continues ("…, ajoutant
    que"), the X of "selon X" or "pour X". A pronoun, a document ("le communiqué", "la
    même source") or an institution without a name ("la présidence") that the actor
    resolution left unresolved takes the last speaker, the author named in the phrase
    ("un communiqué du ministère"), or the actor an earlier phrase with the same noun
    named ("la présidence algérienne", "son entourage" after "l'entourage de X"); failing
    that, its words are the speaker's name.
    A document or source that names no author ("a précisé la source") speaks for the
    nearer of the last speaker quoted and the actor last named as the subject of a speech
    verb ("L'armée a annoncé … « … », a déclaré la source").
Indirect speech
    "X a déclaré que …", "X estime que …", "…, ajoutant que …", "X a annoncé avoir …",
    "selon X, …", "…, selon X", "pour X, …" with X a resolved actor (person,
    organisation, country or outlet) or a pronoun or document standing for one.

The speech verbs are the [speech] section of ``veille/data/modality.txt``; the nouns of
documents and institutions that speak for someone are its [speaker_document] and
[speaker_institution] sections.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..records import Article, Quote
from ..text import fold_rsquo
from . import lexicon as lexmod
from .dates import MONTHS, WEEKDAYS
from .resolution import Mention, Resolution
from .syntax import STRESSED_PRONOUNS, SUBJ, SUBJECT_PRONOUNS, actor_name, guess_infinitive, speech_key

_PAIRS = (("«", "»"), ("“", "”"), ('"', '"'))
# Single marks: an opening ' or ‘ after a space or a bracket and before a letter, closed by
# the first ' or ’ after a letter or a full stop and before a space or punctuation (an
# apostrophe stands between letters: "l'accord", "aujourd’hui").
_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘](?=[^\W\d_])"
                     r"(?:[^'’‘\n]|['’](?=[^\W\d_]))+?(?<=[\w.!?…])['’](?=[\s,.;:!?)\]»—–-]|$)", re.MULTILINE)
# Words right before a quoted title or label ("le rapport intitulé "…"", "l'opération « … »").
_TITLE_WORDS = {"intitule", "intitulee", "intitules", "intitulees", "titre", "titree", "baptise",
                "baptisee", "nomme", "nommee", "denomme", "denommee", "appele", "appelee",
                "surnomme", "surnommee", "slogan", "hashtag", "mot-cle", "livre", "film", "ouvrage",
                "emission", "operation", "programme", "projet", "roman", "album", "article", "tribune",
                "theme", "devise", "mot", "mots", "terme", "termes", "expression", "formule", "label",
                "campagne", "plan", "initiative", "sommet", "forum", "festival", "exercice", "exercices",
                "manoeuvres", "mission", "doctrine", "strategie", "accord", "traite", "pacte", "loi",
                "rubrique", "chronique", "serie", "chanson", "pancarte", "pancartes", "banderole",
                "banderoles", "ecriteau", "plaque", "compte", "site", "page", "journal", "quotidien",
                "hebdomadaire", "magazine", "revue"}
_MAX_QUOTE = 4000
_POSSESSIVES = {"son", "sa", "ses", "leur", "leurs"}
_QUE = {"que", "qu'", "qu’"}
# Nouns of time that hang after a verb like an inverted subject ("a déclaré ce lundi").
_TIME_WORDS = {"jour", "soir", "matin", "semaine", "mois", "an", "annee", "heure", "fois", "veille",
               "lendemain", "week-end", "apres-midi", "debut", "fin", "nuit", "passe", "dernier",
               *(fold_rsquo(w) for w in WEEKDAYS), *(fold_rsquo(w) for w in MONTHS)}
# Relations of a participle or infinitive that continues the clause of a speech verb
# ("…, ajoutant que", "le porte-parole, précisant que"; the parser sometimes hangs such a
# participle as an adverb: "X a saisi la Cour, arguant que").
_CONTINUING = ("advcl", "conj", "acl", "advmod")
# Words before "selon" that leave it opening its clause ("Toujours selon cette source, …").
_LEADS = {"toujours", "et", "mais", "d'", "d’", "encore", "aussi", "enfin", "or"}


@dataclass
class _Raw:
    start: int  # offset of the first character inside the marks
    end: int  # offset just after the last character inside the marks
    open_at: int  # offset of the opening mark
    close_at: int  # offset after the closing mark (or paragraph end)


@dataclass
class _Who:
    """A speaker: an actor mention when known, and a name to show."""

    mention: Mention | None
    name: str | None
    actor: str | None = None  # set when resolved through another phrase (no own mention)
    proper: bool = False  # the name is a proper name the resolution did not know ("Alger")

    @property
    def actor_id(self) -> str | None:
        return self.mention.actor_id if self.mention is not None else self.actor


def _paragraph_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j == -1 else j


def _paragraph_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _next_paragraph(text: str, i: int) -> int | None:
    """Offset of the first non-space character of the paragraph after offset ``i``."""
    j = _paragraph_end(text, i)
    while j < len(text) and text[j].isspace():
        j += 1
    return j if j < len(text) else None


def find_quoted(text: str) -> list[_Raw]:
    """Stretches of ``text`` between quotation marks, in order (not yet judged)."""
    found: list[_Raw] = []
    taken = [False] * len(text)
    for open_mark, close_mark in _PAIRS:
        i = 0
        while True:
            i = text.find(open_mark, i)
            if i == -1:
                break
            if taken[i]:
                i += 1
                continue
            par_end = _paragraph_end(text, i)
            close = text.find(close_mark, i + 1)
            if close != -1 and close < par_end:
                raw = _Raw(i + 1, close, i, close + 1)
            elif open_mark == "«":
                raw = _multi_paragraph(text, i, par_end)
            else:
                raw = None
            if raw is None or raw.end - raw.start > _MAX_QUOTE or raw.end <= raw.start:
                i += 1
                continue
            if any(taken[raw.open_at:raw.close_at]):
                i += 1
                continue
            for k in range(raw.open_at, min(raw.close_at, len(text))):
                taken[k] = True
            found.append(raw)
            i = raw.close_at
    for m in _SINGLE.finditer(text):
        # 'single marks' (‘…’ or '…'), told from apostrophes by what stands around them
        a, b = m.start(), m.end()
        if "\n" in m.group(0) or any(taken[a:b]) or b - a > _MAX_QUOTE:
            continue
        for k in range(a, b):
            taken[k] = True
        found.append(_Raw(a + 1, b - 1, a, b))
    found.sort(key=lambda r: r.open_at)
    return found


def _multi_paragraph(text: str, i: int, par_end: int) -> _Raw | None:
    """A « left open at the end of its paragraph: follow paragraphs opening with «."""
    end = par_end
    while True:
        nxt = _next_paragraph(text, end)
        if nxt is None or text[nxt] != "«":
            # Unclosed: the quote ends with its paragraph.
            stop = end
            while stop > i and text[stop - 1].isspace():
                stop -= 1
            return _Raw(i + 1, stop, i, stop)
        close = text.find("»", nxt + 1)
        nend = _paragraph_end(text, nxt)
        if close != -1 and close < nend:
            return _Raw(i + 1, close, i, close + 1)
        end = nend


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "«»“”\""):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "«»“”\""):
        end -= 1
    return start, end


def _first_of_group(verb: Token) -> Token:
    """The first word of a verb group: its auxiliary, "s'", "ne" or adverb before it."""
    return min([verb] + [c for c in verb.children if (c.dep_.startswith("aux") or c.dep_.startswith("expl")
                                                      or c.dep_ == "advmod") and c.i < verb.i],
               key=lambda t: t.i)


def _in_incise(verb: Token) -> bool:
    """The verb group opens an incise: after a comma, a closing mark, a dash or a break."""
    first = _first_of_group(verb)
    if first.i == 0:
        return False
    prev = verb.doc[first.i - 1]
    return prev.text in (",", "»", "”", '"', "(", "—", "–", "-") or prev.is_space


def _after_quote(verb: Token) -> bool:
    """The verb group opens an incise right after a quote: "« … », a affirmé X"."""
    first = _first_of_group(verb)
    doc = verb.doc
    return first.i >= 2 and doc[first.i - 1].text == "," and doc[first.i - 2].text in ("»", "”", '"')


class _Ctx:
    """One article's parse, resolution and word lists, and the quotes attributed so far."""

    def __init__(self, doc: Doc, resolution: Resolution, lex: lexmod.Lexicon):
        self.doc, self.res, self.lex = doc, resolution, lex
        self.f = resolution.facts_for(doc)
        self.text = self.f.text
        words = lex.words
        self.speech = words.get("speech", set())
        self.incise = words.get("speech_incise", set())
        self.judgement = words.get("speech_judgement", set())
        self.infinitive = words.get("speech_infinitive", set())
        self.documents = words.get("speaker_document", set()) | words.get("speaker_statement", set())
        self.functions = words.get("speaker_function", set())
        self.outlets = words.get("speaker_outlet", set())
        self.outlet_people = words.get("outlet_people", set())
        self.quotes: list[Quote] = []  # direct quotes attributed so far, in text order
        self._speech: dict[int, str | None] = {}
        self._last_at: dict[str, int] = {}  # where last_person found its person named
        self.current: tuple[int, int] = (0, 0)  # the span of the quote being attributed

    # ------------------------------------------------------------------ words
    def speech_key(self, token: Token) -> str | None:
        """The [speech] entry ``token`` is a form of, if any (read once per token)."""
        i = token.i
        if i not in self._speech:
            self._speech[i] = self._speech_key(token)
        return self._speech[i]

    def is_speech(self, token: Token) -> bool:
        return self.speech_key(token) is not None

    def _speech_key(self, token: Token) -> str | None:
        return speech_key(token, self.speech, self.f.lemma_key[token.i])

    def is_incise_verb(self, token: Token) -> bool:
        """A verb of the [speech_incise] list ("», s'est exprimé X")."""
        if token.pos_ not in ("VERB", "AUX", "X"):
            return False
        key = self.f.lemma_key[token.i]
        return key in self.incise or guess_infinitive(fold_rsquo(token.lower_)) in self.incise

    def noun_key(self, tok: Token) -> str:
        return self.f.lemma_key[tok.i]

    # ------------------------------------------------------------------ speakers
    def mention_for(self, tok: Token) -> Mention | None:
        """The actor a speaker's phrase names: its own mention, a name in apposition ("le
        porte-parole, Anne Martin"), or the complement of a function or document ("le
        porte-parole du Kremlin"); not any actor named somewhere in the phrase."""
        res = self.res
        m = res.mention_at_token(tok.i)
        if m is not None:
            return m
        # names first ("le ministre algérien, Ramdane X"), then a nationality ("le ministère russe")
        for c in sorted(tok.children, key=lambda c: c.dep_ == "amod"):
            if c.dep_ in ("appos", "flat:name", "flat", "compound") or (
                    c.dep_ == "amod" and c.pos_ in ("ADJ", "PROPN")) or (
                    c.dep_ == "conj" and c.pos_ == "PROPN" and c.i > 0 and self.doc[c.i - 1].text == ","
                    and not any(g.dep_ == "cc" for g in c.children)):  # "le leader du parti, X,"
                m = res.mention_at_token(c.i)
                if m is None and c.dep_ == "appos":
                    m = next((res.mention_at_token(g.i) for g in c.children if g.dep_ in ("flat:name", "flat", "appos")
                              and res.mention_at_token(g.i) is not None), None)
                if m is not None:
                    return m
        key = self.noun_key(tok)
        if key in self.functions or key in self.documents:
            for c in tok.children:
                if c.dep_ == "nmod" and c.i > tok.i:
                    m = self.mention_for(c)
                    if m is not None:
                        return m
        return None

    def who(self, tok: Token, *, before: int) -> _Who | None:
        """The speaker the phrase headed by ``tok`` stands for (see the module docs)."""
        res = self.res
        low = tok.lower_
        if low == "-t":
            return None
        m = self.mention_for(tok)
        if m is not None:
            return _Who(m, actor_name(m, res))
        if low == "qui" and tok.head.dep_ == "acl:relcl" and tok.head.head.i != tok.head.i:
            return self.who(tok.head.head, before=before)
        bare = low.lstrip("-").removeprefix("t-")
        if bare in SUBJECT_PRONOUNS and tok.dep_ in SUBJ + ("expl:comp", "flat:name", "dep"):
            return self.recent_speaker(tok, before)
        if bare in SUBJECT_PRONOUNS or bare in STRESSED_PRONOUNS:
            # "selon lui": the speaker last quoted, else the person last named
            return self.last_speaker(before) or self.last_person(tok)
        if tok.pos_ not in ("NOUN", "PROPN") and not (tok.text[:1].isupper() and tok.pos_ in ("X", "NUM", "ADJ")):
            return None
        words = _np_words(tok)
        name = self.f.span_text(words[0].i, words[-1].i + 1) if words else tok.text
        if tok.pos_ != "NOUN":
            return _Who(None, name, proper=True)
        key = self.noun_key(tok)
        if key in self.documents:
            inner = self.mention_inside(tok)
            if inner is not None:
                return _Who(None, name, inner.actor_id)
            author = self.document_author(before)
            return _Who(None, name, author)
        if key in self.outlets:
            # "des journalistes de l'AFP", "l'agence de presse" (the outlet last named)
            inner = self.mention_inside(tok, outlets=True)
            media = inner.actor_id if inner is not None else self.last_outlet(tok.i)
            if media is not None:
                return _Who(None, name, media)
        if key in self.functions:
            inner = self.mention_inside(tok)
            if inner is not None:
                return _Who(None, name, inner.actor_id)
            left = self.named_before(words[0].i if words else tok.i)
            if left is not None:
                return _Who(left, actor_name(left, res))
            same = self.earlier_with(key, tok)
            if same is not None:
                return _Who(None, same.name or name, same.actor)
            if any(c.dep_ == "det" and fold_rsquo(c.text) in _POSSESSIVES for c in tok.children):
                owner = self.last_actor(tok.i)
                if owner is not None:
                    return _Who(None, name, owner)
        return _Who(None, name)

    def named_before(self, i: int) -> Mention | None:
        """A name right before the phrase starting at token ``i``, of which the phrase is an
        apposition: "Jean Dupont, le ministre, a indiqué" (the parser often splits them)."""
        if i < 2 or self.f.words[i - 1] != ",":
            return None
        m = self.res.mention_at_token(i - 2)
        if m is None or m.token_end != i - 1:
            return None
        a = self.res.actors.get(m.actor_id)
        return m if a is not None and a.kind == "person" else None

    def mention_inside(self, tok: Token, *, outlets: bool = False) -> Mention | None:
        """An actor named inside the phrase: "un communiqué du ministère", "un communiqué
        signé du porte-parole X" (``outlets``: an outlet, "des journalistes de l'AFP")."""
        for t in tok.subtree:
            if t.i == tok.i or abs(t.i - tok.i) > 12 or t.dep_ == "acl:relcl":
                continue
            m = self.res.mention_at_token(t.i)
            if m is not None:
                a = self.res.actors.get(m.actor_id)
                if a is not None and (a.kind == "media") == outlets:
                    return m
        return None

    def last_speaker(self, before: int) -> _Who | None:
        """The speaker of the last direct quote before offset ``before``, in this or the
        three previous paragraphs."""
        floor = _paragraph_floor(self.text, before, 3)
        for q in reversed(self.quotes):
            if q.span[0] >= before:
                continue
            if q.span[1] < floor:
                break
            if q.speaker is not None:
                return _Who(None, q.speaker_name, q.speaker)
        return None

    def document_author(self, before: int) -> str | None:
        """For a document or source that does not name its author ("le communiqué", "la
        même source"): whichever comes later, the speaker last quoted (with a known actor)
        in this or the three previous paragraphs, or the actor last named as the subject
        of a speech verb in this or the previous paragraph, outside quotes ("L'armée a
        annoncé … « … », a déclaré la source")."""
        quoted = None
        for q in reversed(self.quotes):
            if q.span[0] < before and q.speaker is not None:
                quoted = q
                break
        if quoted is not None and quoted.span[1] < _paragraph_floor(self.text, before, 3):
            quoted = None
        floor = _paragraph_floor(self.text, before, 1)
        said = None
        for m in self.res.mentions:
            if m.start >= before:
                break
            if m.start < floor or self.in_quote(m.start):
                continue
            a = self.res.actors.get(m.actor_id)
            if a is None or a.kind == "media":
                continue
            h = next((t for t in self.f.toks[m.token_start:m.token_end]
                      if not m.token_start <= t.head.i < m.token_end or t.head.i == t.i), None)
            for _ in range(4):
                if h is not None and h.dep_ in ("nsubj", "flat:name", "flat", "appos", "fixed", "amod", "nmod") \
                        and h.dep_ != "nsubj" and h.head.i != h.i:
                    h = h.head
                else:
                    break
            if h is not None and h.dep_ == "nsubj" and h.head.i > h.i and self.is_speech(h.head):
                said = m
        if said is not None and (quoted is None or said.start > quoted.span[0]):
            return said.actor_id
        return quoted.speaker if quoted is not None else None

    def _mentions_before(self, tok_i: int):
        res = self.res
        for m in res.mentions:
            if m.token_end > tok_i:
                break
            yield m, res.actors.get(m.actor_id)

    def last_outlet(self, tok_i: int) -> str | None:
        """The last outlet named before token ``tok_i`` ("l'agence de presse", "le quotidien")."""
        best = None
        for m, a in self._mentions_before(tok_i):
            if a is not None and a.kind == "media":
                best = m.actor_id
        return best

    def recent_speaker(self, tok: Token, before: int) -> _Who | None:
        """For a pronoun the actor resolution left open: the speaker last quoted or the person
        last named nearby, whichever comes later (see :meth:`last_person`)."""
        quoted = None
        for q in reversed(self.quotes):
            if q.span[0] < before and q.speaker is not None:
                quoted = q
                break
        person = self.last_person(tok)
        if quoted is not None and quoted.span[1] >= _paragraph_floor(self.text, before, 3) and (
                person is None or person.actor is None or quoted.span[0] > self._last_at.get(person.actor, -1)):
            return _Who(None, quoted.speaker_name, quoted.speaker)
        return person

    def last_person(self, tok: Token) -> _Who | None:
        """For a pronoun the actor resolution left open: the last person named as a speaker
        (subject, or "selon X", "pour X") in this or the two previous sentences, else the last
        person named as a subject before; names inside quotes do not count."""
        lo = self.f.sents[max(0, self.f.sent_of[tok.i] - 2)].start_char
        near = subject = None
        at: dict[str, int] = {}
        for m, a in self._mentions_before(tok.i):
            if m.via == "pronoun" or a is None or a.kind != "person" or self.in_quote(m.start):
                continue
            role = self.role_of(m)
            if role is None:
                continue
            at[a.id] = m.start
            if m.start >= lo:
                near = a
            if role == "subject":
                subject = a
        best = near or subject
        if best is None:
            return None
        self._last_at[best.id] = at[best.id]
        return _Who(None, best.name, best.id)

    def role_of(self, m: Mention) -> str | None:
        """Whether a mention names a speaker: "subject" (or its apposition), "selon" ("selon
        X", "pour X"), else None."""
        h = self.f.toks[m.token_start]
        for _ in range(3):
            if h.dep_ in ("nsubj", "nsubj:pass"):
                return "subject"
            if any(c.dep_ == "case" and (self.lex.has("attribution", c.text) or c.lower_ == "pour")
                   for c in h.children):
                return "selon"
            if h.dep_ not in ("flat:name", "flat", "appos", "fixed") or h.head.i == h.i:
                return None
            h = h.head
        return None

    def in_quote(self, offset: int) -> bool:
        """Whether ``offset`` lies in a quote kept so far or in the one being attributed."""
        return self.current[0] <= offset < self.current[1] or any(q.span[0] <= offset < q.span[1]
                                                                  for q in self.quotes)

    def last_actor(self, tok_i: int) -> str | None:
        """The actor last named in the sentence of token ``tok_i`` or the previous one (the
        owner of "sa porte-parole"): an organisation or a person first, a country named as
        such (not by an adjective) else."""
        lo = self.f.sents[max(0, self.f.sent_of[tok_i] - 1)].start_char
        best = country = None
        for m, a in self._mentions_before(tok_i):
            if m.start < lo or a is None or a.kind == "media" or m.text[:1].islower():
                continue
            if a.kind == "country":
                country = m.actor_id
            else:
                best = m.actor_id
        return best or country

    def earlier_with(self, key: str, tok: Token) -> _Who | None:
        """The speaker an earlier phrase with the same noun named: the last quote's speaker
        named so ("sa porte-parole" after "une porte-parole de la fédération"), else the
        actor of the last mention holding the noun ("la présidence" after "la présidence
        algérienne")."""
        for q in reversed(self.quotes):
            if q.span[0] < tok.idx and q.speaker_name and \
                    key in fold_rsquo(q.speaker_name).replace("'", " ").split():
                return _Who(None, q.speaker_name, q.speaker)
        best = None
        for m, _a in self._mentions_before(tok.i):
            if key in fold_rsquo(m.text).replace("'", " ").split():
                best = m
        if best is None:
            # "son entourage" after "l'entourage d'Emmanuel Macron": the earlier phrase with
            # that head, whose complement names the actor
            for t in reversed(self.doc[self.f.sents[max(0, self.f.sent_of[tok.i] - 3)].start: tok.i]):
                if t.pos_ == "NOUN" and not self.in_quote(t.idx) and self.noun_key(t) == key:
                    best = self.mention_for(t)
                    break
        return _Who(None, None, best.actor_id) if best is not None else None

    def speaker_of_verb(self, verb: Token, *, exclude: tuple[int, int] | None = None,
                        depth: int = 0) -> _Who | None:
        """Who says what ``verb`` introduces: its subject, inverted or not, the antecedent
        of "qui", or the speaker of the clause a participle continues. ``exclude``: the
        span of the quote, whose words are not the speaker."""
        def inside(t: Token) -> bool:
            return exclude is not None and exclude[0] <= t.idx < exclude[1]
        kids = [c for c in verb.children if not inside(c)]
        subs = [c for c in kids if c.dep_ in SUBJ and c.lower_ != "-t"]
        # "a-t-il ajouté": "-t" may be the subject, with the pronoun after it
        subs += [self.doc[c.i + 1] for c in kids if c.lower_ == "-t" and c.i + 1 < len(self.doc)
                 and self.doc[c.i + 1].lower_.startswith("-")]
        # "a-t-il ajouté": the pronoun may hang as expl:comp after a "-t" subject
        subs += [c for c in kids if c.dep_.startswith("expl") and c.lower_.startswith("-") and c not in subs]
        real = [c for c in subs if not (c.dep_ == "expl:subj" and not c.lower_.startswith("-"))
                and not any(g.dep_ == "case" for g in c.children)]  # "au Niger a indiqué X": no subject
        if exclude is not None and verb.idx >= exclude[1]:
            # "« … », a affirmé X": after the quote the subject follows the verb; a subject
            # before the quote is the parser's mistake (the quoted clause's own subject).
            real = [c for c in real if c.idx > exclude[0]]
        if real and _after_quote(verb) and all(c.i < verb.i for c in real) \
                and not any(c.lower_.startswith("-") for c in real):
            # The same mistake when the verb is reached from a participle ("…, assurant
            # que"): an actor after the verb is the subject (not after an inverted
            # pronoun: "», a-t-il déclaré, selon l'agence X" is his).
            w = self._inverted(verb, inside)
            if w is not None and w.actor_id is not None:
                return w
        for c in sorted(real, key=lambda t: t.dep_ == "expl:subj"):
            w = self.who(c, before=verb.idx)
            if w is not None:
                return w
        if real:
            return None
        # "a déclaré mardi M. Guo": the inverted subject is often parsed as an object or
        # hangs on an adverbial ("a déclaré pour sa part X").
        w = self._inverted(verb, inside)
        if w is not None:
            return w
        if verb.dep_ != "conj" and ("Fin" in verb.morph.get("VerbForm") or any(
                c.dep_.startswith("aux") and "Fin" in c.morph.get("VerbForm") for c in verb.children)):
            # a finite verb the parser left without a subject: "Interrogé mardi, X, le
            # ministre, a indiqué que" (the name hangs on the participle)
            w = self._subject_on_left(verb, inside)
            if w is not None:
                return w
        if depth >= 3 or verb.head.i == verb.i:
            return None
        form = verb.morph.get("VerbForm")
        if not (verb.dep_ in ("conj", "xcomp") or (verb.dep_ in _CONTINUING and (
                "Part" in form or "Ger" in form or "Inf" in form))):
            return None
        # "…, ajoutant que": the speaker of the clause the participle continues, the
        # nearest speech verb above first; "le porte-parole, ajoutant que": the noun.
        up = verb.head
        if up.pos_ in ("NOUN", "PROPN") and verb.dep_ == "acl":
            w = self.who(up, before=verb.idx)
            if w is not None and w.actor_id is not None:
                return w
            if up.head.i == up.i:
                return None
            up = up.head
        hops = 0
        while hops < 4 and not self.is_speech(up) and up.dep_ in ("ccomp", "advcl", "conj", "parataxis", "xcomp") \
                and up.head.i != up.i:
            up = up.head
            hops += 1
        target = up if self.is_speech(up) else verb.head
        return self.speaker_of_verb(target, exclude=exclude, depth=depth + 1)

    def _subject_on_left(self, verb: Token, inside) -> _Who | None:
        """The actor named right before the verb group, past an apposition between commas."""
        f = self.f
        j = _first_of_group(verb).i - 1
        commas = 0
        while j >= 0 and j > verb.i - 14:
            w = f.words[j]
            if w in (".", "!", "?", ";", ":", "«", "»") or "\n" in w or f.lower[j] in ("que", "qu'", "qu’"):
                return None
            if w == ",":
                commas += 1
                if commas > 2:
                    return None
            m = self.res.mention_at_token(j)
            if m is not None and not inside(f.toks[j]):
                h = f.toks[m.token_start]
                while h.dep_ in ("flat:name", "flat", "fixed") and h.head.i != h.i:
                    h = h.head
                if any(x.dep_ == "acl:relcl" for x in [h, *list(h.ancestors)[:5]] if x.i < verb.i):
                    j = m.token_start - 1  # inside a relative clause: "X, dont l'UE conteste …,"
                    continue
                if any(g.dep_ == "case" for g in h.children):
                    return None
                a = self.res.actors.get(m.actor_id)
                if a is not None and a.kind != "media":
                    return _Who(m, actor_name(m, self.res))
                return None
            j -= 1
        return None

    def _inverted(self, verb: Token, inside) -> _Who | None:
        """An inverted subject the parser hung elsewhere: a name or a noun after the verb
        (not behind a preposition, not a date), or the first actor named in the incise."""
        f = self.f
        nouns: list[_Who] = []
        for c in verb.children:
            if c.dep_ in ("obj", "nsubj:pass", "obl:agent", "obl:mod", "obl:arg", "nmod") and c.i > verb.i \
                    and not inside(c) and c.pos_ in ("PROPN", "NOUN", "PRON") \
                    and not any(g.dep_ == "case" for g in c.children) and f.lemma_key[c.i] not in _TIME_WORDS:
                w = self.who(c, before=verb.idx)
                if w is None:
                    continue
                if w.actor_id is not None or c.pos_ == "PROPN":
                    return w
                if c.dep_ != "obj" or _in_incise(verb):
                    nouns.append(w)
        if not _in_incise(verb):
            return None
        for j in range(verb.i + 1, min(len(self.doc), verb.i + 12)):
            w = f.words[j]
            if w in (".", "!", "?", ";", ":", "«", "»", "\"", "“", "”") or "\n" in w:
                break
            if f.lower[j] in ("qui", "que", "qu'", "qu’", "dont") or (
                    w == "," and j > verb.i + 1 and self.res.mention_at_token(j - 1)):
                break
            m = self.res.mention_at_token(j)
            if m is None:
                continue
            h = f.toks[j]
            while h.dep_ in ("flat:name", "flat", "fixed") and h.head.i != h.i:
                h = h.head
            if any(g.dep_ == "case" for g in h.children):
                continue  # "a indiqué à l'AFP un responsable"
            return _Who(m, actor_name(m, self.res))
        return nouns[0] if nouns else None

    def stands_for_country(self, who: _Who) -> bool:
        """The speaker is a country named as such (not a person, an institution's phrase
        or a document): its opinion verbs state a position rather than report speech."""
        a = self.res.actors.get(who.actor_id) if who.actor_id else None
        return a is not None and a.kind == "country" and who.mention is not None and not who.mention.sector

    def is_outlet(self, who: _Who) -> bool:
        """An outlet reporting ("le Wall Street Journal rapporte que"): a cited source, not
        a speaker (its journalists, named as such, do speak)."""
        a = self.res.actors.get(who.actor_id) if who.actor_id else None
        return a is not None and a.kind == "media" and who.mention is not None and who.mention.actor_id == a.id

    def is_people(self, who: _Who) -> bool:
        """A country named by its people ("les Américains"): not an institution speaking."""
        m = who.mention
        if m is None or m.via != "country" or m.sector:
            return False
        a = self.res.actors.get(m.actor_id)
        if a is None or a.kind != "country":
            return False
        head = self.doc[m.token_end - 1]
        return head.pos_ == "NOUN" and head.text[:1].isupper() and "Plur" in head.morph.get("Number")


def _np_words(tok: Token) -> list[Token]:
    """The noun phrase of ``tok`` without clauses, as a contiguous list of tokens."""
    keep = {tok.i}
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in ("det", "amod", "nmod", "case", "flat:name", "flat", "appos", "fixed", "compound", "nummod") \
                    and abs(c.i - tok.i) < 10:
                keep.add(c.i)
                stack.append(c)
    lo = hi = tok.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    doc = tok.doc
    words = [doc[i] for i in range(lo, hi + 1)]
    while words and (words[-1].is_punct or words[-1].is_space or words[-1].pos_ in ("ADP", "CCONJ", "DET")):
        words.pop()
    while words and (words[0].is_punct or words[0].is_space or words[0].pos_ in ("ADP", "CCONJ")):
        words.pop(0)
    if any(w.is_space or "\n" in w.text for w in words):
        words = words[:next(k for k, w in enumerate(words) if w.is_space or "\n" in w.text)]
    return words


def _paragraph_floor(text: str, at: int, back: int) -> int:
    """The offset where the paragraph ``back`` paragraphs before the one of ``at`` starts."""
    i = at
    for _ in range(back + 1):
        j = text.rfind("\n", 0, i)
        if j <= 0:
            return 0
        i = j
        while i > 0 and text[i - 1] == "\n":
            i -= 1
    return i


def extract(doc: Doc, resolution: Resolution, article: Article | None = None, *,
            lexicon: lexmod.Lexicon | None = None) -> list[Quote]:
    """The quotes of one parsed article, direct and indirect, in text order."""
    lex = lexicon or lexmod.default()
    ctx = _Ctx(doc, resolution, lex)
    text = ctx.text
    direct_spans: list[tuple[int, int]] = []
    pending_end = -1
    pending: Quote | None = None  # a quote just closed by an incise, open to a continuation
    last: Quote | None = None
    last_close = -1
    raws = find_quoted(text)
    for k, raw in enumerate(raws):
        start, end = _strip(text, raw.start, raw.end)
        if end - start < 2:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        words = [t for t in span if not t.is_punct and not t.is_space]
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in span)
        if _is_title(ctx, raw.open_at):
            continue
        if len(words) < 2 or (not has_verb and (len(words) < 3 or _is_name(words))):
            continue  # a label or a scare quote
        # A continuation of the quote just attributed: « …, a-t-il ajouté. « … »
        if pending is not None and _only_incise_between(ctx, pending_end, raw.open_at) \
                and _incise_after(ctx, raw) is None:
            pending.text = pending.text + " " + text[start:end]
            pending.span = (pending.span[0], end)
            direct_spans.append((raw.open_at, raw.close_at))
            pending_end = raw.close_at
            continue
        pending = None
        who, how = _attribute(ctx, raw, span)
        if who is None and k + 1 < len(raws) and _same_sentence(text, raw.close_at, raws[k + 1].open_at):
            # « A », …, et « B », a déclaré X: the incise after the next quote of the sentence
            inc = _incise_after(ctx, raws[k + 1])
            if inc is not None and inc[1] is not None:
                who, how = inc[1], "next"
        if who is None and last is not None and has_verb and _adjacent(text, last_close, raw.open_at):
            who, how = _Who(None, last.speaker_name, last.speaker), "next"
        if who is None or (who.actor_id is None and not who.name):
            continue
        if not has_verb and who.actor_id is None and not who.proper:
            continue  # a fragment needs a speaker the text names: "« deux poids » selon certains"
        q = Quote(text=text[start:end], span=(start, end), speaker=who.actor_id, speaker_name=who.name,
                  direct=True, speaker_span=(who.mention.start, who.mention.end) if who.mention else None)
        ctx.quotes.append(q)
        direct_spans.append((raw.open_at, raw.close_at))
        last, last_close = q, raw.close_at
        if how == "after":
            pending, pending_end = q, raw.close_at
    out = ctx.quotes + _indirect(ctx, direct_spans)
    out.sort(key=lambda q: q.span[0])
    return out


def _is_name(words: list[Token]) -> bool:
    """A fragment of capitalised words only: a name or a title, not speech."""
    content = [t for t in words if t.pos_ not in ("ADP", "DET", "CCONJ")]
    return bool(content) and all(t.text[:1].isupper() or t.like_num for t in content)


def _same_sentence(text: str, a: int, b: int) -> bool:
    """No full stop nor paragraph break between offsets ``a`` and ``b``."""
    gap = text[a:b]
    return len(gap) < 300 and not any(c in gap for c in ".!?\n")


def _adjacent(text: str, a: int, b: int) -> bool:
    """Only spaces between two offsets, across one paragraph break at most."""
    gap = text[a:b] if 0 <= a <= b else "x"
    return gap.strip() == "" and gap.count("\n") <= 2


def _is_title(ctx: _Ctx, open_at: int) -> bool:
    """A quoted title or label: "le rapport intitulé "…"", "l'opération « … »"."""
    text = ctx.text
    j = open_at
    while j > 0 and text[j - 1] == " ":
        j -= 1
    if j == 0 or not (text[j - 1].isalpha() or text[j - 1] in "'’"):
        return False  # after a colon, a comma or a break: speech, not a title
    before = ctx.doc.char_span(max(0, open_at - 40), open_at, alignment_mode="contract")
    if before is None:
        return False
    toks = [t for t in before if not t.is_punct][-2:]
    return any(fold_rsquo(t.text) in _TITLE_WORDS for t in toks[-1:]) or \
        any(fold_rsquo(t.text) in _TITLE_WORDS and t.pos_ == "VERB" for t in toks)


def _incise_after(ctx: _Ctx, raw: _Raw) -> tuple[Token, _Who | None] | None:
    """A speech verb right after the closing mark: "», a déclaré X" / "», a-t-il ajouté",
    or after a short tail of the quoted clause ("» devant le Parlement, a indiqué X")."""
    doc, f = ctx.doc, ctx.f
    after = doc.char_span(raw.close_at, min(len(ctx.text), raw.close_at + 200), alignment_mode="contract")
    if after is None:
        return None
    seen = tail = 0  # words since the closing mark or the last comma; words of the tail before
    for t in after:
        if t.text in ".!?;" or "\n" in t.text or t.text in "«“" or (t.text == '"' and seen + tail > 0):
            return None
        if t.is_punct or t.is_space:
            if t.text in (",", "—", "–") and seen > 0:
                # a tail of the quoted clause: "» dans la capitale, a indiqué X"
                tail += seen
                seen = 0
            continue
        seen += 1
        if tail + seen > 14:
            return None
        if seen <= 4 and (ctx.is_speech(t) or ctx.is_incise_verb(t)) and (seen <= 3 or t.pos_ == "VERB") \
                and not t.lower_.endswith("ant"):  # a participle ("…, lui reprochant") is no incise
            if tail and any(f.pos[j] == "VERB" and not ctx.is_speech(f.toks[j])
                            for j in range(after[0].i, t.i)):
                return None  # the tail is a clause of its own
            return t, ctx.speaker_of_verb(t, exclude=(raw.open_at, raw.close_at))
    return None


def _only_incise_between(ctx: _Ctx, a: int, b: int) -> bool:
    """Between two quotes, only an incise: ", a-t-il ajouté." or ", poursuit le ministre :"."""
    gap = ctx.text[a:b]
    if len(gap) > 160 or not gap.strip():
        return len(gap.strip()) == 0 and len(gap) < 5
    return bool(re.match(r"^[\s,]*[^.!?«»\"\n]{0,120}[.:,]?\s*$", gap)) and any(
        ctx.is_speech(t) or ctx.is_incise_verb(t) for t in (ctx.doc.char_span(a, b, alignment_mode="contract") or []))


def _attribute(ctx: _Ctx, raw: _Raw, span) -> tuple[_Who | None, str | None]:
    """Who said it, and how we know (see the module docs for the order)."""
    ctx.current = (raw.open_at, raw.close_at)
    inc = _incise_after(ctx, raw)
    if inc is not None:
        _verb, who = inc
        if who is None:
            who = ctx.last_speaker(raw.open_at)
        return who, ("after" if who is not None else None)
    # An incise inside the quote: « …, dit un habitant, … »
    for t in span[1:-2]:
        if not ctx.is_speech(t) or t.lower_.endswith("ant"):
            continue  # a participle ("…, indiquant que") is not an incise
        first = _first_of_group(t)
        if first.i > 0 and ctx.doc[first.i - 1].text == "," and not any(
                c.dep_ in ("ccomp", "obj") and c.i > t.i and c.pos_ == "VERB" for c in t.children):
            who = ctx.speaker_of_verb(t)
            if who is not None:
                return who, "inside"
    doc, f, text = ctx.doc, ctx.f, ctx.text
    sent = f.sent(span[0].i)
    par_start = _paragraph_start(text, raw.open_at)
    before = [t for t in sent if par_start <= t.idx < raw.open_at]
    if not [t for t in before if not t.is_punct] and sent.start > 0:
        # The segmenter cut at the colon or at «: "Selon X : | « … »".
        prev = f.sent(sent.start - 1)
        tail = [t for t in prev if not t.is_space and t.text not in "«“\""]
        if tail and tail[-1].text in (":", ",") and tail[-1].idx >= par_start:
            before = [t for t in prev if par_start <= t.idx < raw.open_at] + before
    # "Selon X : « … »"
    who = _selon(ctx, before, raw.open_at)
    if who is not None:
        return who, "selon"
    # "X a déclaré : « … »", "X dit que « … »", "X a accusé Y de « … »"
    for verb in reversed([t for t in before if ctx.is_speech(t)]):
        who = ctx.speaker_of_verb(verb, exclude=(raw.open_at, raw.close_at))
        if who is not None:
            return who, "before"
    # "Et d'ajouter : « … »": a narrative infinitive opening the sentence continues the
    # last speaker quoted
    words = [t for t in before if not t.is_punct and not t.is_space]
    if 2 <= len(words) <= 3 and ctx.is_speech(words[-1]) and "Inf" in words[-1].morph.get("VerbForm") \
            and words[-2].lower_ in ("de", "d'", "d’") and (len(words) == 2 or words[0].lower_ in ("et", "puis")) \
            and before[-1].text == ":":
        who = ctx.last_speaker(raw.open_at)
        if who is not None:
            return who, "before"
    # "« … », selon la même source."
    par_end = _paragraph_end(text, raw.close_at)
    after = [t for t in sent if raw.close_at <= t.idx < par_end]
    if after:
        who = _selon(ctx, after, raw.open_at, trailing=True)
        if who is not None:
            return who, "selon"
    # The subject of the clause the quote belongs to: "X a « fermement condamné … »".
    who = _clause_subject(ctx, raw, span)
    if who is not None:
        return who, "subject"
    # A paragraph that opens with the quote, after a paragraph ending with a colon.
    if not [t for t in before if not t.is_punct and not t.is_space] and par_start > 0:
        prev_end = par_start - 1
        while prev_end > 0 and text[prev_end - 1].isspace():
            prev_end -= 1
        if prev_end > 0 and text[prev_end - 1] == ":":
            ps = doc.char_span(_paragraph_start(text, prev_end - 1), prev_end, alignment_mode="contract")
            if ps is not None:
                who = _selon(ctx, list(ps), raw.open_at)
                if who is not None:
                    return who, "selon"
                for verb in reversed([t for t in ps if ctx.is_speech(t)]):
                    who = ctx.speaker_of_verb(verb) or ctx.last_speaker(raw.open_at)
                    if who is not None:
                        return who, "before"
    return None, None


def _selon(ctx: _Ctx, toks: list[Token], before: int, *, trailing: bool = False) -> _Who | None:
    """The X of "selon X" / "d'après X" among ``toks`` (``trailing``: after a comma or
    a closing mark, as in "« … », selon X")."""
    for k, t in enumerate(toks):
        is_attr = ctx.lex.has("attribution", t.text) or (
            t.lower_ in ("d'", "d’") and k + 1 < len(toks) and toks[k + 1].lower_ == "après")
        if not is_attr:
            continue
        if trailing and k > 1 and toks[k - 1].text not in (",", "»", "”", '"', "("):
            continue
        head = t.head if t.head.i > t.i else None
        if t.lower_ in ("d'", "d’"):
            head = toks[k + 1].head if toks[k + 1].head.i > t.i + 1 else None
        if head is not None and head.i - t.i <= 6:
            who = ctx.who(head, before=before)
            if who is not None:
                return who
        # the parse may hang "selon" elsewhere: the first mention after it
        for x in toks[k + 1:k + 8]:
            m = ctx.res.mention_at_token(x.i)
            if m is not None:
                return _Who(m, actor_name(m, ctx.res))
            if x.is_punct:
                break
    return None


def _clause_subject(ctx: _Ctx, raw: _Raw, span) -> _Who | None:
    """The subject of the verb the quote is part of ("X a « fermement condamné … »"), when
    it is an actor (not an outlet) named before the quote."""
    inside = set(range(span.start, span.end))
    heads = [t for t in span if (t.head.i not in inside or t.head.i == t.i) and not t.is_punct]
    if not heads:
        return None
    h = heads[0]  # the quote's own verb first ("le Hezbollah « a condamné … »"), then those above
    for _ in range(5):
        if h.pos_ in ("VERB", "AUX") or any(c.dep_ == "cop" for c in h.children):
            subs = [c for c in h.children if c.dep_ in ("nsubj", "nsubj:pass") and c.i not in inside
                    and c.i < span.start]
            if subs:
                w = ctx.who(subs[0], before=raw.open_at)
                if w is None or w.actor_id is None:
                    return None
                a = ctx.res.actors.get(w.actor_id)
                return None if a is not None and a.kind == "media" else w
            if h.dep_ not in ("xcomp", "conj", "acl", "obj", "obl:arg", "ccomp"):
                return None
        if h.head.i == h.i:
            return None
        h = h.head
    return None


def _indirect(ctx: _Ctx, direct_spans: list[tuple[int, int]]) -> list[Quote]:
    """ "X a déclaré que …", "…, ajoutant que …", "X a annoncé avoir …", "selon X, …",
    "…, selon X", "pour X, …" (see the module docs)."""
    out: list[Quote] = []
    f = ctx.f
    text = ctx.text

    def mostly_direct(toks: list[Token]) -> bool:
        """The clause is a direct quote already kept ("X a déclaré que « … »")."""
        a, b = toks[0].idx, toks[-1].idx + len(toks[-1])
        spans = [(s, e) for s, e in direct_spans if a < e and s < b]
        if not spans:
            return False
        free = [t for t in toks if not t.is_punct and not any(s <= t.idx < e for s, e in spans)]
        return len(free) < 4 or any(s <= a < e for s, e in spans)

    def add(toks: list[Token], who: _Who) -> None:
        while toks and (toks[-1].is_punct or toks[-1].is_space):
            toks = toks[:-1]
        while toks and (toks[0].is_punct or toks[0].is_space):
            toks = toks[1:]
        if len(toks) < 3 or not any(x.pos_ in ("VERB", "AUX") for x in toks):
            return
        a, b = toks[0].idx, toks[-1].idx + len(toks[-1])
        if text.count("«", a, b) > text.count("»", a, b):
            close = text.find("»", b, b + 3)
            if close != -1:
                b = close + 1
        if "\n" in text[a:b]:  # attribution never crosses a paragraph break
            b = text.index("\n", a)
            if b - a < 10:
                return
        if mostly_direct(toks) or any(a < q.span[1] and q.span[0] < b for q in out):
            return
        out.append(Quote(text=text[a:b], span=(a, b), speaker=who.actor_id, speaker_name=who.name, direct=False,
                         speaker_span=(who.mention.start, who.mention.end) if who.mention else None))

    pos, toks = f.pos, f.toks
    for i in range(f.n):
        if pos[i] not in ("VERB", "AUX", "X", "NOUN", "ADJ"):
            continue
        verb = toks[i]
        key = ctx.speech_key(verb)
        if key is None:
            continue
        comp = [c for c in verb.children if c.dep_ in ("ccomp", "obj", "advcl", "acl") and c.i > verb.i
                and any(g.dep_ == "mark" and g.lower_ in _QUE for g in c.children)]
        if not comp and key in ctx.infinitive:
            comp = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i and c.pos_ in ("VERB", "AUX")
                    and ("Inf" in c.morph.get("VerbForm") or any(
                        a.dep_.startswith("aux") and "Inf" in a.morph.get("VerbForm") for a in c.children))]
        if not comp:
            if _incise_after_clause(ctx, verb):
                # "Le Japon a condamné le tir, a indiqué le Premier ministre": the clause
                # before the incise is what was said
                who = _incise_speaker(ctx, verb)
                if who is not None and who.actor_id is not None and not ctx.is_people(who):
                    lo = _clause_start(ctx, verb.i)
                    first = _first_of_group(verb)
                    add([t for t in toks[lo:first.i] if not t.is_space], who)
            continue
        who = ctx.speaker_of_verb(verb)
        if who is None or who.actor_id is None or ctx.is_people(who) or ctx.is_outlet(who):
            continue
        if key in ctx.judgement and ctx.stands_for_country(who):
            continue  # "la Chine estime que …": a country's position, not a quote
        clause = comp[0]
        add([t for t in clause.subtree if not (t.dep_ == "mark" and t.head == clause and t.i < clause.i
                                               and t.lower_ in _QUE)], who)
    # "selon X, …" / "…, selon X" / "pour X, …"
    dep, words, lower = f.dep, f.words, f.lower
    for i in range(f.n):
        low = lower[i]
        is_selon = dep[i] in ("case", "fixed") and (ctx.lex.has("attribution", words[i]) or (
            low == "après" and i > 0 and lower[i - 1] in ("d'", "d’")))
        is_pour = low == "pour" and dep[i] == "case" and _opens_sentence(ctx, i)
        if not (is_selon or is_pour):
            continue
        t = toks[i]
        head = t.head
        if head.i < i or head.i - i > 6:
            continue
        lo, hi = _clause_start(ctx, i), _clause_end(ctx, i)
        np_last = max(x.i for x in head.subtree)
        if is_pour and (np_last + 1 >= hi or words[np_last + 1] != ","):
            continue  # "Pour X, …" opens a sentence and closes with a comma
        who = ctx.who(head, before=t.idx)
        if who is None or who.actor_id is None or ctx.is_people(who):
            continue
        if is_pour and ctx.mention_for(head) is None and lower[head.i] not in STRESSED_PRONOUNS:
            continue
        a = ctx.res.actors.get(who.actor_id)
        if a is not None and a.kind == "media" and ctx.noun_key(head) not in ctx.outlet_people:
            continue  # an outlet is a cited source; its journalists speak as witnesses
        if who.mention is not None:
            np_last = max(np_last, who.mention.token_end - 1)
        after = [x for x in toks[np_last + 1:hi] if not x.is_space]
        lead = [x for x in toks[lo:i] if not x.is_space]
        if lead and lead[-1].lower_ in ("d'", "d’"):
            lead = lead[:-1]
        if not [x for x in lead if not x.is_punct and x.lower_ not in _LEADS]:
            # "Selon X, …", "Pour X, le chef de …, il …"
            add(_past_apposition(after) if is_pour else after, who)
        elif not is_selon:
            continue
        elif lead[-1].text == "," and np_last + 1 < hi and words[np_last + 1] == "," and head.head.i > np_last \
                and head.head.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            # ", selon X, …" inside a clause: the rest of the clause it modifies
            end = max(x.i for x in head.head.subtree) + 1
            add([x for x in toks[np_last + 1:min(end, hi)] if not x.is_space], who)
        elif (not [x for x in after if not x.is_punct] or (
                lead[-1].text == "," and any(x.pos_ in ("VERB", "AUX") and "Fin" in x.morph.get("VerbForm")
                                             for x in lead))) and not ctx.stands_for_country(who):
            # "…, selon X." (or "…, selon X qui …, …"): what comes before; a country named
            # after a claim gives its provenance (the events' according_to), not a quote
            add(lead, who)
    return out


def _clause_start(ctx: _Ctx, i: int) -> int:
    """The first token of the sentence of token ``i``: after the last full stop or paragraph
    break before it (the segmenter sometimes cuts at a comma or a quote mark)."""
    words = ctx.f.words
    lo = max(0, i - 120)
    for j in range(i - 1, lo - 1, -1):
        w = words[j]
        if "\n" in w or w in (".", "!", "?", "…"):
            return j + 1
    return min(lo, ctx.f.sent(i).start) if lo else 0


def _clause_end(ctx: _Ctx, i: int) -> int:
    """The token after the end of the sentence of token ``i`` (its full stop or paragraph end)."""
    words = ctx.f.words
    for j in range(i, min(ctx.f.n, i + 150)):
        w = words[j]
        if "\n" in w:
            return j
        if w in (".", "!", "?", "…"):
            return j + 1
    return min(ctx.f.n, i + 150)


def _past_apposition(toks: list[Token]) -> list[Token]:
    """``toks`` without an apposition that opens them: ", le chef de la diplomatie, il a …"."""
    k = 0
    while k < len(toks) and toks[k].is_punct:
        k += 1
    for j in range(k, min(len(toks), k + 12)):
        if toks[j].text == ",":
            if j > k and toks[k].pos_ in ("DET", "NOUN", "ADJ") and not any(
                    x.pos_ in ("VERB", "AUX") for x in toks[k:j]):
                return toks[j + 1:]
            break
    return toks[k:]


def _incise_after_clause(ctx: _Ctx, verb: Token) -> bool:
    """A speech verb in an incise after an unquoted clause: "…, a indiqué X." (a comma
    before the verb group, words before it in the clause, no closing quote mark)."""
    first = _first_of_group(verb)
    doc = ctx.doc
    if first.i < 5 or doc[first.i - 1].text != ",":
        return False
    if doc[first.i - 2].text in ("»", "”", '"', "'"):
        return False  # the direct quote's incise
    lo = _clause_start(ctx, verb.i)
    words = [t for t in doc[lo:first.i - 1] if not t.is_punct and not t.is_space]
    if len(words) < 4 or doc[lo].text in ("«", "“", '"') or not any(
            t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in words):
        return False
    if any((ctx.is_speech(t) or ctx.f.lemma_key[t.i] in ctx.lex.words.get("report", ())) and any(
            c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ in _QUE for g in c.children) for c in t.children)
           for t in words):
        return False  # "Le rapport révèle que …, a poursuivi X": the clause reports someone else
    # the incise closes the sentence: no other clause after the speaker
    return not any(t.pos_ == "VERB" and t.dep_ in ("ccomp", "conj", "parataxis") and t.head == verb
                   for t in doc[verb.i + 1: verb.sent.end])


def _incise_speaker(ctx: _Ctx, verb: Token) -> _Who | None:
    """The inverted subject of an incise verb; "indique-t-on à la fédération": the one
    spoken for."""
    kids = list(verb.children)
    if any(c.lower_.lstrip("-") == "on" or (c.lower_ == "-t" and c.i + 1 < len(ctx.doc)
                                            and ctx.doc[c.i + 1].lower_ == "-on") for c in kids):
        for c in kids:
            if c.dep_.startswith("obl") and any(g.dep_ == "case" and fold_rsquo(g.text) in ("a", "au", "aux")
                                                for g in c.children):
                return ctx.who(c, before=verb.idx)
        return None
    w = ctx._inverted(verb, lambda t: False)
    if w is not None and w.actor_id is not None:
        return w
    after = [c for c in kids if c.dep_ in SUBJ and c.i > verb.i]
    return ctx.who(after[0], before=verb.idx) if after else None


def _opens_sentence(ctx: _Ctx, i: int) -> bool:
    """Token ``i`` opens its sentence or paragraph (after punctuation or a conjunction)."""
    f = ctx.f
    j = _clause_start(ctx, i)
    while j < i and (f.pos[j] in ("PUNCT", "SPACE", "CCONJ") or f.lower[j] in _LEADS):
        j += 1
    return j == i


__all__ = ["extract", "find_quoted"]
