"""The engines Splink runs on: DuckDB (embedded, the default) and Apache Spark.

One interface: an engine gives Splink a database API and its SQL dialect; nothing else in
`linkage` asks which engine it is on. Both libraries are imported only when used, so the
default install carries neither Spark nor Java.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from typing import Any

from ftfhub.linkage.levels import DIALECTS, Dialect

ENGINES = ("duckdb", "spark")


class EngineError(RuntimeError):
    """An engine cannot be started (its library or Java is missing)."""


@dataclass
class Engine:
    name: str
    spark_master: str = ""
    _session: Any = field(default=None, repr=False)
    _checkpoints: str = field(default="", repr=False)

    @property
    def dialect(self) -> Dialect:
        return DIALECTS[self.name]

    def db_api(self) -> Any:
        """A fresh Splink database API on this engine."""
        try:
            if self.name == "duckdb":
                import duckdb
                from splink import DuckDBAPI

                # A bound on DuckDB's memory (it spills to a temporary folder beyond it): by
                # default it takes 80 % of the machine, which a shared machine cannot give.
                limit = os.environ.get("FTFHUB_DUCKDB_MEMORY", "4GB")
                connection = duckdb.connect(config={"memory_limit": limit})
                return DuckDBAPI(connection=connection)
            from splink import SparkAPI

            return SparkAPI(  # type: ignore[no-untyped-call]
                spark_session=self._spark(),
                register_udfs_automatically=False,
                # Splink cuts its long query plans by writing each step to parquet in the
                # checkpoint folder: persisting in memory instead ran a local driver out of
                # Java heap at 100,000 records.
                break_lineage_method="parquet",
            )
        except ImportError as err:
            extra = "linkage" if self.name == "duckdb" else "spark"
            raise EngineError(
                f"the {self.name} engine needs `pip install 'ftfhub[{extra}]'` ({err})"
            ) from err

    def _spark(self) -> Any:
        if self._session is None:
            from pyspark.sql import SparkSession

            master = self.spark_master or os.environ.get("FTFHUB_SPARK_MASTER", "local[2]")
            self._session = (
                SparkSession.builder.master(master)
                .appName("ftfhub-resolve")
                .config(
                    "spark.sql.shuffle.partitions", os.environ.get("FTFHUB_SPARK_PARTITIONS", "4")
                )
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                # Splink's wide CASE expressions take longer to compile than to run on
                # small inputs; interpreted evaluation starts at once.
                .config(
                    "spark.sql.codegen.wholeStage", os.environ.get("FTFHUB_SPARK_CODEGEN", "false")
                )
                .config("spark.driver.memory", os.environ.get("FTFHUB_SPARK_MEMORY", "2g"))
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                .getOrCreate()
            )
            self._session.sparkContext.setLogLevel("ERROR")
            # Splink breaks long query lineages with checkpoints.
            self._checkpoints = tempfile.mkdtemp(prefix="ftfhub-spark-")
            self._session.sparkContext.setCheckpointDir(self._checkpoints)
        return self._session

    def stop(self) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None
            shutil.rmtree(self._checkpoints, ignore_errors=True)


def unique_table(base: str) -> str:
    """A name no other run in this engine uses (a Spark session outlives one run)."""
    return f"{base}_{uuid.uuid4().hex[:10]}"


def engine(name: str = "duckdb", spark_master: str = "") -> Engine:
    if name not in ENGINES:
        raise EngineError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    return Engine(name, spark_master)
