"""The Spark runner: the local pipeline's stage functions, run over Spark partitions.

``veille run INPUT... --engine spark [--master URL] --out DIR`` comes here. The work is
split the way the stages allow it, so that the output equals a local run:

* **ingest** (one input file per task) and **nlp** (articles spread evenly over the
  partitions, the spaCy model loaded once per executor process) are per-document and
  run anywhere, calling ``veille.ingest`` and ``veille.nlp.run`` exactly as the local
  runner does;
* **clean** remembers lines repeated across the pages of one site, so the documents of
  a site go to the same partition, in input order, before ``veille.clean.run`` sees them;
* **duplicates**: MinHash signatures are computed on the executors with the dedupe
  stage's own shingling and parameters, candidate pairs come from banded joins, and the
  driver replays the dedupe stage's own decision over the stream with those candidates;
* **stories**: the compact per-article features the cluster stage reads are collected to
  the driver in input order and ``veille.cluster.run`` assigns the stories there.

The output folder holds Parquet in the export's shape (``articles/``), the stories
(``stories/``), the inputs that failed with their reason (``failures/``), the corpus
stages' indexes (``state/``) and a summary (``summary.json``). ``veille import DIR --db
FILE`` loads it into the SQLite store (:mod:`veille.store.parquet`).

Modules, by job: :mod:`.session` (Java, the SparkSession), :mod:`.schema` (the output's
schema from the records), :mod:`.inputs` (listing and reading the inputs),
:mod:`.stages` (the stages over one partition, on the executors), :mod:`.duplicates`
(candidates on the executors, the decision on the driver), :mod:`.output` (the output
folder) and :mod:`.driver` (the run, step by step).
"""
from __future__ import annotations

from .driver import SparkSummary, assign_stories, run_pipeline
from .inputs import Plan, plan_inputs
from .schema import article_schema, failure_schema, story_schema
from .session import JAVA_HINT, JavaMissing, find_java, require_pyspark, session

__all__ = [
    "JAVA_HINT",
    "JavaMissing",
    "Plan",
    "SparkSummary",
    "article_schema",
    "assign_stories",
    "failure_schema",
    "find_java",
    "plan_inputs",
    "require_pyspark",
    "run_pipeline",
    "session",
    "story_schema",
]
