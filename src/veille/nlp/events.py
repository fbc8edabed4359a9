"""The event coder: PLOVER events from the dependency parse and the event lexicon.

For each predicate the lexicon knows (a verb, a support verb with its noun, or a
nominal predicate), the coder finds:

- the actor: the subject, following conj, xcomp (object control for "appeler X à…"),
  relative clauses ("l'administration qui…") and the passive agent (``obl:agent``);
  for a noun, "par X" / "de la part de X" or the subject of the verb that carries it
  ("Washington annonce l'interdiction de…");
- the recipient: the first resolved actor among the entry's roles (obj, iobj or
  prepositions "à", "contre", "auprès de", "avec", "sur", "de"…); the subject of a
  passive is its recipient;
- modality and attribution (``nlp/modality.py``), date (``nlp/dates.py``), context tags.

Precision rules: the actor must be a resolved actor (a Mention, pronouns only when
coreference resolved them); a recipient is needed unless the entry says "solo"; the
actor is never its own recipient; one clause gives at most one event per (actor,
type, recipient). A hostile act (ASSAULT, COERCE) told by a speaker also makes an
ACCUSE event from the speaker to the actor ("le ministre affirme que X a piraté…").
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..records import Article, Event, Quote
from . import dates as datesmod
from . import lexicon as lexmod
from .modality import classify
from .resolution import Mention, Resolution
from .syntax import case_of, is_passive, mention_of

_CONTROL_TYPES = ("REQUEST", "COERCE")
_HOSTILE = ("ASSAULT", "COERCE")
_CARRIER_DEPS = ("obj", "obl", "obl:arg", "obl:mod", "nsubj:pass", "xcomp")
_AGENT_CASES = ("par", "de la part de")


@dataclass
class _Match:
    entry: lexmod.Entry
    pred: Token  # the clause predicate (verb, or the noun for nominal events)
    trigger: list[Token]


def _match_verb(tok: Token, lex: lexmod.Lexicon) -> _Match | None:
    for e in lex.verb_entries(tok.lemma_):
        trig = [tok]
        if e.noun is not None:
            nouns = [c for c in tok.children if lexmod.fold(c.lemma_) == e.noun
                     or lexmod.fold(c.text) == e.noun]
            if not nouns:
                continue
            trig.append(nouns[0])
        if e.marker is not None:
            scope = [c for t in trig for c in t.children]
            if not any(case_of(c) == e.marker for c in scope):
                continue
        return _Match(e, tok, trig)
    return None


def _match_noun(tok: Token, lex: lexmod.Lexicon) -> _Match | None:
    for e in lex.noun_entries(tok.lemma_):
        return _Match(e, tok, [tok])
    return None


def _expand_conj(m: Mention | None, token: Token | None, res: Resolution) -> list[Mention]:
    """A mention and the mentions coordinated with its phrase ("la France et l'Allemagne")."""
    if m is None:
        return []
    out = [m]
    if token is not None:
        for c in token.children:
            if c.dep_ == "conj":
                mc = mention_of(c, res)
                if mc is not None and mc.actor_id not in {x.actor_id for x in out}:
                    out.append(mc)
    return out


def _agents(pred: Token, res: Resolution, lex: lexmod.Lexicon, depth: int = 0) -> tuple[list[Mention], Token | None]:
    """The actor(s) of a verbal predicate, and the token they were found on."""
    if depth > 4:
        return [], None
    if is_passive(pred):
        for c in pred.children:
            if c.dep_ == "obl:agent" or (c.dep_.startswith("obl") and case_of(c) == "par"):
                m = mention_of(c, res)
                return _expand_conj(m, c, res), c
        return [], None
    auxes = [c for c in pred.children if c.dep_.startswith("aux")]
    subj = [c for t in (pred, *auxes) for c in t.children if c.dep_ in ("nsubj", "nsubj:pass")]
    if subj:
        s = subj[0]
        if s.lower_ in ("qui", "lequel", "laquelle", "lesquels", "lesquelles") and pred.dep_ == "acl:relcl":
            return _antecedent(pred.head, res)
        m = mention_of(s, res)
        return _expand_conj(m, s, res), s
    if pred.dep_ == "acl:relcl":
        return _antecedent(pred.head, res)
    finite = "Fin" in pred.morph.get("VerbForm") or (
        "Inf" in pred.morph.get("VerbForm") and not pred.lower_.endswith(("r", "re")))
    if pred.dep_ == "acl" and finite and pred.head.i < pred.i:
        # a finite verb is no reduced relative: the "head" noun is its subject
        m = mention_of(pred.head, res)
        return _expand_conj(m, pred.head, res), pred.head
    if pred.dep_ == "ROOT":
        # The tagger sometimes cuts a sentence-initial name off as its own sentence
        # ("Paris | s'est entretenu avec…"): a bare name just before, on the same line.
        for t in reversed(pred.doc[max(0, pred.sent.start - 4): pred.i]):
            if t.pos_ in ("VERB",) or t.text in (".", "!", "?", "\n") or "\n" in t.text:
                break
            if t.head.i == t.i and t.pos_ in ("PROPN", "NOUN") and t.i < pred.sent.start:
                m = mention_of(t, res)
                return _expand_conj(m, t, res), t
    if pred.dep_ == "conj" and pred.head.i != pred.i:
        return _agents(pred.head, res, lex, depth + 1)
    if pred.dep_ in ("xcomp", "advcl") and pred.head.i != pred.i:
        head = pred.head
        if pred.dep_ == "xcomp":
            objs = [c for c in head.children if c.dep_ in ("obj", "iobj")]
            controls = any(e.type in _CONTROL_TYPES or e.lemma in ("aider", "autoriser", "permettre")
                           for e in lex.verb_entries(head.lemma_))
            if objs and controls:
                m = mention_of(objs[0], res)
                return _expand_conj(m, objs[0], res), objs[0]
        if head.pos_ == "ADJ":  # "prêts à fournir": the adjective's subject
            return _agents(head, res, lex, depth + 1)
        return _agents(head, res, lex, depth + 1)
    return [], None


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


def _noun_agents(noun: Token, res: Resolution, lex: lexmod.Lexicon) -> tuple[list[Mention], Token | None]:
    for c in noun.children:
        if c.dep_ == "nmod" and case_of(c) in _AGENT_CASES:
            m = mention_of(c, res)
            if m is not None:
                return [m], c
    head = noun.head
    if noun.dep_ in _CARRIER_DEPS and head.i != noun.i and head.pos_ in ("VERB", "AUX"):
        # The verb that carries the noun lends its subject, unless it is itself an
        # event or speech predicate (then the noun is its topic: "accuser X d'espionnage").
        if lex.verb_entries(head.lemma_) and _match_verb(head, lex) is not None:
            return [], None
        if lex.has("speech", head.lemma_) and not lex.has("plan", head.lemma_) and \
                lexmod.fold(head.lemma_) not in ("annoncer", "confirmer"):
            return [], None
        return _agents(head, res, lex)
    return [], None


def _role_tokens(pred: Token, trigger: list[Token], role: str, passive: bool) -> list[Token]:
    scope = [pred] + [t for t in trigger if t is not pred]
    out: list[Token] = []
    if role in ("obj", "iobj"):
        for t in scope:
            for c in t.children:
                is_role = c.dep_ == role or (role == "obj" and passive and c.dep_ == "nsubj:pass")
                if is_role and not any(g.dep_ == "case" for g in c.children):
                    out.append(c)
        if role == "obj" and not out:
            # "accuser X de …" is sometimes parsed with X as an oblique argument
            out += [c for t in scope for c in t.children
                    if (c.dep_ == "obl:arg" or (c.dep_ == "xcomp" and c.pos_ == "PROPN")) and not case_of(c)]
        return out
    for t in scope:
        for c in t.children:
            if c.dep_ in ("obl", "obl:arg", "obl:mod", "nmod", "iobj", "obj", "acl") and case_of(c) == role:
                out.append(c)
    if role == "a" and passive is False:
        # "interdire à X de …": dative clitic or iobj
        out += [c for t in scope for c in t.children if c.dep_ == "iobj"]
    return out


def _recipients(match: _Match, actors: list[Mention], res: Resolution) -> list[tuple[Mention, Token]]:
    actor_ids = {a.actor_id for a in actors}
    passive = match.pred.pos_ == "VERB" and is_passive(match.pred)
    if passive:
        for c in match.pred.children:
            if c.dep_ == "nsubj:pass":
                m = mention_of(c, res)
                if m is not None and m.actor_id not in actor_ids:
                    return [(x, c) for x in _expand_conj(m, c, res) if x.actor_id not in actor_ids]
    for role in match.entry.roles:
        if role == "entre":
            continue
        for tok in _role_tokens(match.pred, match.trigger, role, passive):
            m = mention_of(tok, res)
            if m is not None and m.actor_id not in actor_ids:
                return [(x, tok) for x in _expand_conj(m, tok, res) if x.actor_id not in actor_ids]
    m = _linear_recipient(match, actor_ids, res)
    return [(m, match.pred)] if m is not None else []


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


def _linear_recipient(match: _Match, actor_ids: set[str], res: Resolution) -> Mention | None:
    last = max(match.trigger, key=lambda t: t.i)
    win = _window(last)
    for role in match.entry.roles:
        if role in ("obj", "iobj"):
            start = 0
        else:
            words = role.split()
            start = None
            for k in range(len(win)):
                if [lexmod.fold(w.text).replace("du", "de").replace("des", "de").replace("aux", "a").replace("au", "a")
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


def _between(match: _Match, res: Resolution) -> tuple[list[Mention], list[Mention]]:
    """ "des négociations entre X et Y": X acts, Y receives."""
    for c in match.pred.children:
        if case_of(c) == "entre":
            ms = _expand_conj(mention_of(c, res), c, res)
            if len(ms) >= 2:
                return [ms[0]], [ms[1]]
    return [], []


def extract(doc: Doc, resolution: Resolution, quotes: list[Quote] | None = None,
            article: Article | None = None, *, lexicon: lexmod.Lexicon | None = None) -> list[Event]:
    """The PLOVER events of one parsed article, in text order."""
    lex = lexicon or lexmod.default()
    quotes = quotes or []
    published = article.published if article is not None else None
    text = doc.text
    events: list[Event] = []
    seen: set[tuple[int, str, str | None, str | None]] = set()
    used: set[int] = set()
    for tok in doc:
        if tok.i in used:
            continue
        match = None
        if tok.pos_ in ("VERB", "AUX"):
            match = _match_verb(tok, lex)
        elif tok.pos_ == "NOUN":
            match = _match_noun(tok, lex)
        if match is None:
            continue
        used.update(t.i for t in match.trigger)
        entry = match.entry
        if entry.kind == "noun":
            actors, _ = _noun_agents(tok, resolution, lex)
        else:
            actors, _ = _agents(tok, resolution, lex)
        recips = _recipients(match, actors, resolution) if actors else []
        if not actors and "entre" in entry.roles:
            actors, rec_only = _between(match, resolution)
            recips = [(r, tok) for r in rec_only]
        if not actors:
            continue
        modality, att = classify(match.pred, resolution, lex, quotes)
        sent = tok.sent
        s_start, s_end = sent.start_char, sent.end_char
        # A sentence never crosses a paragraph break, whatever the segmenter says.
        s_start = max(s_start, text.rfind("\n", 0, tok.idx) + 1)
        nl = text.find("\n", tok.idx)
        if nl != -1:
            s_end = min(s_end, nl)
        while s_end > s_start and text[s_end - 1].isspace():
            s_end -= 1
        sentence = text[s_start:s_end]
        trig_toks = sorted(match.trigger, key=lambda t: t.i)
        t_start = trig_toks[0].idx
        t_end = trig_toks[-1].idx + len(trig_toks[-1].text)
        if t_end - t_start > 60:
            t_end = trig_toks[0].idx + len(trig_toks[0].text)
        future = any("Fut" in w.morph.get("Tense") for w in [match.pred, *match.pred.children]
                     if w.dep_.startswith("aux") or w is match.pred)
        when = datesmod.nearest(text, s_start, s_end, t_start, published,
                                prefer="future" if future else "past")
        context = sorted(set(entry.context) | set(lex.contexts(sentence)))
        according = None
        if att is not None:
            according = att.actor or att.name
        base = {"span": (s_start, s_end), "sentence": sentence, "cameo": entry.cameo, "context": context,
                    "modality": modality, "according_to": according, "date": when.value if when else None,
                    "trigger": text[t_start:t_end], "trigger_span": (t_start, t_end)}
        targets: list[Mention | None] = [r for r, _ in recips] or ([None] if entry.solo else [])
        for actor in actors:
            for rec in targets:
                rid = rec.actor_id if rec is not None else None
                if rid == actor.actor_id:
                    continue
                key = (sent.start, entry.type, actor.actor_id, rid)
                if key in seen:
                    continue
                seen.add(key)
                events.append(Event(type=entry.type, actor=actor.actor_id, recipient=rid, **base))
            # A hostile act told by a speaker is the speaker's accusation.
            if entry.type in _HOSTILE and att is not None and att.actor and att.actor != actor.actor_id \
                    and att.via in ("speech", "quote", "selon") and modality != "negated":
                speaker_kind = resolution.actors.get(att.actor)
                if speaker_kind is not None and speaker_kind.kind == "media":
                    continue
                key = (sent.start, "ACCUSE", att.actor, actor.actor_id)
                if key in seen:
                    continue
                seen.add(key)
                acc = dict(base, cameo="112", modality="asserted", according_to=None)
                if att.verb is not None:
                    v = att.verb
                    acc["trigger"], acc["trigger_span"] = v.text, (v.idx, v.idx + len(v.text))
                events.append(Event(type="ACCUSE", actor=att.actor, recipient=actor.actor_id, **acc))
    events.sort(key=lambda e: (e.span[0], e.trigger_span[0] if e.trigger_span else 0))
    return events


__all__ = ["extract"]
