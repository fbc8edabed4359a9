"""Settings: one frozen, validated table per stage, every default from defaults.toml."""
from __future__ import annotations

import ast
import dataclasses
import inspect
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from veille.config import TABLES, Config, load_config
from veille.errors import ConfigError

SRC = Path(__file__).resolve().parents[1] / "src" / "veille"


def _toml() -> dict:
    return tomllib.loads(resources.files("veille").joinpath("defaults.toml").read_text(encoding="utf-8"))


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def test_defaults_are_the_file_and_only_the_file():
    """Config() holds exactly the tables and keys of defaults.toml, with its values: no
    setting has a default of its own in code."""
    toml = _toml()
    cfg = Config()
    assert list(toml) == list(TABLES)
    for name, table in TABLES.items():
        assert [f.name for f in dataclasses.fields(table)] == list(toml[name]), name
        assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(table)), name
        values = {k: _plain(v) for k, v in dataclasses.asdict(getattr(cfg, name)).items()}
        assert values == toml[name], name
    assert load_config() == cfg


def test_a_user_file_overrides_only_its_keys(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text("[cluster]\nwindow_days = 14\n\n[nlp]\nactors = ['a.yaml']\n", encoding="utf-8")
    cfg = load_config(f)
    assert cfg.cluster.window_days == 14 and cfg.nlp.actors == ("a.yaml",)
    assert cfg.cluster.threshold == Config().cluster.threshold and cfg.dedupe == Config().dedupe


@pytest.mark.parametrize("text, message", [
    ("[nlp]\nbatch_size = 0\n", "nlp.batch_size must be at least 1"),
    ("[nlp]\nbatch_size = 'big'\n", "nlp.batch_size must be a whole number"),
    ("[nlp]\nworkers = 1.5\n", "nlp.workers must be a whole number"),
    ("[dedupe]\nthreshold = 1.5\n", r"dedupe.threshold must be in \(0, 1\]"),
    ("[cluster]\nactor_weight = 0.7\nevent_weight = 0.5\n", "add up to less than 1"),
    ("[ingest]\nfollow_symlinks = 'yes'\n", "ingest.follow_symlinks must be true or false"),
    ("[clean]\npatterns = 'one.txt'\n", "clean.patterns must be a list of texts"),
    ("[watch]\ntimeout = 0\n", "watch.timeout must be positive"),
    ("[nlp]\nbatchsize = 16\n", "unknown setting 'nlp.batchsize'"),
    ("[nlp2]\nmodel = 'x'\n", "unknown setting 'nlp2'"),
    ("nlp = 3\n", "setting 'nlp' must be a table"),
])
def test_bad_settings_say_which_and_what(tmp_path, text, message):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(f)


def test_tables_are_frozen_and_overrides_checked():
    cfg = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.nlp.batch_size = 8  # type: ignore[misc]
    assert cfg.with_overrides(nlp={"workers": 2}).nlp.workers == 2 and cfg.nlp.workers == 1
    with pytest.raises(ConfigError, match="store.batch_size"):
        cfg.with_overrides(store={"batch_size": -1})
    with pytest.raises(ConfigError, match="dedupe.window_days"):
        dataclasses.replace(cfg.dedupe, window_days=-2)


def test_every_stage_takes_items_and_cfg():
    from veille import clean, cluster, dedupe, ingest, nlp

    for stage in (ingest, clean, nlp, dedupe, cluster):
        params = list(inspect.signature(stage.run).parameters.values())
        assert [p.name for p in params[:2]] in (["items", "cfg"], ["sources", "cfg"]), stage.__name__
        assert params[1].annotation == "Config" and params[1].default is inspect.Parameter.empty, stage.__name__
        assert all(p.kind is p.KEYWORD_ONLY for p in params[2:]), stage.__name__


def test_no_setting_read_through_a_dict():
    """Settings are read as attributes of their table (``cfg.nlp.batch_size``), never with
    ``cfg.get(table, key, default)`` or ``cfg.section(table)``, where a default in code could
    drift from the file."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("get", "section") and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("cfg", "config", "settings")):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []
