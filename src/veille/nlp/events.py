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

Judgements are events too: a verb of opinion or speech whose "que" clause calls what an
actor makes harmful or unsafe ("X estime que les équipements de Y sont mal sécurisés /
représentent une menace") is X ACCUSE Y; one that calls it unwelcome ("X a fait savoir
que les produits de Y ne sont pas les bienvenus") is X SANCTION Y. The word lists are
the ``[eval_*]`` sections of ``veille/data/event_context.txt``; a negated harmful word
or a plain safe word gives nothing, and so does a clause whose subject names no actor.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..records import Article, Event, Quote
from ..text import fold_rsquo
from . import dates as datesmod
from . import lexicon as lexmod
from .facts import DocFacts
from .modality import classify, is_negated
from .resolution import Mention, Resolution
from .syntax import NSUBJ, case_of, is_passive, mention_of

_CONTROL_TYPES = ("REQUEST", "COERCE")
_HOSTILE = ("ASSAULT", "COERCE")
_CARRIER_DEPS = ("obj", "obl", "obl:arg", "obl:mod", "nsubj:pass", "xcomp")
_AGENT_CASES = ("par", "de la part de")
# Sections of the data files that are word lists for the evaluation rule, not context tags.
_WORD_LIST_PREFIX = "eval_"
# Verbs whose object carries the judgement: "X estime que Y représente une menace".
_COPULAR = ("representer", "constituer", "poser", "etre")


@dataclass
class _Match:
    entry: lexmod.Entry
    pred: Token  # the clause predicate (verb, or the noun for nominal events)
    trigger: list[Token]


def _match_verb(tok: Token, lex: lexmod.Lexicon) -> _Match | None:
    for e in lex.verb_entries(tok.lemma_):
        trig = [tok]
        if e.noun is not None:
            nouns = [c for c in tok.children if fold_rsquo(c.lemma_) == e.noun
                     or fold_rsquo(c.text) == e.noun]
            if not nouns:
                continue
            trig.append(nouns[0])
        if e.marker is not None:
            scope = [c for t in trig for c in t.children]
            if not any(case_of(c) == e.marker for c in scope):
                continue
        return _Match(e, tok, trig)
    return None


def _guessed_infinitive(low: str) -> list[str]:
    """A first-group infinitive guessed from a verb's form in lower case, for when the
    tagger left the inflected form as lemma ("estime" -> "estimer") or tagged it a noun."""
    for end in ("ent", "e"):
        if low.endswith(end) and len(low) > len(end) + 2:
            return [low[: -len(end)] + "er"]
    return []


def _guess_key(low: str) -> str:
    """The guessed infinitive of a form, folded for the lexicon ("" when there is none)."""
    guess = _guessed_infinitive(low)
    return fold_rsquo(guess[0]) if guess else ""


def _match_mistagged(tok: Token, lex: lexmod.Lexicon) -> _Match | None:
    """A present-tense verb tagged as a noun ("Il pointe du doigt X"): a bare noun with a
    pronoun or name subject and no determiner."""
    kids = list(tok.children)
    if any(c.dep_ == "det" for c in kids) or not any(c.dep_ == "nsubj" for c in kids):
        return None
    if tok.i > 0 and tok.nbor(-1).pos_ == "DET":
        return None
    for lemma in _guessed_infinitive(tok.lower_):
        if not lex.verb_entries(lemma):
            continue
        saved = tok.lemma_
        try:
            tok.lemma_ = lemma
            m = _match_verb(tok, lex)
        finally:
            tok.lemma_ = saved
        if m is not None:
            return m
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
    subj = [c for t in (pred, *auxes) for c in t.children if c.dep_ in NSUBJ]
    if subj:
        s = subj[0]
        if s.lower_ in ("qui", "lequel", "laquelle", "lesquels", "lesquelles") and pred.dep_ == "acl:relcl":
            return _antecedent(pred.head, res)
        if s.lower_ == "qui" and pred.dep_ != "acl:relcl":
            return _cleft(s, res)
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
                fold_rsquo(head.lemma_) not in ("annoncer", "confirmer"):
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


def _between(match: _Match, res: Resolution) -> tuple[list[Mention], list[Mention]]:
    """ "des négociations entre X et Y": X acts, Y receives."""
    for c in match.pred.children:
        if case_of(c) == "entre":
            ms = _expand_conj(mention_of(c, res), c, res)
            if len(ms) >= 2:
                return [ms[0]], [ms[1]]
    return [], []


def _evidence(f: DocFacts, pred: Token, trigger: list[Token], cameo: str, entry_context: tuple[str, ...],
              modality: str, according: str | None, lex: lexmod.Lexicon, published: str | None) -> dict:
    """The fields an event takes from its sentence: spans, sentence, date, context, trigger."""
    text = f.text
    tok = trigger[0]
    sent = f.sent(tok.i)
    s_start, s_end = sent.start_char, sent.end_char
    # A sentence never crosses a paragraph break, whatever the segmenter says.
    s_start = max(s_start, text.rfind("\n", 0, tok.idx) + 1)
    nl = text.find("\n", tok.idx)
    if nl != -1:
        s_end = min(s_end, nl)
    while s_end > s_start and text[s_end - 1].isspace():
        s_end -= 1
    sentence = text[s_start:s_end]
    trig_toks = sorted(trigger, key=lambda t: t.i)
    t_start = trig_toks[0].idx
    t_end = trig_toks[-1].idx + len(trig_toks[-1].text)
    if t_end - t_start > 60:
        t_end = trig_toks[0].idx + len(trig_toks[0].text)
    future = any("Fut" in w.morph.get("Tense") for w in [pred, *pred.children]
                 if w.dep_.startswith("aux") or w is pred)
    when = datesmod.nearest(text, s_start, s_end, t_start, published,
                            prefer="future" if future else "past")
    key = ("contexts", id(lex), sentence)  # events of one sentence share its tags
    tags = f.memo.get(key)
    if tags is None:
        tags = f.memo[key] = {t for t in lex.contexts(sentence) if not t.startswith(_WORD_LIST_PREFIX)}
    context = sorted(set(entry_context) | tags)
    return {"span": (s_start, s_end), "sentence": sentence, "cameo": cameo, "context": context,
            "modality": modality, "according_to": according, "date": when.value if when else None,
            "trigger": text[t_start:t_end], "trigger_span": (t_start, t_end)}


_EVAL_CAMEO = {"ACCUSE": "112", "SANCTION": "163"}


def _listed(lex: lexmod.Lexicon, section: str, head: Token) -> bool:
    """Whether a word list holds the head's lemma or a phrase of up to three words around it."""
    words = lex.context.get(_WORD_LIST_PREFIX + section, set())
    if not words:
        return False
    doc = head.doc
    cands = {fold_rsquo(head.lemma_), *_base_forms(fold_rsquo(head.text))}
    for k in range(3):
        for j in range(3):
            lo, hi = head.i - k, head.i + j + 1
            if lo >= 0 and hi <= len(doc) and hi - lo > 1:
                cands.add(" ".join(fold_rsquo(t.text) for t in doc[lo:hi]))
    return bool(cands & words)


def _base_forms(word: str) -> set[str]:
    """A French adjective or noun and its masculine singular guesses ("sécurisées" -> "sécurisé")."""
    out = {word}
    if word.endswith(("s", "x")) and len(word) > 3:
        word = word[:-1]
        out.add(word)
    if word.endswith("euse"):
        out.add(word[:-4] + "eux")
    elif word.endswith("e") and len(word) > 3:
        out.add(word[:-1])
    return out


def _judgement(head: Token, lex: lexmod.Lexicon) -> str | None:
    """The event a judgement clause implies about its subject: "ACCUSE" when it calls it
    harmful or unsafe, "SANCTION" when it calls it unwelcome, else None."""
    if fold_rsquo(head.lemma_) in _COPULAR and head.pos_ in ("VERB", "AUX"):
        objs = [c for c in head.children if c.dep_ in ("obj", "xcomp")]
        if not objs or is_negated(head, lex):
            return None
        head = objs[0]
    negated = is_negated(head, lex)
    before = " ".join(fold_rsquo(c.text) for c in head.children if c.dep_ == "advmod" and c.i < head.i)
    weak = any(f" {w} " in f" {before} " for w in lex.context.get(_WORD_LIST_PREFIX + "weak", ()))
    if _listed(lex, "unwelcome_negated", head):
        return "SANCTION" if negated else None
    if _listed(lex, "unwelcome", head):
        return None if negated else "SANCTION"
    if _listed(lex, "safe", head):
        return "ACCUSE" if negated or weak else None
    if _listed(lex, "bad", head):
        return None if negated else "ACCUSE"
    return None


def _is_stance(tok: Token, lex: lexmod.Lexicon) -> bool:
    if tok.pos_ == "NOUN":  # "Pékin juge que…" tagged as a noun: no determiner, a "que" clause
        if any(c.dep_ == "det" for c in tok.children) or (tok.i > 0 and tok.nbor(-1).pos_ == "DET"):
            return False
        if not _que_clauses(tok, ("ccomp", "acl")):
            return False
    elif tok.pos_ != "VERB":
        return False
    return _stance_word(fold_rsquo(tok.lemma_), _guess_key(tok.lower_), lex)


def _stance_word(lemma_key: str, guess_key: str, lex: lexmod.Lexicon) -> bool:
    """The lemma (or the infinitive guessed from the form, both folded) is a verb of
    opinion or speech."""
    words = lex.context.get(_WORD_LIST_PREFIX + "stance", set())
    speech = lex.words.get("speech", ())  # as lex.has("speech", …)
    return lemma_key in words or lemma_key in speech or (
        guess_key != "" and (guess_key in words or guess_key in speech))


def _que_clauses(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    """The heads of the "que" clauses ``tok`` governs."""
    return [c for c in tok.children if c.dep_ in deps and c.i > tok.i
            and any(m.dep_ == "mark" and fold_rsquo(m.text) in ("que", "qu'") for m in c.children)]


def _near_que_clause(verb: Token) -> list[Token]:
    """ "X estime en effet que…" parsed with the clause under the adverbial: a "que" at
    most three tokens after the verb, the words between depending on the verb."""
    doc = verb.doc
    for t in doc[verb.i + 1: min(len(doc), verb.i + 5)]:
        if t.dep_ == "mark" and fold_rsquo(t.text) in ("que", "qu'"):
            head = t.head
            between = doc[verb.i + 1: t.i]
            if head.i > t.i and head.dep_ in ("ccomp", "acl", "advcl") and \
                    all(w.head.i == verb.i or w.head.head.i == verb.i for w in between) and \
                    (head.head.i == verb.i or head.head.head.i == verb.i):
                return [head]
            return []
        if t.pos_ in ("VERB", "AUX", "PUNCT") or t.is_space:
            return []
    return []


def _demonstrative_owner(subj: Token, res: Resolution) -> list[Mention]:
    """ "ces produits" with no actor in the phrase: the one company the previous sentence
    names ("…des téléphones de la marque X. Washington juge que ces produits…")."""
    if not any(c.dep_ == "det" and c.lemma_ == "ce" and c.lower_ != "c'" for c in subj.children):
        return []
    doc = subj.doc
    sent = subj.sent
    if sent.start == 0:
        return []
    prev = doc[sent.start - 1].sent
    found: dict[str, Mention] = {}
    for m in res.mentions:
        if prev.start_char <= m.start < prev.end_char:
            actor = res.actors.get(m.actor_id)
            if actor is not None and actor.kind == "company":
                found.setdefault(m.actor_id, m)
    return list(found.values()) if len(found) == 1 else []


def _clause_subject(head: Token) -> Token | None:
    for t in (head, *[c for c in head.children if c.dep_ == "cop"]):
        for c in t.children:
            if c.dep_ in NSUBJ:
                return c
    return None


def _evaluations(doc: Doc, res: Resolution, lex: lexmod.Lexicon,
                 quotes: list[Quote], published: str | None) -> list[tuple[Mention, Mention, int, dict]]:
    """Judgements as events: "X estime que les équipements de Y sont mal sécurisés" is
    X ACCUSE Y; "X fait savoir que les produits de Y ne sont pas les bienvenus" is
    X SANCTION Y. The recipient is the actor named in the judged clause's subject."""
    out = []
    f = res.facts_for(doc)
    pos, lemma_key, toks = f.pos, f.lemma_key, f.toks
    guess_key = f.derived("guess_key", f.lower, _guess_key)
    for i in range(len(doc)):
        # _is_stance, its word test first (the rest reads the parse)
        if pos[i] not in ("NOUN", "VERB") or not _stance_word(lemma_key[i], guess_key[i], lex):
            continue
        verb = toks[i]
        if not _is_stance(verb, lex):
            continue
        clauses = _que_clauses(verb, ("ccomp",) if verb.pos_ == "VERB" else ("ccomp", "acl"))
        if verb.dep_ == "xcomp" and fold_rsquo(verb.head.lemma_) == "faire":
            clauses += _que_clauses(verb.head, ("ccomp",))  # "faire savoir que"
        if not clauses:
            clauses = _near_que_clause(verb)
        for head in clauses:
            etype = _judgement(head, lex)
            if etype is None:
                continue
            subj = _clause_subject(head)
            if subj is None:
                continue
            recips = _expand_conj(mention_of(subj, res), subj, res) or _demonstrative_owner(subj, res)
            if not recips:
                continue
            actors, _ = _agents(verb, res, lex)
            actors = [a for a in actors if (res.actors.get(a.actor_id) is None
                                            or res.actors[a.actor_id].kind != "media")]
            if not actors:
                continue
            modality, att = classify(verb, res, lex, quotes)
            according = (att.actor or att.name) if att is not None else None
            base = _evidence(f, verb, [verb], _EVAL_CAMEO[etype], (), modality, according, lex, published)
            base["type"] = etype
            for a in actors:
                for r in recips:
                    if a.actor_id != r.actor_id:
                        out.append((a, r, f.sent(verb.i).start, base))
    return out


def extract(doc: Doc, resolution: Resolution, quotes: list[Quote] | None = None,
            article: Article | None = None, *, lexicon: lexmod.Lexicon | None = None) -> list[Event]:
    """The PLOVER events of one parsed article, in text order."""
    lex = lexicon or lexmod.default()
    quotes = quotes or []
    published = article.published if article is not None else None
    events: list[Event] = []
    seen: set[tuple[int, str, str | None, str | None]] = set()
    used: set[int] = set()
    f = resolution.facts_for(doc)
    pos, lemma_key, toks = f.pos, f.lemma_key, f.toks
    guess_key = f.derived("guess_key", f.lower, _guess_key)
    for i in range(len(doc)):
        if i in used:
            continue
        # Only a lemma (or a guessed infinitive) the lexicon knows can match: read it first.
        if pos[i] in ("VERB", "AUX"):
            if not lex.is_verb(lemma_key[i]):
                continue
            tok = toks[i]
            match = _match_verb(tok, lex)
        elif pos[i] == "NOUN":
            if not lex.is_noun(lemma_key[i]) and not (guess_key[i] and lex.is_verb(guess_key[i])):
                continue
            tok = toks[i]
            match = _match_noun(tok, lex) or _match_mistagged(tok, lex)
        else:
            continue
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
        according = None
        if att is not None:
            according = att.actor or att.name
        sent = f.sent(tok.i)
        base = _evidence(f, match.pred, match.trigger, entry.cameo, entry.context, modality, according,
                         lex, published)
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
    for actor, rec, sent_start, base in _evaluations(doc, resolution, lex, quotes, published):
        fields = dict(base)
        etype = fields.pop("type")
        key = (sent_start, etype, actor.actor_id, rec.actor_id)
        if key in seen:
            continue
        seen.add(key)
        events.append(Event(type=etype, actor=actor.actor_id, recipient=rec.actor_id, **fields))
    events.sort(key=lambda e: (e.span[0], e.trigger_span[0] if e.trigger_span else 0))
    return events


__all__ = ["extract"]
