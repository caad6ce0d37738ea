"""Batch screening of whole customer files: CSV, Parquet and JSON Lines in and out,
streaming, on all local cores or a Dask cluster, resumable.

>>> summary = run_batch(BatchOptions(Path("customers.csv.gz"), Path("alerts.jsonl")), store)
"""

from corridor.batch.mapping import ColumnMapping
from corridor.batch.run import BatchOptions, BatchProgress, BatchSummary, run_batch

__all__ = ["BatchOptions", "BatchProgress", "BatchSummary", "ColumnMapping", "run_batch"]
