"""The ``veille`` command. It parses and prints; the library does the work.

Each command is a small function registered on ``app``. Wrap a command's body in
``with friendly():`` so that errors reach the user as one line on standard error
(exit status 1), never as a traceback.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core
from rich.console import Console
from rich.text import Text

try:  # typer ships its own copy of click from 0.2x on
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer on click
    from click import exceptions as click_errors  # type: ignore[no-redef]

from .config import Config, load_config
from .errors import ConfigError, VeilleError, one_line


class _Group(typer.core.TyperGroup):
    """The command group, with usage errors, a closed pipe and Ctrl-C handled the Unix way."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        _plain_help(self)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as e:
            try:
                print(e.format_message())
            except BrokenPipeError:
                _quiet_pipe()
            sys.exit(0)
        except click_errors.ClickException as e:
            err(usage_line(e))
            sys.exit(e.exit_code)
        except typer.Abort:
            err("veille: interrupted")
            sys.exit(130)
        except BrokenPipeError:
            _quiet_pipe()
            sys.exit(PIPE_CLOSED)
        sys.exit(code if isinstance(code, int) else 0)


def _plain_help(group: Any) -> None:
    """Help names each argument by its metavar (``PATH...``, ``QUERY``), without a Python type
    label or braces, and says number ranges in words ("1 or more", not "x>=1")."""
    for command in getattr(group, "commands", {}).values():
        for param in command.params:
            if getattr(param, "param_type_name", "") == "argument":
                if hasattr(param, "display_type_rich"):
                    param.display_type_rich = lambda ctx: None
                if hasattr(param, "_usage_display_name"):
                    param._usage_display_name = lambda p=param: _usage_name(p)
            if hasattr(param, "_get_number_range_help_str"):
                low, high = getattr(param, "min", None), getattr(param, "max", None)
                param._get_number_range_help_str = lambda low=low, high=high: _range_words(low, high)


def _usage_name(param: Any) -> str:
    name = param.metavar or str(param.name).upper()
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if param.required else f"[{name}]"


def _range_words(low: Any, high: Any) -> str | None:
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"{low} or more"
    if high is not None:
        return f"at most {high}"
    return None


def usage_line(e: Any) -> str:
    """A usage error as one line, naming the help to read."""
    message = " ".join(e.format_message().split())
    ctx = getattr(e, "ctx", None)
    where = ctx.command_path if ctx is not None else "veille"
    return f"veille: {message} (see '{where} --help')"


PIPE_CLOSED = 141  # the status of a program ended by SIGPIPE, as 'yes | head' gives


def _quiet_pipe() -> None:
    """Standard output was closed by the reader (``veille export | head``): point it at /dev/null so
    that the final flush at exit does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


app = typer.Typer(
    name="veille", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    cls=_Group, rich_markup_mode=None,
    help="News intelligence for French news: stories, events with modality, quotes with speakers, "
         "all with evidence.")

MAX_ERROR_LINES = 50  # failures printed by 'veille run' (all are kept in the store)

DbOption = Annotated[Path | None, typer.Option("--db", metavar="FILE", help="The store file (default: veille.db, or "
                                                          "[store] path of the settings).")]
ConfigOption = Annotated[Path | None, typer.Option("--config", metavar="FILE", help="A TOML settings file overriding "
                                                                    "the defaults.")]


def err(text: str) -> None:
    """One line on standard error."""
    print(text, file=sys.stderr, flush=True)


@contextmanager
def friendly() -> Iterator[None]:
    """Turn errors into one line on stderr and exit status 1 (130 on Ctrl-C).

    ``VEILLE_DEBUG=1`` lets unexpected errors through with their traceback.
    """
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except BrokenPipeError:  # the reader stopped reading: not an error of ours
        _quiet_pipe()
        raise typer.Exit(PIPE_CLOSED) from None
    except VeilleError as e:
        err(f"veille: {one_line(str(e))}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err("veille: interrupted; what was stored so far is kept, run the same command again to go on")
        raise typer.Exit(130) from None
    except Exception as e:
        if os.environ.get("VEILLE_DEBUG"):
            raise
        err(f"veille: unexpected error: {type(e).__name__}: {one_line(str(e))} (run with VEILLE_DEBUG=1 for details)")
        raise typer.Exit(1) from None


def _version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"veille {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """News intelligence for French news: stories, events with modality, quotes with speakers,
    all with evidence."""


def _setup_logging(verbose: bool = False) -> None:
    logger = logging.getLogger("veille")
    if not any(getattr(h, "_veille_cli", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("veille: %(levelname)s: %(message)s"))
        handler._veille_cli = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def settings(config: Path | None) -> Config:
    """The defaults overlaid by ``config``."""
    return load_config(config) if config else Config()


def db_path(db: Path | None, cfg: Config | None = None) -> Path:
    """The store file: ``--db``, else the settings' ``[store] path``."""
    return db if db is not None else Path((cfg or Config()).store.path)


def open_readonly(db: Path | None, cfg: Config | None = None) -> Any:
    """The store at ``db`` for reading (StoreError when there is none)."""
    from .store import open_store
    return open_store(db_path(db, cfg), readonly=True)


# -- veille run ------------------------------------------------------------------------------
class Engine(str, Enum):
    local = "local"
    spark = "spark"


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Files, folders or globs: .txt, .html/.htm, .jsonl, "
                                                    ".warc/.warc.gz, RSS/Atom .xml.", show_default=False)],
    db: DbOption = None,
    config: ConfigOption = None,
    actors: Annotated[list[Path] | None, typer.Option("--actors", metavar="FILE", help="An extra actors file (repeatable).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, metavar="N", help="Processes for the nlp stage.")] = None,
    engine: Annotated[Engine, typer.Option("--engine", metavar="local|spark", help="local (into the store) or spark (Parquet "
                                                            "files under --out).")] = Engine.local,
    master: Annotated[str | None, typer.Option("--master", metavar="URL", help="Spark master URL (default local[*]).")] = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="DIR", help="Output folder of --engine spark.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does.")] = False,
) -> None:
    """Run the whole pipeline on PATHS into the store; already stored articles are skipped."""
    _setup_logging(verbose)
    with friendly():
        cfg = settings(config)
        nlp: dict[str, Any] = {}
        if actors:
            nlp["actors"] = [*cfg.nlp.actors, *(str(p) for p in actors)]
        if workers:
            nlp["workers"] = workers
        if nlp:
            cfg = cfg.with_overrides(nlp=nlp)
        if engine is Engine.spark:
            _run_spark(paths, cfg, master=master, out=out, quiet=quiet)
            return
        _run_local(paths, cfg, db_path(db, cfg), quiet=quiet)


def _run_local(paths: list[str], cfg: Config, db: Path, *, quiet: bool) -> None:
    from .runners.local import run_pipeline
    from .store import open_store

    with open_store(db) as store:
        if quiet:
            summary = run_pipeline(paths, cfg, store)
        else:
            from .ingest import survey
            from .runners.progress import View

            inputs = survey(paths, follow_symlinks=cfg.ingest.follow_symlinks)
            with View(inputs, console=Console(stderr=True, highlight=False)) as view:
                summary = run_pipeline(paths, cfg, store, progress=view)
    for f in summary.failures[:MAX_ERROR_LINES]:
        where = f" [{f.locator}]" if f.locator else ""
        err(f"veille: {f.source}{where}: {one_line(f.reason)}")
    if summary.failed > MAX_ERROR_LINES:
        err(f"veille: … and {summary.failed - MAX_ERROR_LINES} more failures: veille errors --db {db}")
    if not quiet:
        err(f"{summary.line()} → {db}")
    if summary.processed == 0:
        err("veille: nothing could be processed" + (": see the reasons above" if summary.failed else
                                                     ": no article found in the inputs"))
        raise typer.Exit(1)


def _run_spark(paths: list[str], cfg: Config, *, master: str | None, out: Path | None, quiet: bool) -> None:
    if out is None:
        raise VeilleError("--engine spark writes Parquet files: give the output folder with --out DIR")
    from .runners import spark

    summary = spark.run_pipeline(paths, cfg, out=out, master=master,
                                 log_progress=None if quiet else lambda text: err(f"veille: spark: {text}"))
    if not quiet:
        err(summary.line())
    if not summary.articles:
        err("veille: nothing could be processed")
        raise typer.Exit(1)


# -- veille import ---------------------------------------------------------------------------
@app.command("import")
def import_cmd(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The --out folder of 'veille run --engine spark'.",
                                           show_default=False)],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Load a Spark run's Parquet output into the store: articles, failures, stories and the
    duplicate and story indexes (no Java needed)."""
    with friendly():
        cfg = settings(config)
        from .store import open_store
        from .store.parquet import import_output

        path = db_path(db, cfg)
        with open_store(path) as store:
            summary = import_output(folder, store, batch_size=cfg.store.batch_size)
            _import_event_records(store)
        err(f"{summary.line()} → {path}")
        if summary.added + summary.known == 0:
            err("veille: no article in this folder")
            raise typer.Exit(1)


def _import_event_records(store: Any) -> None:
    """The event records of every story, the imported ones with the others (the rule of
    every runner)."""
    from .runners.local import put_event_records

    with store.writer():
        put_event_records(store, list(store.story_ids()))


# -- veille export ---------------------------------------------------------------------------
class ExportFormat(str, Enum):
    jsonl = "jsonl"
    events = "events"


class EventRows(str, Enum):
    record = "record"
    mention = "mention"


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[ExportFormat, typer.Option("--format", metavar="jsonl|events", help="Output format: jsonl "
                                                 "(one article a line), or events (event records as CSV, or Parquet "
                                                 "when FILE ends in .parquet).")] = ExportFormat.jsonl,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write to this file instead of "
                                                                       "standard output.")] = None,
    per: Annotated[EventRows, typer.Option("--per", metavar="record|mention", help="With --format events: one row "
                                           "an event record, or one row a mention of one.")] = EventRows.record,
) -> None:
    """Write every stored article as one JSON object a line (see "The export format"), or
    the event records as CSV or Parquet (--format events, see "The events export")."""
    if format is ExportFormat.events:
        _export_events(db, output, per.value)
        return
    with friendly(), open_readonly(db) as store:
        n = 0
        if output is None:
            for d in store.export():
                sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
                n += 1
            sys.stdout.flush()
            return
        tmp = output.with_name(output.name + ".part")
        try:
            with tmp.open("w", encoding="utf-8") as fh:
                for d in store.export():
                    fh.write(json.dumps(d, ensure_ascii=False) + "\n")
                    n += 1
            tmp.replace(output)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise VeilleError(f"cannot write {output} ({e.strerror or e})") from e
        err(f"{n} articles → {output}")


def _export_events(db: Path | None, output: Path | None, per: str) -> None:
    """``veille export --format events``: CSV to standard output or FILE, Parquet to FILE.parquet."""
    from .serve import eventexport

    with friendly(), open_readonly(db) as store:
        _say_pending_event_records(store)
        if output is None:
            eventexport.write_csv(eventexport.rows(store, per), sys.stdout, per)
            sys.stdout.flush()
            return
        tmp = output.with_name(output.name + ".part")
        try:
            if output.suffix.lower() in (".parquet", ".pq"):
                n = eventexport.write_parquet(eventexport.rows(store, per), str(tmp), per)
            else:
                with tmp.open("w", encoding="utf-8", newline="") as fh:
                    n = eventexport.write_csv(eventexport.rows(store, per), fh, per)
            tmp.replace(output)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise VeilleError(f"cannot write {output} ({e.strerror or e})") from e
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        err(f"{n} event {'records' if per == 'record' else 'mentions'} → {output}")


# -- veille search ---------------------------------------------------------------------------
@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help='Words, "exact phrases", AND/OR/NOT, -word to leave out, '
                                              'word*; accents, case and elisions (l’, d’) do not matter.', show_default=False)],
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, metavar="N", help="Results shown.")] = 20,
) -> None:
    """Full-text search of titles and texts, French-aware; copies of one article show as one result."""
    from .serve.reader import search_hits

    with friendly(), open_readonly(db) as store:
        hits, more = search_hits(store, query, limit)
        console = Console(highlight=False)
        if not hits:
            console.print(f"no article matches {query!r}")
            return
        for h in hits:
            copies = len(h.get("copies") or [])
            meta = " · ".join(x for x in (h.get("published"), h.get("outlet"), h["id"]) if x)
            if copies:
                meta += f" (and {copies} cop{'ies' if copies > 1 else 'y'})"
            console.print(Text(h.get("title") or h.get("source") or h["id"], style="bold"))
            console.print(Text(meta, style="dim"))
            console.print(_marked(h.get("snippet") or ""))
            console.print()
        if more:
            total = store.search_count(query)
            console.print(Text(f"{len(hits)} results shown, copies folded, of {total} matching articles "
                               "(--limit to see more)", style="dim"))


def _marked(snippet: str) -> Text:
    from .store import MARK

    text = Text()
    rest = snippet.replace("\n", " ")
    while MARK[0] in rest:
        before, _, rest = rest.partition(MARK[0])
        hit, _, rest = rest.partition(MARK[1])
        text.append(before)
        text.append(hit, style="bold yellow")
    text.append(rest)
    return text


# -- veille errors ---------------------------------------------------------------------------
@app.command()
def errors(db: DbOption = None) -> None:
    """Every input that could not be processed, with its reason."""
    with friendly(), open_readonly(db) as store:
        rows = store.errors()
        if not rows:
            print("no errors: every input was processed")
            return
        for e in rows:
            where = f" [{e['locator']}]" if e["locator"] else ""
            print(f"{e['source']}{where}\t{e['stage']}\t{e['reason']}\t{e['time']}")


# -- veille report ---------------------------------------------------------------------------
@app.command()
def report(
    db: DbOption = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE.html", help="Write a self-contained HTML report "
                                                                       "to this file.")] = None,
    language: Annotated[str, typer.Option("--language", metavar="LANG", help="The HTML report's language: fr "
                                                       "(the default) or en.")] = "fr",
) -> None:
    """The stories, events, actors and sources of the store, in the terminal or as HTML."""
    from .serve.i18n import check_language
    from .serve.report import html_report, terminal_report

    with friendly(), open_readonly(db) as store:
        if output is not None:
            try:
                language = check_language(language)
            except ValueError as e:
                raise ConfigError(f"--language: {e}") from None
            try:
                path = html_report(store, output, language=language)
            except OSError as e:
                raise VeilleError(f"cannot write {output} ({e.strerror or e})") from e
            err(f"report → {path}")
            return
        terminal_report(store, Console())


# -- veille serve ----------------------------------------------------------------------------
@app.command()
def serve(
    db: DbOption = None,
    port: Annotated[int, typer.Option("--port", metavar="N", help="The port to listen on.")] = 8000,
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="The address to listen on; keep the default "
                                                     "(this machine only) unless you know who can reach it.")]
    = "127.0.0.1",
    language: Annotated[str, typer.Option("--language", metavar="LANG", help="The interface's language: fr "
                                                       "(the default) or en.")] = "fr",
) -> None:
    """The web interface over the store (read-only), on http://127.0.0.1:8000 by default."""
    with friendly():
        import importlib.util

        from .errors import MissingDependency

        for module in ("fastapi", "uvicorn"):
            if importlib.util.find_spec(module) is None:
                raise MissingDependency(module, "web")
        from .serve.app import serve as run_server

        path = db_path(db)
        with open_readonly(path):  # not a store, or a damaged one: say so now, not on every page
            pass
        run_server(path, host=host, port=port, language=language)


# -- veille watch, veille alerts -------------------------------------------------------------
@app.command()
def watch(
    feeds: Annotated[Path, typer.Argument(metavar="FEEDS", help="A file of feed URLs (one a line, # comments), or a YAML "
                                               "list of feeds and pages.", show_default=False)],
    once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
    every: Annotated[str, typer.Option("--every", metavar="DURATION", help="Time between rounds: 30s, 15m, 1h, 1d.")] = "15m",
    watchlist: Annotated[Path | None, typer.Option("--watchlist", metavar="FILE", help="A YAML file of alert rules "
                                                                       "(see \"Watchlists\").")] = None,
    alerts: Annotated[Path | None, typer.Option("--alerts", metavar="FILE", help="Append each alert to this file as "
                                                                 "a JSON line.")] = None,
    webhook: Annotated[str | None, typer.Option("--webhook", metavar="URL", help="POST each alert as JSON to this "
                                                                  "URL.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Also fetch from loopback and "
                                                                        "private addresses.")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each request and retry.")] = False,
) -> None:
    """Fetch FEEDS, run new articles through the pipeline into the store and raise watchlist alerts;
    every DURATION until Ctrl-C, or one round with --once."""
    _setup_logging(verbose)
    from .store import open_store
    from .watch.commands import watch_command

    with friendly():
        cfg = settings(config)
        with open_store(db_path(db, cfg)) as store:
            code = watch_command(feeds, store=store, cfg=cfg, once=once, every=every, watchlist=watchlist,
                                 alerts=alerts, webhook=webhook, allow_private=allow_private, err=err)
    if code:
        raise typer.Exit(code)


@app.command("alerts")
def alerts_cmd(
    db: DbOption = None,
    rule: Annotated[str | None, typer.Option("--rule", metavar="NAME", help="Only the alerts of this rule.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Only the last N.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False,
) -> None:
    """The alerts raised so far by 'veille watch', oldest first."""
    from .watch.commands import alerts_command

    with friendly(), open_readonly(db) as store:
        alerts_command(store=store, rule=rule, limit=limit, as_json=as_json)


# -- veille events ---------------------------------------------------------------------------
@app.command("events")
def events_cmd(
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option("--actor", metavar="NAME", help="Who acted: an actor id or any "
                                              "of its names (Russie, USA, huawei).")] = None,
    recipient: Annotated[str | None, typer.Option("--recipient", metavar="NAME", help="Whom it was done to.")] = None,
    type: Annotated[str | None, typer.Option("--type", metavar="TYPE", help="A PLOVER event type (ACCUSE, "
                                             "SANCTION…).")] = None,
    modality: Annotated[str | None, typer.Option("--modality", metavar="MODALITY", help="asserted, reported, "
                                                 "hedged, planned or negated (in at least one mention).")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", metavar="NAME", help="Told by this outlet.")] = None,
    story: Annotated[str | None, typer.Option("--story", metavar="ID", help="In this story.")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="From this date: YYYY, YYYY-MM or "
                                              "YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="Up to this date (included).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, metavar="N", help="Records shown.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line, with every mention.")] = False,
) -> None:
    """Event records (one act, all the articles that tell it), most recently reported first,
    with how many articles, outlets and independent sources report them and the evidence."""
    with friendly(), open_readonly(db) as store:
        _print_event_records(store, as_json=as_json, limit=limit, actor=actor, recipient=recipient, type=type,
                             modality=modality, outlet=outlet, story=story, since=since, until=until)


def _say_pending_event_records(store: Any) -> None:
    """A warning when some stories' event records wait for the next run."""
    from .store.base import EVENT_RECORDS_STATE

    try:
        pending = (store.state(EVENT_RECORDS_STATE) or {}).get("pending", [])
    except VeilleError:
        return
    if pending is None or pending:
        err("veille: the event records of some stories are not computed yet; the next 'veille run' "
            "(or 'veille import') computes them")


def _print_event_records(store: Any, *, as_json: bool, limit: int, **given: str | None) -> None:
    from .serve.eventquery import event_records, sources_phrase
    from .serve.params import ParamError
    from .serve.reader import NotFound

    _say_pending_event_records(store)
    try:
        found = event_records(store, limit=str(limit), mentions=as_json, **given)
    except (ParamError, NotFound) as e:
        message = re.sub(r"^'(\w+)'", r"--\1", str(e)) if isinstance(e, ParamError) else str(e)
        raise VeilleError(message) from e
    if as_json:
        for r in found["records"]:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    console = Console(soft_wrap=False, highlight=False)
    if not found["records"]:
        err("no event record matches")
        return
    for r in found["records"]:
        when = r.get("date") or r.get("first_reported") or "?"
        who = r.get("actor_name") or r.get("actor") or "?"
        whom = r.get("recipient_name") or r.get("recipient") or "—"
        scale = f" ({r['goldstein']:+.1f}, {r['quad_class']})" if r.get("goldstein") is not None else ""
        line = Text(f"{when}  ", style="dim")
        line.append(f"{who} {r['type']} {whom}", style="bold")
        line.append(scale)
        where = r.get("place") or {}
        if where:
            line.append(f" in {where.get('name') or where.get('text')}"
                        + (f" ({where['country']})" if where.get("country") and where.get("kind") == "city" else ""))
        console.print(line)
        console.print(f"    {sources_phrase(r)}", style="dim")
        ev = r.get("evidence")
        if ev:
            where = ", ".join(x for x in (ev.get("outlet"), ev.get("published")) if x)
            sentence = " ".join((ev.get("sentence") or "").split())
            console.print(f"    « {sentence[:300]}{'…' if len(sentence) > 300 else ''} »"
                          + (f" ({where}, {ev['modality']})" if where else f" ({ev['modality']})"))
    if found["more"]:
        err(f"more records match: raise --limit (now {limit}) or narrow the filters")


def main() -> None:
    """The ``veille`` entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err("veille: interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
