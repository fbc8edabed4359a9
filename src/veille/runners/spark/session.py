"""Java and the SparkSession the Spark engine runs in."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ...errors import MissingDependency, VeilleError

JAVA_HINT = ("install Java 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; "
             "macOS: brew install openjdk@17) or point JAVA_HOME at an existing one")


LOG_CONFIG = Path(__file__).with_name("log4j2.properties")
"""The JVM's logging in local runs (errors only, one line each)."""


class JavaMissing(VeilleError):
    """Spark cannot start: no suitable Java."""


def find_java() -> tuple[str, int]:
    """The ``java`` executable Spark will use and its major version; raises JavaMissing."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        where = f"JAVA_HOME={home} has no bin/java" if home else "no 'java' on PATH"
        raise JavaMissing(f"the Spark engine needs Java ({where}): {JAVA_HINT}")
    try:
        proc = subprocess.run([java, "-version"], check=False, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise JavaMissing(f"cannot run {java} -version ({e}): {JAVA_HINT}") from e
    m = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr + proc.stdout)
    if not m:
        raise JavaMissing(f"cannot tell the version of {java}: {JAVA_HINT}")
    major = int(m.group(2)) if m.group(1) == "1" and m.group(2) else int(m.group(1))
    if major < 17:
        raise JavaMissing(f"Spark 4 needs Java 17 or newer; {java} is Java {major}: {JAVA_HINT}")
    return java, major


def require_pyspark():
    """The pyspark module, or MissingDependency with the pip command."""
    try:
        import pyspark
    except ImportError as e:
        raise MissingDependency("pyspark", "spark") from e
    return pyspark


def session(master: str | None = None, *, app_name: str = "veille", conf: dict[str, str] | None = None):
    """A SparkSession on ``master`` (default ``local[*]``), with this Python for the workers.

    Under ``spark-submit`` the master and settings given there win (``getOrCreate``).
    """
    require_pyspark()
    find_java()
    from pyspark.sql import SparkSession

    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started the JVM: keep its settings
    local = (master or ("" if submitted else "local")).startswith("local")
    if local:  # on a cluster, PYSPARK_PYTHON must name a Python with veille on every node
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master or not submitted:
        builder = builder.master(master or "local[*]")
    for key, value in _settings(submitted=submitted, local=local, conf=conf).items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as e:
        raise VeilleError(f"Spark did not start ({type(e).__name__}: {str(e).splitlines()[0][:300]}); "
                          f"check Java ({JAVA_HINT}) and the master URL") from e
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _settings(*, submitted: bool, local: bool, conf: dict[str, str] | None) -> dict[str, str]:
    settings: dict[str, str] = {}
    if not submitted:
        settings.update({
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "8",
            "spark.python.worker.reuse": "true",  # Python workers (and their spaCy model) live on
            "spark.driver.memory": os.environ.get("VEILLE_SPARK_DRIVER_MEMORY", "2g"),
        })
    if local and not submitted:
        settings.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"})
        if not os.environ.get("VEILLE_DEBUG"):
            # Errors only, one line each: Spark's default logs warnings from the start on.
            settings["spark.driver.extraJavaOptions"] = f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}"
    settings.update(conf or {})
    return settings


__all__ = ["JAVA_HINT", "JavaMissing", "find_java", "require_pyspark", "session"]
