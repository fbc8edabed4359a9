"""The event coder: PLOVER events from the dependency parse and the event lexicon.

For each predicate the lexicon knows (a verb, a support verb with its noun, or a
nominal predicate, matched by ``nlp/predicates.py``), the coder finds its actor and
recipient (``nlp/roles.py``: subjects, passives, participles, relatives, infinitive
complements, nominal agents, owners of act nouns, coordination), the modality and
attribution (``nlp/modality.py``), the date (``nlp/dates.py``) and the context tags.
Then:

- several actors and no recipient are parties to one another for an agreement, talks or
  cooperation, and for a reciprocal verb ("X et Y s'accusent mutuellement");
- "je"/"nous" inside a direct quote is the quote's speaker;
- what a request or a threat asks for or announces, or a refusal refuses, is no event of
  its own ("exhorter X à sanctionner Y" is one REQUEST, "refuser de reconnaître Y" one
  REJECT);
- a reaction to an act told before ("la France a condamné ces frappes", "X l'a
  condamné") takes that act's actor as recipient, before the actor coreference gives the
  clitic; an attack or a coercion told with no target counts as told;
- a targeted act (attack, coercion, sanction, threat, refusal, protest, concession)
  whose roles name no target takes the first other actor named in its own clause, never
  the actor's side, the speaker, a medium, or another verb's subject
  (``roles.clause_target``);
- a crowd the text does not name ("des milliers de manifestants") may protest or assault
  with no actor, when the recipient is named;
- protests: who joins one ("X participe à la manifestation", "X est associé à ce
  rassemblement") or announces its presence at one protests; a protest named again with
  no target of its own aims at the target of the one told before; a concession to
  protesters ("X a accédé aux demandes des manifestants") and their assault on X tell
  their protest against X;
- a verbless sentence "Tout comme d'autres syndicats, tels que X." gives X the acts of
  the sentence before.

Precision rules: the actor must be a resolved actor (a Mention, pronouns only when
coreference resolved them) or such a crowd; a recipient is needed unless the entry says
"solo"; the actor is never its own recipient; one clause gives at most one event per
(actor, type, recipient). A hostile act (ASSAULT, COERCE) told by a speaker also makes
an ACCUSE event from the speaker to the actor ("le ministre affirme que X a piraté…").

Judgements are events too: a verb of opinion or speech whose "que" clause calls what an
actor makes harmful or unsafe ("X estime que les équipements de Y sont mal sécurisés /
représentent une menace") is X ACCUSE Y; one that calls it unwelcome ("X a fait savoir
que les produits de Y ne sont pas les bienvenus") is X SANCTION Y. The word lists are
the ``[eval_*]`` sections of ``veille/data/event_context.txt``; a negated harmful word
or a plain safe word gives nothing, and so does a clause whose subject names no actor.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from ..records import Article, Event, Quote
from ..text import fold_rsquo
from . import dates as datesmod
from . import lexicon as lexmod
from .facts import DocFacts
from .modality import classify, is_negated
from .predicates import guess_key, is_future, match_mistagged, match_noun, match_verb
from .resolution import Mention, Resolution
from .roles import (
    FIRST_PERSON,
    act_object,
    adjectival,
    agents,
    between,
    clause_target,
    co_actors,
    complement,
    expand_conj,
    has_head,
    joins,
    linked,
    noun_agents,
    owner,
    paragraph,
    participle_with_agent,
    recipients,
    reciprocal,
    same_side,
    speaker_of,
)
from .syntax import _OWNER_CASES, NSUBJ, case_of, is_passive, mention_of

_HOSTILE = ("ASSAULT", "COERCE")
# Acts aimed at someone: with no role naming the target, the other actor named in the
# act's clause is taken as the target (roles.clause_target).
_TARGETED = ("ASSAULT", "COERCE", "SANCTION", "THREATEN", "REJECT", "PROTEST", "CONCEDE")
# Acts that two parties do together: each is the other's recipient.
_SYMMETRIC = ("AGREE", "CONSULT", "COOPERATE")
# Acts a crowd the text does not name may do: the event keeps no actor.
_CROWD_TYPES = ("PROTEST", "ASSAULT")
_CROWD = "eval_crowd"  # the data word list of such crowds
# Sections of the data files that are word lists for the evaluation rule, not context tags.
_WORD_LIST_PREFIX = "eval_"
# Verbs whose object carries the judgement: "X estime que Y représente une menace", "… que Y a
# commis une erreur".
_COPULAR = ("representer", "constituer", "poser", "etre", "commettre")


# Acts that are only what a request or a threat asks for or announces, or what a refusal
# refuses ("exhorter X à lever…", "menacer de couper…", "avertir qu'il prendrait des
# mesures…", "refuser de reconnaître le gouvernement de X"): the request, the threat or
# the refusal is the event.
_CONTENT_TYPES = ("REQUEST", "THREATEN", "REJECT")


def _content_of_request(pred: Token, lex: lexmod.Lexicon, res: Resolution) -> bool:
    t = pred
    for _ in range(2):
        if not has_head(t, res):
            return False
        if not complement(t):
            return False
        t = t.head
        if t.pos_ == "VERB":
            m = match_verb(t, lex)
        elif t.pos_ == "NOUN":
            m = match_noun(t, lex)
        else:
            m = None
        if m is not None and m.entry.type in _CONTENT_TYPES:
            return True
    return False


# A reaction to an act named without its actor ("condamner le tir", "saluer cette
# décision", "rejeter ces accusations"): the types of act each reaction may answer.
_REACTIONS = {
    "ACCUSE": ("ASSAULT", "COERCE", "MOBILIZE", "THREATEN", "SANCTION", "RETREAT", "REJECT"),
    "SUPPORT": ("AGREE", "AID", "CONCEDE", "COOPERATE", "SANCTION", "RETREAT"),
    "REJECT": ("ACCUSE", "REQUEST", "THREATEN", "SANCTION"),
}
_ANAPHORA_PARAGRAPHS = 3  # how far back the act may have been told
# Acts told with the same nouns: "le tir", "le lancement" may be a strike or a missile launch.
_KIN = {"ASSAULT": ("MOBILIZE",), "MOBILIZE": ("ASSAULT",)}


def _antecedent_act(found: tuple[Token, str | None], reaction: str, actors: list[Mention],
                    told: list[tuple[int, str, Mention]], para: int, lex: lexmod.Lexicon,
                    answered: list[tuple[int, str, str]] | None = None, res: Resolution | None = None,
                    responses: set[int] | None = None, kinds: tuple[str, ...] | None = None) -> Mention | None:
    """The actor of the act told before, in this paragraph or the three before, that the
    reaction may answer (of one of the object noun's own types when it is an event noun: "le
    tir" answers an attack or a missile launch), by another side than the reacting actors.
    The nearest such act, unless an earlier one already drew the same reaction from someone
    else after it was told ("X a tiré un missile. Z condamne X. … W a condamné le tir": X's,
    the act the reactions are about), and never one told as an answer to another ("X a tiré
    un missile. Y a riposté en tirant… W a condamné le tir": X's, or none)."""
    noun, noun_type = found
    if kinds is not None:
        allowed: tuple[str, ...] = kinds
    elif noun_type is None:
        allowed = _REACTIONS[reaction]
    else:
        kinds = {e.type for e in lex.noun_entries(noun.lemma_)} | {noun_type}
        allowed = tuple(kinds.union(*(_KIN.get(k, ()) for k in kinds)))
    actor_ids = {a.actor_id for a in actors}
    candidates: list[tuple[int, Mention]] = []
    for k in range(len(told) - 1, -1, -1):
        p, etype, actor = told[k]
        if para - p > _ANAPHORA_PARAGRAPHS:
            break
        if etype in allowed and actor.actor_id not in actor_ids and not (res is not None and any(
                actor.actor_id and same_side(actor.actor_id, a, res) for a in actor_ids if a)):
            candidates.append((k, actor))
    if not candidates:
        return None
    for k, actor in candidates:
        if any(seq > k and etype == reaction and rid == actor.actor_id for seq, etype, rid in answered or ()):
            return actor
    first = [actor for k, actor in candidates if k not in (responses or ())]
    return first[0] if first else None


_RESPONSE_NOUNS = ("represaille", "represailles", "riposte", "reponse", "replique")


def _response(pred: Token, lex: lexmod.Lexicon) -> bool:
    """Whether an act is told as an answer to another ("Y a riposté en tirant…", "en
    représailles, Y a frappé…"): a reaction that names an act of that kind more likely
    judges the one it answers."""
    words = lex.context.get(_WORD_LIST_PREFIX + "retaliate", set())
    if fold_rsquo(pred.lemma_) in words:
        return True
    head = pred.head if pred.dep_ in ("advcl", "xcomp", "obl", "obl:mod") else None
    if head is not None and fold_rsquo(head.lemma_) in words:
        return True
    return any(fold_rsquo(c.lemma_) in _RESPONSE_NOUNS and any(fold_rsquo(g.text) == "en" for g in c.children)
               for t in (pred, *([head] if head is not None else [])) for c in t.children)


# Reactions decided after the judgements are coded: a refusal of a case or a claim ("rejeter
# l'affaire") may answer a speaker's accusation ("X a saisi la Cour, arguant que Y a violé…").
_DEFERRED = ("REJECT",)


def _token_at(doc: Doc, char: int) -> int:
    """The index of the token at a character offset."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None else 0


def _rejected_accusation(match, rec: Mention, actor: Mention, res: Resolution,
                         lex: lexmod.Lexicon) -> tuple[str, Token] | None:
    """ "X rejette / se défend contre les accusations de Y": the one Y accuses, when the
    refusal's noun is an accusation whose owner is the recipient: the actor the noun says
    it is against ("contre notre pays"), else the one who refuses it."""
    if match.entry.type != "REJECT" or match.entry.kind != "light" or not rec.actor_id or not actor.actor_id:
        return None
    noun = next((t for t in match.trigger[1:] if t.pos_ == "NOUN" and any(
        e.type == "ACCUSE" for e in lex.noun_entries(t.lemma_))), None)
    if noun is None or not any(m.actor_id == rec.actor_id for m in owner(noun, res, lex)):
        return None
    for c in noun.children:
        if c.dep_ == "nmod" and case_of(c) in ("contre", "a l'encontre de", "envers", "visant"):
            m = mention_of(c, res)
            return (m.actor_id, noun) if m is not None and m.actor_id and m.actor_id != rec.actor_id else None
    return actor.actor_id, noun


def _judged_noun(noun: Token, lex: lexmod.Lexicon, reaction: str = "ACCUSE") -> bool:
    """ "un acte scandaleux", "une violation flagrante", "un crime": an indefinite generic act
    noun (``[eval_act_noun]``) that is itself a word of blame or that an adjective of blame
    qualifies (``[eval_bad]``), as what a condemnation names: it judges the act told before.
    What one welcomes needs no word of praise, only a qualifier ("saluer une initiative
    courageuse", "… une décision qui renforce…")."""
    if fold_rsquo(noun.lemma_) not in lex.context.get(_WORD_LIST_PREFIX + "act_noun", set()):
        return False
    if reaction == "SUPPORT":
        return not _listed(lex, "bad", noun) and any(c.dep_ in ("amod", "acl:relcl") for c in noun.children) \
            and not any(c.dep_ == "amod" and _listed(lex, "bad", c) for c in noun.children)
    return _listed(lex, "bad", noun) or any(c.dep_ == "amod" and _listed(lex, "bad", c) for c in noun.children)


def _undone(match, lex: lexmod.Lexicon) -> tuple[str, ...]:
    """The types of act a request's support noun asks to undo ("libération": a detention or a
    seizure; "levée": sanctions), from the ``[eval_undo]`` list."""
    nouns = [t for t in match.trigger[1:] if t.pos_ == "NOUN"]
    if not nouns:
        return ()
    key = fold_rsquo(nouns[0].lemma_)
    out = []
    for line in lex.context.get(_WORD_LIST_PREFIX + "undo", ()):
        word, _, etype = line.rpartition(" ")
        if word == key:
            out.append(etype.upper())
    return tuple(out)


_CLITICS = ("le", "la", "l'", "l’", "les")


def _object_clitic(recips: list[tuple[Mention, Token]]) -> bool:
    """Whether the recipients were found on a direct-object clitic that coreference took for
    an actor ("Y l'a condamné"): after a reaction it may stand for an act instead."""
    return all(m.via == "pronoun" and t.pos_ == "PRON" and t.lower_ in _CLITICS for m, t in recips)


# Dependency relations that end a clause: the clause's own marks are on the token they label.
_CLAUSE_DEPS = ("advcl", "ccomp", "acl", "acl:relcl", "parataxis", "ROOT", "csubj")


def _hypothesis(tok: Token, nominal: bool = False) -> bool:
    """Whether the predicate lies in a condition ("si X venait à imposer des sanctions", "en
    cas de nouvelles sanctions"): a hypothesis, not an act ("même si X a attaqué" is one).
    An act noun in a "si" clause is taken as known ("si X cesse ses attaques")."""
    t = tok
    for _ in range(6):
        for c in t.children if not nominal else ():
            if c.dep_ == "mark" and fold_rsquo(c.text) in ("si", "s'") and \
                    not (c.i > 0 and fold_rsquo(c.nbor(-1).text) == "meme"):
                return True
        if fold_rsquo(t.lemma_) == "cas" and any(fold_rsquo(c.text) in ("en", "au") for c in t.children
                                                   if c.dep_ == "case"):
            return True
        if t.dep_ in _CLAUSE_DEPS or t.head.i == t.i:
            return False
        t = t.head
    return False


# Hostile acts that, vowed or made under a condition, are threats (CAMEO 13): the code of
# the threat by the act's type (138 military force, 137 repression, 1312 sanctions).
_THREAT_CODES = {"ASSAULT": "138", "MOBILIZE": "138", "COERCE": "137", "SANCTION": "1312"}
_VOW = "eval_vow"  # the data word list of verbs whose infinitive complement is vowed


def _vowed(pred: Token, lex: lexmod.Lexicon) -> bool:
    """ "X a juré d'anéantir Y", "X promet de frapper Y": the act completes a vow (or its
    object: "X se réserve le droit de riposter")."""
    head = pred.head
    if pred.dep_ == "acl" and head.pos_ == "NOUN" and head.dep_ == "obj":
        head = head.head
    elif pred.dep_ != "xcomp":
        return False
    return head.pos_ == "VERB" and \
        bool({fold_rsquo(head.lemma_), guess_key(head.lower_)} & lex.context.get(_VOW, set()))


def _condition(pred: Token) -> Token | None:
    """The condition a verb's act is stated under ("si X attaque, Y ripostera", "Y
    ripostera en cas d'attaque"): the head of its "si" clause, or the "cas" noun."""
    for c in pred.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and fold_rsquo(m.text) in ("si", "s'") and not (
                m.i > 0 and fold_rsquo(m.nbor(-1).text) == "meme") for m in c.children):
            return c
        if c.dep_ in ("obl", "obl:mod") and fold_rsquo(c.lemma_) == "cas" and any(
                fold_rsquo(g.text) in ("en", "au") for g in c.children if g.dep_ == "case"):
            return c
    return None


# Prepositions of a time adjunct: a nominal event there is background the article states
# ("après les frappes de X"), not the claim a speaker reports.
_BACKGROUND_CASES = ("apres", "avant", "depuis", "lors de", "suite a", "a la suite de", "malgre")


_PROTESTER = _WORD_LIST_PREFIX + "protester"  # nouns of people who protest ("les manifestants")


def _protesters(m: Mention, doc: Doc, lex: lexmod.Lexicon) -> bool:
    """Whether a mention names people by their protest ("les manifestants", "les grévistes")."""
    words = lex.context.get(_PROTESTER, ())
    return any(t.pos_ == "NOUN" and fold_rsquo(t.lemma_) in words for t in doc[m.token_start:m.token_end])


def _named_again(noun: Token) -> bool:
    """Whether a noun names again something told before: a demonstrative or definite
    determiner ("ce rassemblement", "la manifestation"), not an indefinite one."""
    for c in noun.children:
        if c.dep_ == "det":
            return "Dem" in c.morph.get("PronType") or "Def" in c.morph.get("Definite")
    # the article inside a preposition: "au rassemblement", "du cortège"
    return any(c.dep_ == "case" and c.lower_ in ("au", "aux", "du") for c in noun.children)


def _background(noun: Token) -> bool:
    t = noun
    for _ in range(2):  # "à la suite des frappes", "après des semaines d'attaques"
        if case_of(t) in _BACKGROUND_CASES or any(fold_rsquo(c.text) in ("apres", "avant", "depuis", "lors", "suite")
                                                  for c in t.children if c.dep_ == "case"):
            return True
        if t.dep_ != "nmod" or t.head.pos_ != "NOUN":
            return False
        t = t.head
    return False


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
    # "X torpille le processus", "X porte la responsabilité de l'escalade"
    if head.pos_ == "VERB" and fold_rsquo(head.lemma_) not in _COPULAR and (_listed(lex, "hostile", head) or any(
            c.dep_ == "obj" and fold_rsquo(c.lemma_) == "responsabilite" and any(
                g.dep_ == "nmod" and _listed(lex, "harm", g) for g in c.children) for c in head.children)):
        return None if is_negated(head, lex) else "ACCUSE"
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
    if head.pos_ == "NOUN" and any(c.dep_ == "amod" and _listed(lex, "bad", c) for c in head.children):
        return None if negated else "ACCUSE"  # "c'est une décision dangereuse"
    return None


def _is_stance(tok: Token, lex: lexmod.Lexicon) -> bool:
    if tok.pos_ == "NOUN":  # "Pékin juge que…" tagged as a noun: no determiner, a "que" clause
        if any(c.dep_ == "det" for c in tok.children) or (tok.i > 0 and tok.nbor(-1).pos_ == "DET"):
            return False
        if not _que_clauses(tok, ("ccomp", "acl")):
            return False
    elif tok.pos_ != "VERB":
        return False
    return _stance_word(fold_rsquo(tok.lemma_), guess_key(tok.lower_), lex)


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


def _own_subject(head: Token, res: Resolution) -> Token | None:
    """The clause's subject in the head's own paragraph (a title the parser hangs on the
    next paragraph's clause is not its subject)."""
    for t in (head, *[c for c in head.children if c.dep_ == "cop"]):
        for c in t.children:
            if c.dep_ in NSUBJ and linked(c, head, res):
                return c
    return None


def _judged_heads(head: Token, res: Resolution) -> list[tuple[Token, Token | None]]:
    """A judged clause and the clauses coordinated with it, each with its subject (a
    coordinated clause without its own shares the first one's: "…était une préoccupation et
    avait entravé…")."""
    subj = _own_subject(head, res)
    out = [(head, subj)]
    for c in head.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "ADJ", "NOUN") and linked(c, head, res):
            out.append((c, _own_subject(c, res) or subj))
    return out


def _subject_actors(subj: Token, res: Resolution) -> list[Mention]:
    """The actor a judged subject names: itself ("Berlin ment"), else the owner its "de"
    complement names before an adjective ("l'enquête de l'UE sur les véhicules chinois" is
    the EU's), else as ``mention_of`` reads the phrase ("la décision allemande")."""
    m = res.mention_at_token(subj.i)
    if m is None:
        for c in subj.children:
            if c.dep_ == "nmod" and case_of(c) in _OWNER_CASES and case_of(c) != "":
                m = mention_of(c, res)
                if m is not None:
                    return expand_conj(m, c, res)
        m = mention_of(subj, res)
    return expand_conj(m, subj, res) if m is not None else []


_ANTECEDENT_REACH = 5  # paragraphs back a judged "cette décision" may point


def _judged_act(subj: Token, head: Token, lex: lexmod.Lexicon, res: Resolution,
                acts: list[tuple[int, str, Mention]]) -> list[Mention]:
    """ "C'est une décision extrêmement dangereuse", "cette mesure est inacceptable": a
    generic act noun (``[eval_act_noun]``) with no actor of its own, as the subject or as
    what "c'est" names, judges the act told last before it (any act but speech): its actor."""
    nouns = lex.context.get(_WORD_LIST_PREFIX + "act_noun", set())
    pronoun = subj.pos_ == "PRON" and fold_rsquo(subj.lemma_) in ("ce", "cela", "ca")
    noun = head if pronoun else subj
    if noun.pos_ != "NOUN" or fold_rsquo(noun.lemma_) not in nouns or mention_of(noun, res) is not None:
        return []
    if not pronoun and not any(c.dep_ == "det" and fold_rsquo(c.lemma_) == "ce" for c in subj.children):
        return []  # "une décision est…" names no act told before
    para = paragraph(subj, res)
    for i, etype, actor in reversed(acts):
        if i >= subj.i or etype in _SPEECH_TYPES:
            continue
        if para - paragraph(subj.doc[i], res) > _ANTECEDENT_REACH:
            return []
        return [actor]
    return []


# Acts of speech: what a judgement never points back to.
_SPEECH_TYPES = ("ACCUSE", "SUPPORT", "REQUEST", "REJECT", "CONSULT")


def _exposed(head: Token, lex: lexmod.Lexicon) -> bool:
    """Whether the clause says its subject is exposed to harm rather than harmful: a word of
    ``[eval_exposed]`` ("vulnérable", "menacé") or a noun of harm after a preposition ("en
    danger", "sous la menace", "à risque")."""
    t = head
    if fold_rsquo(head.lemma_) in _COPULAR and head.pos_ in ("VERB", "AUX"):
        objs = [c for c in head.children if c.dep_ in ("obj", "xcomp")]
        if not objs:
            return False
        t = objs[0]
    if t.pos_ == "NOUN":
        return any(c.dep_ == "case" for c in t.children)
    if t.pos_ == "VERB" and "Part" not in t.morph.get("VerbForm"):
        return False  # "X menace la paix" is hostile, "X est menacé" exposed
    return _listed(lex, "exposed", t)


def _judgement_events(head: Token, speakers: list[Mention], res: Resolution, lex: lexmod.Lexicon,
                      acts: list[tuple[int, str, Mention]]) -> list[tuple[str, Mention, Mention, Token]]:
    """(type, speaker, recipient, judged head) for a clause the speakers judge."""
    out = []
    for h, subj in _judged_heads(head, res):
        etype = _judgement(h, lex)
        if etype is None or subj is None:
            continue
        if res.mention_at_token(subj.i) is not None and _exposed(h, lex):
            continue  # "X est vulnérable / en danger / menacé": X is the one at risk
        if h.pos_ == "VERB" and is_passive(h) and _listed(lex, "hostile", h):
            # "Y a été manipulé par Z": the agent is the accused, the subject its victim
            recips = [m for c in h.children if c.dep_ == "obl:agent"
                      for m in _subject_actors(c, res)]
        else:
            recips = _subject_actors(subj, res) or _demonstrative_owner(subj, res) or (
                _judged_act(subj, h, lex, res, acts) if etype == "ACCUSE" else [])
        for a in speakers:
            for r in recips:
                if a.actor_id != r.actor_id and not same_side(a.actor_id, r.actor_id, res):
                    out.append((etype, a, r, h))
    return out


def _quote_clauses(q: Quote, doc: Doc) -> list[Token]:
    """The heads of the clauses a quote states: its tokens whose head lies outside it (or
    that head their sentence), verbs, adjectives or nouns."""
    span = doc.char_span(q.span[0], q.span[1], alignment_mode="contract")
    if span is None:
        return []
    return [t for t in span if t.pos_ in ("VERB", "ADJ", "NOUN") and (
        t.head.i == t.i or not span.start <= t.head.i < span.end)]


def _evaluations(doc: Doc, res: Resolution, lex: lexmod.Lexicon, quotes: list[Quote], published: str | None,
                 acts: list[tuple[int, str, Mention]]) -> list[tuple[Mention, Mention, int, dict]]:
    """Judgements as events: "X estime que les équipements de Y sont mal sécurisés" is
    X ACCUSE Y; "X fait savoir que les produits de Y ne sont pas les bienvenus" is
    X SANCTION Y. The recipient is the actor named in the judged clause's subject (or its
    owner), never the speaker's side. A quote's own clauses are its speaker's judgements
    too ("« Y torpille le processus », a déclaré X")."""
    out = []
    f = res.facts_for(doc)
    pos, lemma_key, toks = f.pos, f.lemma_key, f.toks
    guessed = f.derived("guess_key", f.lower, guess_key)
    for i in range(len(doc)):
        # _is_stance, its word test first (the rest reads the parse)
        if pos[i] not in ("NOUN", "VERB") or not _stance_word(lemma_key[i], guessed[i], lex):
            continue
        verb = toks[i]
        if not _is_stance(verb, lex):
            continue
        clauses = _que_clauses(verb, ("ccomp",) if verb.pos_ == "VERB" else ("ccomp", "acl"))
        if verb.dep_ == "xcomp" and fold_rsquo(verb.head.lemma_) == "faire":
            clauses += _que_clauses(verb.head, ("ccomp",))  # "faire savoir que"
        if not clauses:
            clauses = _near_que_clause(verb)
        if not clauses:
            continue
        actors, _ = agents(verb, res, lex)
        actors = [a for a in actors if (res.actors.get(a.actor_id) is None
                                        or res.actors[a.actor_id].kind != "media")]
        if not actors:
            continue
        for head in clauses:
            found = _judgement_events(head, actors, res, lex, acts)
            if not found:
                continue
            modality, att = classify(verb, res, lex, quotes)
            according = (att.actor or att.name) if att is not None else None
            for etype, a, r, _h in found:
                base = _evidence(f, verb, [verb], _EVAL_CAMEO[etype], (), modality, according, lex, published)
                base["type"] = etype
                out.append((a, r, f.sent(verb.i).start, base))
    for q in quotes:
        if not q.speaker or (res.actors.get(q.speaker) is not None and res.actors[q.speaker].kind == "media"):
            continue
        for head in _quote_clauses(q, doc):
            speaker = Mention(head.idx, head.idx + len(head.text), q.speaker, head.text, head.i, head.i + 1,
                              via="quote")
            for etype, a, r, h in _judgement_events(head, [speaker], res, lex, acts):
                base = _evidence(f, h, [h], _EVAL_CAMEO[etype], (), "asserted", None, lex, published)
                base["type"] = etype
                out.append((a, r, f.sent(h.i).start, base))
    return out


def _future_form(tok: Token) -> bool:
    """A future or conditional form the tagger read as a present ("viendrait", "pourra"):
    its ending, unless it is the imperfect or the simple past of its own verb."""
    form, lemma = fold_rsquo(tok.text), fold_rsquo(tok.lemma_)
    if not form.endswith(("rait", "raient", "ra", "ront")) or len(form) < 5:
        return False
    stem = lemma[:-2] if lemma.endswith(("er", "ir", "re")) else lemma
    return form not in (stem + "ait", stem + "aient", stem + "a")


def _negative(head: Token) -> bool:
    """A clause with "ne" on its head or auxiliaries ("n'avait rien à voir", "n'a jamais
    été"), not in the future or the conditional (a refusal to come, not a denial)."""
    words = [head, *(c for c in head.children if c.dep_.startswith("aux") or c.dep_ == "cop")]
    return not is_future(head) and not any(_future_form(w) for w in words) and any(
        fold_rsquo(c.text) in ("ne", "n'") for w in words for c in w.children if c.dep_ == "advmod")


def _denials(doc: Doc, res: Resolution, quotes: list[Quote], lex: lexmod.Lexicon,
             published: str | None) -> list[tuple[Mention, Mention, int, dict]]:
    """A denial answers a claim: a speaker whose own clause says his side did not do or has
    nothing to do with something ("X a déclaré que X n'avait rien à voir avec…", « nous
    n'avons jamais… ») REJECTs the other side's speaker who, in the few paragraphs before,
    spoke about his side ("Y affirme que le navire appartient à X")."""
    out = []
    f = res.facts_for(doc)
    for k, q in enumerate(quotes):
        if not q.speaker:
            continue
        for head in _quote_clauses(q, doc):
            subj = _own_subject(head, res)
            if subj is None or not _negative(head):
                continue
            if subj.lower_ in FIRST_PERSON and q.direct:
                own = True
            else:
                m = res.mention_at_token(subj.i)
                own = m is not None and (m.actor_id == q.speaker or same_side(m.actor_id, q.speaker, res))
            if not own:
                continue
            para = paragraph(head, res)
            accuser = None
            for p in reversed(quotes[:k]):
                if p.span[1] > q.span[0]:
                    continue
                before = doc.char_span(p.span[0], p.span[1], alignment_mode="contract")
                if before is None:
                    continue
                if para - paragraph(before[0], res) > _ANAPHORA_PARAGRAPHS:
                    break
                if not p.speaker or p.speaker == q.speaker or same_side(p.speaker, q.speaker, res):
                    continue
                named = {m.actor_id for m in res.mentions_in(p.span[0], p.span[1])}
                if any(x == q.speaker or same_side(x, q.speaker, res) for x in named):
                    accuser = p
                    break
            if accuser is None:
                continue
            speaker = Mention(head.idx, head.idx + len(head.text), q.speaker, head.text, head.i, head.i + 1,
                              via="quote")
            target = Mention(accuser.span[0], accuser.span[1], accuser.speaker, accuser.speaker, 0, 0,
                             via="quote")
            base = _evidence(f, head, [head], "120", (), "asserted", None, lex, published)
            out.append((speaker, target, f.sent(head.i).start, base))
            break
    return out


def _retaliations(doc: Doc, res: Resolution, lex: lexmod.Lexicon, quotes: list[Quote],
                  published: str | None) -> list[tuple[Mention, Mention | None, int, dict]]:
    """Retaliation announced: a verb of the ``[eval_retaliate]`` list in the future, under a
    condition or vowed ("Paris répliquera", "X ripostera si Y…", "X réagira en cas
    d'attaque", "X se réserve le droit de réagir") is a
    threat, its recipient the actor the condition names, if any (CAMEO 130)."""
    words = lex.context.get(_WORD_LIST_PREFIX + "retaliate", set())
    if not words:
        return []
    out = []
    f = res.facts_for(doc)
    for i in range(len(doc)):
        if f.pos[i] != "VERB" or f.lemma_key[i] not in words:
            continue
        verb = f.toks[i]
        cond = _condition(verb)
        if (cond is None and not is_future(verb) and not _vowed(verb, lex)) or is_negated(verb, lex) \
                or _hypothesis(verb):
            continue
        actors, who = agents(verb, res, lex)
        if not actors and who is not None:
            me = speaker_of(who, quotes, res)
            actors = [me] if me is not None else []
        if not actors:
            continue
        ids = {a.actor_id for a in actors}
        recips: list[Mention | None] = [m for m in (agents(cond, res, lex)[0] if cond is not None and
                                                    cond.dep_ == "advcl" else []) if m.actor_id not in ids]
        modality, att = classify(verb, res, lex, quotes)
        if modality == "planned":
            modality = "asserted"  # the retaliation is planned; the threat is made
        according = (att.actor or att.name) if att is not None else None
        base = _evidence(f, verb, [verb], "130", ("military",), modality, according, lex, published)
        for a in actors:
            for r in recips or [None]:
                out.append((a, r, f.sent(verb.i).start, base))
    return out


_PRESENCE = _WORD_LIST_PREFIX + "presence"  # nouns of taking part ("sa présence", "sa participation")


def _presences(doc: Doc, res: Resolution, lex: lexmod.Lexicon, quotes: list[Quote], published: str | None,
               told: list[Event]) -> list[tuple[Mention, str | None, int, dict]]:
    """Taking part in a protest: an actor that announces or confirms its own presence or
    participation ("X a annoncé sa présence / sa participation") at a protest ("à la
    manifestation") or, after a protest was told and with no other place of its own, in
    order to protest or denounce ("… pour dénoncer …") protests, at the target of the
    protest told before, if any (CAMEO 141)."""
    words = lex.context.get(_PRESENCE, set())
    out: list[tuple[Mention, str | None, int, dict]] = []
    if not words:
        return out
    f = res.facts_for(doc)
    for i in range(len(doc)):
        if f.pos[i] != "NOUN" or f.lemma_key[i] not in words:
            continue
        noun = f.toks[i]
        verb = noun.head
        if noun.dep_ != "obj" or verb.pos_ != "VERB" or not has_head(noun, res) \
                or not any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in noun.children):
            continue
        at_protest = any(c.dep_ == "nmod" and case_of(c) == "a" and any(
            e.type == "PROTEST" for e in lex.noun_entries(c.lemma_)) for c in noun.children)
        to_protest = any(c.dep_ == "advcl" and linked(c, verb, res) and any(
            m.dep_ == "mark" and m.lower_ == "pour" for m in c.children)
            and any(e.type in ("PROTEST", "ACCUSE") for e in lex.verb_entries(c.lemma_)) for c in verb.children)
        elsewhere = any(c.dep_ == "nmod" and case_of(c) == "a" and c.pos_ == "NOUN" for c in noun.children)
        before = [e.recipient for e in told if e.type == "PROTEST" and e.span[0] < noun.idx]
        # to denounce something at a protest told before, not at some other meeting
        to_protest = to_protest and bool(before) and not elsewhere
        if not (at_protest or to_protest) or is_negated(verb, lex) or _hypothesis(verb):
            continue
        actors, _ = agents(verb, res, lex)
        named = [a for a in actors if doc[a.token_start].pos_ != "ADJ"]
        actors = named or actors  # "la confédération italienne, X,": X, not the adjective's country
        if not actors:
            continue
        before = [r for r in before if r]
        modality, att = classify(verb, res, lex, quotes)
        according = (att.actor or att.name) if att is not None else None
        base = _evidence(f, verb, [noun], "141", (), modality, according, lex, published)
        for a in actors:
            rec = before[-1] if before and before[-1] != a.actor_id else None
            out.append((a, rec, f.sent(verb.i).start, base))
    return out


# Openings of a sentence with no verb that adds actors to the one before ("Tout comme
# d'autres syndicats, tels que X.").
_LIKEWISE = (("tout", "comme"), ("de", "meme", "que"), ("ainsi", "que"))
# How an actor hangs on the head noun of such a sentence: itself, or its examples ("tels
# que X", "dont X", "X et Y"), not a complement ("en lien avec Y").
_EXAMPLE_DEPS = ("dep", "appos", "conj", "amod", "flat:name", "flat")


def _likewise(doc: Doc, res: Resolution, told: list[Event]) -> list[tuple[str, Event]]:
    """A sentence with no verb that opens with "Tout comme", "De même que" or "Ainsi
    que" and names actors ("Tout comme d'autres syndicats, tels que X.") says they do the
    acts of the sentence before, with the same recipients."""
    out: list[tuple[str, Event]] = []
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        words = [t for t in sent if not t.is_space]
        if k == 0 or not words:
            continue
        low = [fold_rsquo(t.text) for t in words[:3]]
        if not any(tuple(low[:len(p)]) == p for p in _LIKEWISE):
            continue
        if any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in words):
            continue
        root = sent.root
        ids: list[str] = []
        for m in res.mentions_in(sent.start_char, sent.end_char):
            t = doc[m.token_start]
            ok = True
            for _ in range(6):
                if t.i == root.i:
                    break
                if t.dep_ not in _EXAMPLE_DEPS or not (sent.start <= t.head.i < sent.end):
                    ok = False
                    break
                t = t.head
            actor = res.actors.get(m.actor_id) if m.actor_id else None
            if ok and t.i == root.i and actor is not None and actor.kind != "media" and m.actor_id not in ids:
                ids.append(m.actor_id)
        j = k - 1
        while j >= 0 and not any(not t.is_space for t in sents[j]):
            j -= 1
        if j < 0 or not ids:
            continue
        prev = sents[j]
        for e in told:
            if prev.start_char <= (e.trigger_span[0] if e.trigger_span else e.span[0]) < prev.end_char:
                out.extend((a, e) for a in ids if a != e.actor)
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
    told_acts: list[tuple[int, str, Mention]] = []  # (paragraph, type, actor) of each event so far
    acts_at: list[tuple[int, str, Mention]] = []  # (token, type, actor) of each event so far
    answered: list[tuple[int, str, str]] = []  # (index in told_acts, type, recipient) of each reaction
    responses: set[int] = set()  # indices in told_acts of acts told as answers to another
    told_at: list[int] = []  # the character offset of each act in told_acts
    pending: list[tuple] = []  # refusals whose antecedent may be a judgement
    protest_targets: list[Mention] = []  # the recipient of each protest so far
    f = resolution.facts_for(doc)
    pos, lemma_key, toks = f.pos, f.lemma_key, f.toks
    guessed = f.derived("guess_key", f.lower, guess_key)
    for i in range(len(doc)):
        if i in used:
            continue
        # Only a lemma (or a guessed infinitive) the lexicon knows can match: read it first.
        if pos[i] in ("VERB", "AUX") and lex.is_verb(lemma_key[i]):
            tok = toks[i]
            match = match_verb(tok, lex)
        elif pos[i] in ("NOUN", "VERB", "ADJ"):
            # a noun, or a verb the tagger mislabelled or lemmatised as its own form
            if not (pos[i] == "NOUN" and lex.is_noun(lemma_key[i])) and not (guessed[i] and lex.is_verb(guessed[i])):
                continue
            tok = toks[i]
            match = (match_noun(tok, lex) if pos[i] == "NOUN" else None) or match_mistagged(tok, lex)
        else:
            continue
        if match is None:
            continue
        if tok.pos_ == "VERB" and adjectival(tok):
            continue
        if _content_of_request(match.pred, lex, resolution) or _hypothesis(tok, match.entry.kind == "noun"):
            continue
        used.update(t.i for t in match.trigger)
        entry = match.entry
        # A hostile act vowed or stated under a condition is a threat ("Y ripostera si X…").
        cond = _condition(match.pred) if match.pred.pos_ == "VERB" else None
        threat = entry.type in _THREAT_CODES and match.pred.pos_ == "VERB" and (
            cond is not None or _vowed(match.pred, lex))
        if threat:
            entry = replace(entry, type="THREATEN", cameo=_THREAT_CODES[entry.type], solo=entry.solo or cond is not None)
        if entry.kind == "noun":
            actors, who = noun_agents(tok, resolution, lex, entry)
        else:
            actors, who = agents(match.pred, resolution, lex)
        if not actors and who is not None:
            me = speaker_of(who, quotes, resolution)  # « Nous condamnons… », a déclaré X
            actors = [me] if me is not None else []
        if actors and entry.kind != "noun" and not match.reversed:
            # "X l'a condamné, tout comme Y": Y does the act too
            actors = actors + co_actors(match.pred, actors, resolution)
        recips = recipients(match, actors, resolution, lex) if actors else []
        if threat and not recips and cond is not None and cond.dep_ == "advcl":
            # "si X impose des sanctions, Y ripostera": the one the condition names
            ids = {a.actor_id for a in actors}
            recips = [(m, cond) for m in agents(cond, resolution, lex)[0] if m.actor_id not in ids]
        if match.reversed:  # "X a reçu le soutien de Y": the subject receives, the roles act
            actors, recips = [r for r, _ in recips], [(a, match.pred) for a in actors]
        parties = False
        if not actors and "entre" in entry.roles:
            actors = between(match, resolution)
            parties = True
        if not actors and entry.type in _CROWD_TYPES and who is not None and who.pos_ == "NOUN" \
                and resolution.mention_at_token(who.i) is None and fold_rsquo(who.text) in lex.context.get(_CROWD, ()):
            # "des milliers de manifestants ont pris d'assaut l'ambassade de X": an unnamed actor
            recips = recipients(match, [], resolution, lex)
            if recips:
                actors = [Mention(who.idx, who.idx + len(who.text), None, who.text, who.i, who.i + 1)]
        if not actors:
            continue
        modality, att = classify(match.pred, resolution, lex, quotes)
        if (threat or entry.future) and modality == "planned":
            modality = "asserted"  # the act is planned; the threat is made
        if entry.negated and modality == "negated":
            modality = "asserted"  # "ne pas reconnaître" is the act of refusing
        according = None
        if att is not None:
            according = att.actor or att.name
        if modality == "reported" and entry.kind == "noun" and _background(tok):
            # "après les frappes de X, …, a déclaré Y": told as known (the speaker still
            # accuses X of them, below)
            modality, according = "asserted", None
        sent = f.sent(tok.i)
        base = _evidence(f, match.pred, match.trigger, entry.cameo, entry.context, modality, according,
                         lex, published)
        found = None
        roleless = not recips or _object_clitic(recips) or all(t.i == match.pred.i for _, t in recips)
        if entry.type in _REACTIONS and modality != "negated" and roleless:
            # "Le Japon a condamné le tir": the actor of the act the object names ("l'ont
            # condamné" names an act before an actor, when one was told; "rejeter l'affaire
            # devant X" the act before rather than an actor named after the object)
            found = act_object(match, resolution, lex, (lambda n, t=entry.type: _judged_noun(n, lex, t))
                               if entry.type in ("ACCUSE", "SUPPORT") else None)
            if found is not None:
                earlier = _antecedent_act(found, entry.type, actors, told_acts, paragraph(tok, resolution), lex,
                                          answered, resolution, responses)
                if earlier is not None:
                    recips = [(earlier, found[0])]
                    found = None
        if not recips and entry.type == "REQUEST" and entry.kind == "light" and modality != "negated":
            # "X a exigé la libération du navire": addressed to who seized it
            undo = _undone(match, lex)
            if undo:
                earlier = _antecedent_act((match.trigger[-1], None), entry.type, actors, told_acts,
                                          paragraph(tok, resolution), lex, None, resolution, responses, undo)
                if earlier is not None:
                    recips = [(earlier, match.trigger[-1])]
        if not recips and entry.type in _TARGETED and not entry.solo and modality != "negated":
            # "X a mené une attaque visant des sites en Y": the act's target, named in its clause
            recips = clause_target(match, actors, att.actor if att is not None else None, resolution, lex)
        if not recips and entry.type == "PROTEST" and entry.kind == "noun" and modality != "negated" \
                and protest_targets and _named_again(tok):
            # "X est associé à ce rassemblement": the protest told before, aimed at its target
            ids = {a.actor_id for a in actors}
            last = protest_targets[-1]
            if last.actor_id not in ids:  # (one's own government or firm may be the target)
                recips = [(last, tok)]
        if found is not None and entry.type in _DEFERRED:
            # the act it answers may be a judgement, coded below: decided once they are
            pending.append((found, entry, actors, recips, tok, sent.start, base, len(told_acts)))
            continue
        # A participle with its agent is a passive: its recipient is the noun it modifies.
        solo = entry.solo and not (tok.pos_ == "VERB" and participle_with_agent(tok))
        if entry.type == "PROTEST" and entry.kind == "noun" and joins(tok, lex):
            solo = True  # "X participe à la manifestation": X protests, at whom the text may not say
        targets: list[Mention | None] = [r for r, _ in recips] or ([None] if solo else [])
        # Several actors and no recipient: parties to one another ("X et Y ont signé un
        # accord", "des négociations entre X et Y", "X et Y s'accusent mutuellement").
        # (A passive's agents are parties only to an agreement: "un accord conclu par X et Y",
        # not "une lettre consultée par X et Y".)
        passive = is_passive(match.pred) or (tok.pos_ == "VERB" and participle_with_agent(tok))
        mutual = not recips and len(actors) >= 2 and (not passive or entry.type == "AGREE") and (
            (entry.type in _SYMMETRIC and (entry.kind != "noun" or parties))
            or (not entry.solo and reciprocal(match.pred)))
        if not targets and entry.type in _HOSTILE and modality != "negated":
            # an attack told with no target may still be what a reaction answers ("X a tiré
            # un missile. Y a condamné ce tir")
            for a in actors:
                if a.actor_id:
                    if _response(match.pred, lex):
                        responses.add(len(told_acts))
                    told_acts.append((paragraph(tok, resolution), entry.type, a))
                    told_at.append(tok.idx)
        for actor in actors:
            if mutual:
                targets = [a for a in actors if a.actor_id != actor.actor_id]
            for rec in targets:
                rid = rec.actor_id if rec is not None else None
                if rid == actor.actor_id:
                    continue
                key = (sent.start, entry.type, actor.actor_id, rid)
                if key in seen:
                    continue
                seen.add(key)
                events.append(Event(type=entry.type, actor=actor.actor_id, recipient=rid, **base))
                if entry.type == "PROTEST" and rec is not None and rec.actor_id:
                    protest_targets.append(rec)
                if entry.type == "ASSAULT" and rid and modality != "negated" and _protesters(actor, doc, lex) \
                        and (sent.start, "PROTEST", actor.actor_id, rid) not in seen:
                    # "des manifestants ont pris d'assaut l'ambassade de X": a violent protest
                    seen.add((sent.start, "PROTEST", actor.actor_id, rid))
                    events.append(Event(type="PROTEST", actor=actor.actor_id, recipient=rid, **dict(base, cameo="145")))
                if entry.type == "CONCEDE" and rec is not None and rid and modality != "negated" \
                        and _protesters(rec, doc, lex) and (sent.start, "PROTEST", rid, actor.actor_id) not in seen:
                    # "X a accédé aux demandes des manifestants": they protested against X
                    seen.add((sent.start, "PROTEST", rid, actor.actor_id))
                    events.append(Event(type="PROTEST", actor=rid, recipient=actor.actor_id, **dict(
                        base, cameo="140", modality="asserted", according_to=None)))
                accused = _rejected_accusation(match, rec, actor, resolution, lex) if rec is not None else None
                if accused is not None and (sent.start, "ACCUSE", rid, accused[0]) not in seen:
                    # "X rejette les accusations de Y": Y's accusation is told too
                    seen.add((sent.start, "ACCUSE", rid, accused[0]))
                    n = accused[1]
                    events.append(Event(type="ACCUSE", actor=rid, recipient=accused[0], **dict(
                        base, cameo="112", modality="asserted", according_to=None, trigger=n.text,
                        trigger_span=(n.idx, n.idx + len(n.text)))))
                if entry.type in _REACTIONS and rid is not None:
                    answered.append((len(told_acts), entry.type, rid))
                if _response(match.pred, lex):
                    responses.add(len(told_acts))
                told_acts.append((paragraph(tok, resolution), entry.type, actor))
                told_at.append(tok.idx)
                acts_at.append((tok.i, entry.type, actor))
            # A hostile act told by a speaker is the speaker's accusation.
            # a noun is told when it is an argument of the clause, not in passing ("après l'attaque de X")
            told = targets or entry.kind != "noun" or tok.dep_ in ("obj", "nsubj", "nsubj:pass")
            if entry.type in _HOSTILE and told and actor.actor_id and att is not None and att.actor \
                    and att.actor != actor.actor_id \
                    and att.via in ("speech", "quote") and modality != "negated":
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
                answered.append((len(told_acts), "ACCUSE", actor.actor_id))
    n_loop = len(events)
    def emit(sent_start: int, etype: str, actor_id: str | None, rid: str | None, fields: dict) -> None:
        """One event per sentence, type, actor and recipient: the first one coded wins."""
        key = (sent_start, etype, actor_id, rid)
        if key not in seen:
            seen.add(key)
            events.append(Event(type=etype, actor=actor_id, recipient=rid, **fields))

    for actor, rec, sent_start, base in _evaluations(doc, resolution, lex, quotes, published, acts_at):
        fields = dict(base)
        etype = fields.pop("type")
        emit(sent_start, etype, actor.actor_id, rec.actor_id, fields)
    judged = [(e.trigger_span[0] if e.trigger_span else e.span[0], e) for e in events[n_loop:]]
    for found, entry, actors, fallback, tok, sent_start, base, n in pending:
        acts = sorted([(told_at[k], k, told_acts[k]) for k in range(n)] + [
            (at, -1, (paragraph(doc[_token_at(doc, at)], resolution), e.type, Mention(
                at, at + 1, e.actor, e.actor, 0, 0, via="judgement"))) for at, e in judged if at < tok.idx and e.actor],
            key=lambda x: x[0])
        earlier = _antecedent_act(found, entry.type, actors, [a for _, _, a in acts], paragraph(tok, resolution), lex,
                                  None, resolution, {j for j, (_, k, _) in enumerate(acts) if k in responses})
        targets = [earlier] if earlier is not None else [r for r, _ in fallback]
        for actor in actors:
            for rec in targets:
                if rec.actor_id != actor.actor_id:
                    emit(sent_start, entry.type, actor.actor_id, rec.actor_id, base)
    for actor, rec, sent_start, base in _denials(doc, resolution, quotes, lex, published):
        emit(sent_start, "REJECT", actor.actor_id, rec.actor_id, base)
    for actor, rec, sent_start, base in _retaliations(doc, resolution, lex, quotes, published):
        rid = rec.actor_id if rec is not None else None
        key = (sent_start, "THREATEN", actor.actor_id, rid)
        if key in seen or (rid is None and any(k[:3] == key[:3] for k in seen)):
            continue  # one threat a sentence (a recipient already found wins)
        seen.add(key)
        events.append(Event(type="THREATEN", actor=actor.actor_id, recipient=rid, **base))
    for actor, rid, sent_start, base in _presences(doc, resolution, lex, quotes, published, list(events)):
        emit(sent_start, "PROTEST", actor.actor_id, rid, base)
    for actor_id, e in _likewise(doc, resolution, events):
        key = (e.span[0], e.type, actor_id, e.recipient)
        if actor_id == e.recipient or key in seen:
            continue
        seen.add(key)
        events.append(replace(e, actor=actor_id))
    events.sort(key=lambda e: (e.span[0], e.trigger_span[0] if e.trigger_span else 0))
    return events


__all__ = ["extract"]
