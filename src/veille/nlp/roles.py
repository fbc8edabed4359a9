"""Who acts and who receives: the actor and recipient of an event predicate in the parse.

For a verbal predicate the actor is its subject, following conj, xcomp (object control
for "appeler X à…"), relative clauses ("l'administration qui…"), clefts ("c'est X
qui…") and the passive agent (``obl:agent``); for a noun, "par X" / "de la part de X" or
the subject of the verb that carries it ("Washington annonce l'interdiction de…"). The
recipient is the first resolved actor among the entry's roles (obj, iobj or prepositions
"à", "contre", "auprès de", "avec", "sur", "de"…); the subject of a passive is its
recipient; "des négociations entre X et Y" gives both.
"""
from __future__ import annotations

from spacy.tokens import Token

from ..text import fold_rsquo
from . import lexicon as lexmod
from .predicates import Match, match_verb
from .resolution import Mention, Resolution
from .syntax import NSUBJ, case_of, is_passive, mention_of

_CONTROL_TYPES = ("REQUEST", "COERCE")
_CARRIER_DEPS = ("obj", "obl", "obl:arg", "obl:mod", "nsubj:pass", "xcomp")
_AGENT_CASES = ("par", "de la part de")


def _paragraphs(tok: Token, res: Resolution) -> list[int]:
    """The paragraph number of each token of ``tok``'s Doc (a line break starts one)."""
    f = res.facts_for(tok.doc)
    ids = f.memo.get("paragraphs")
    if ids is None:
        ids, n = [], 0
        for w in f.words:
            ids.append(n)
            if "\n" in w:
                n += 1
        f.memo["paragraphs"] = ids
    return ids


def linked(a: Token, b: Token, res: Resolution) -> bool:
    """Whether ``a`` and ``b`` lie in one paragraph. The parser sometimes hangs a paragraph
    on a word of the one before; no rule follows such a link."""
    ids = _paragraphs(a, res)
    return ids[a.i] == ids[b.i]


def has_head(tok: Token, res: Resolution) -> bool:
    """Whether ``tok`` depends on a word of its own paragraph."""
    return tok.head.i != tok.i and linked(tok, tok.head, res)


def expand_conj(m: Mention | None, token: Token | None, res: Resolution) -> list[Mention]:
    """A mention and the mentions coordinated with its phrase ("la France et l'Allemagne")."""
    if m is None:
        return []
    out = [m]
    if token is not None:
        for c in token.children:
            if c.dep_ == "conj" and linked(c, token, res):
                mc = mention_of(c, res)
                if mc is not None and mc.actor_id not in {x.actor_id for x in out}:
                    out.append(mc)
    return out


def agents(pred: Token, res: Resolution, lex: lexmod.Lexicon, depth: int = 0) -> tuple[list[Mention], Token | None]:
    """The actor(s) of a verbal predicate, and the token they were found on."""
    if depth > 4:
        return [], None
    if is_passive(pred):
        for c in pred.children:
            if c.dep_ == "obl:agent" or (c.dep_.startswith("obl") and case_of(c) == "par"):
                m = mention_of(c, res)
                return expand_conj(m, c, res), c
        return [], None
    auxes = [c for c in pred.children if c.dep_.startswith("aux")]
    subj = [c for t in (pred, *auxes) for c in t.children if c.dep_ in NSUBJ and linked(c, pred, res)]
    dep = pred.dep_ if has_head(pred, res) else "ROOT"
    if subj:
        s = subj[0]
        if s.lower_ in ("qui", "lequel", "laquelle", "lesquels", "lesquelles") and dep == "acl:relcl":
            return _antecedent(pred.head, res)
        if s.lower_ == "qui" and dep != "acl:relcl":
            return _cleft(s, res)
        m = mention_of(s, res)
        return expand_conj(m, s, res), s
    if dep == "acl:relcl":
        return _antecedent(pred.head, res)
    finite = "Fin" in pred.morph.get("VerbForm") or (
        "Inf" in pred.morph.get("VerbForm") and not pred.lower_.endswith(("r", "re")))
    if dep == "acl" and finite and pred.head.i < pred.i:
        # a finite verb is no reduced relative: the "head" noun is its subject
        m = mention_of(pred.head, res)
        return expand_conj(m, pred.head, res), pred.head
    if dep == "ROOT" and pred.dep_ != "ROOT":
        # A paragraph hung on the one before: its subject hangs there too. The first noun
        # of the paragraph, before the verb, that depends on no word of the paragraph.
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
    if dep == "conj":
        return agents(pred.head, res, lex, depth + 1)
    if dep in ("xcomp", "advcl"):
        head = pred.head
        if pred.dep_ == "xcomp":
            objs = [c for c in head.children if c.dep_ in ("obj", "iobj")]
            controls = any(e.type in _CONTROL_TYPES or e.lemma in ("aider", "autoriser", "permettre")
                           for e in lex.verb_entries(head.lemma_))
            if objs and controls:
                m = mention_of(objs[0], res)
                return expand_conj(m, objs[0], res), objs[0]
        if head.pos_ == "ADJ":  # "prêts à fournir": the adjective's subject
            return agents(head, res, lex, depth + 1)
        return agents(head, res, lex, depth + 1)
    return [], None


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


def noun_agents(noun: Token, res: Resolution, lex: lexmod.Lexicon) -> tuple[list[Mention], Token | None]:
    for c in noun.children:
        if c.dep_ == "nmod" and case_of(c) in _AGENT_CASES:
            m = mention_of(c, res)
            if m is not None:
                return [m], c
    head = noun.head
    if noun.dep_ in _CARRIER_DEPS and has_head(noun, res) and head.pos_ in ("VERB", "AUX"):
        # The verb that carries the noun lends its subject, unless it is itself an
        # event or speech predicate (then the noun is its topic: "accuser X d'espionnage").
        if lex.verb_entries(head.lemma_) and match_verb(head, lex) is not None:
            return [], None
        if lex.has("speech", head.lemma_) and not lex.has("plan", head.lemma_) and \
                fold_rsquo(head.lemma_) not in ("annoncer", "confirmer"):
            return [], None
        return agents(head, res, lex)
    return [], None


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
    for t in scope:
        for c in t.children:
            if c.dep_ in ("obl", "obl:arg", "obl:mod", "nmod", "iobj", "obj", "acl") and case_of(c) == role \
                    and linked(c, pred, res):
                out.append(c)
    if role == "a" and passive is False:
        # "interdire à X de …": dative clitic or iobj
        out += [c for t in scope for c in t.children if c.dep_ == "iobj" and linked(c, pred, res)]
    return out


def recipients(match: Match, actors: list[Mention], res: Resolution) -> list[tuple[Mention, Token]]:
    actor_ids = {a.actor_id for a in actors}
    passive = match.pred.pos_ == "VERB" and is_passive(match.pred)
    if passive:
        for c in match.pred.children:
            if c.dep_ == "nsubj:pass":
                m = mention_of(c, res)
                if m is not None and m.actor_id not in actor_ids:
                    return [(x, c) for x in expand_conj(m, c, res) if x.actor_id not in actor_ids]
    for role in match.entry.roles:
        if role == "entre":
            continue
        for tok in _role_tokens(match.pred, match.trigger, role, passive, res):
            m = mention_of(tok, res)
            if m is not None and m.actor_id not in actor_ids:
                return [(x, tok) for x in expand_conj(m, tok, res) if x.actor_id not in actor_ids]
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
                if [fold_rsquo(w.text).replace("du", "de").replace("des", "de").replace("aux", "a").replace("au", "a")
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


def between(match: Match, res: Resolution) -> tuple[list[Mention], list[Mention]]:
    """ "des négociations entre X et Y": X acts, Y receives."""
    for c in match.pred.children:
        if case_of(c) == "entre":
            ms = expand_conj(mention_of(c, res), c, res)
            if len(ms) >= 2:
                return [ms[0]], [ms[1]]
    return [], []


__all__ = ["agents", "between", "expand_conj", "noun_agents", "recipients"]
