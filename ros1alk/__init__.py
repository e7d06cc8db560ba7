"""Helpers shared by the chapters of the ROS1/ALK NSCLC executable textbook.

Notebooks import this package instead of repeating code:

>>> import ros1alk as rk
>>> rk.setup_notebook()          # chart theme + offline-friendly renderer
>>> outcomes = rk.load("outcomes")  # a typed, schema-validated DataFrame
"""
from . import audit, charts, display, stats
from .charts import COLOURS, PALETTE, forest, setup_notebook, styled, target_scale
from .data import DataValidationError, from_source, load, resource_names, schema_table
from .display import as_printed, value_text
from .paths import DATA_DIR, REPO_ROOT
from .treatment import excluded_options, treatment_options
from .updates import last_reviewed, since_the_sources

__all__ = [
    "DATA_DIR",
    "REPO_ROOT",
    "DataValidationError",
    "load",
    "from_source",
    "resource_names",
    "schema_table",
    "PALETTE",
    "COLOURS",
    "forest",
    "target_scale",
    "as_printed",
    "value_text",
    "audit",
    "display",
    "setup_notebook",
    "styled",
    "treatment_options",
    "excluded_options",
    "charts",
    "stats",
    "last_reviewed",
    "since_the_sources",
]
