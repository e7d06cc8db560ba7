"""Load the book's tables from ``data/`` as typed DataFrames, validated against ``datapackage.json``.

Every chapter goes through :func:`load`; no notebook reads a CSV directly. Validation is done by
Frictionless (types, constraints, primary and foreign keys, and the recorded row count and sha256 of
each file), and any failure raises :class:`DataValidationError` naming the file, the row and the field.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

from .paths import DATAPACKAGE

# Frictionless field type -> pandas dtype used after validation.
_DTYPES = {
    "integer": "Int64",
    "year": "Int64",
    "number": "float64",
    "boolean": "boolean",
    "string": "string",
}


class DataValidationError(ValueError):
    """A data file failed validation; the message names the file, the row and the field."""


def _package_path(data_dir: str | Path | None) -> Path:
    if data_dir is None:
        return DATAPACKAGE
    return Path(data_dir) / "datapackage.json"


def _descriptor(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError(f"{path}: data package descriptor not found") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise DataValidationError(f"{path}: cannot read the data package descriptor ({exc})") from None


def resource_names(data_dir: str | Path | None = None) -> list[str]:
    """Names of every table in the data package, in descriptor order."""
    return [r["name"] for r in _descriptor(_package_path(data_dir))["resources"]]


def _resource_descriptor(name: str, path: Path) -> dict:
    for res in _descriptor(path)["resources"]:
        if res["name"] == name:
            return res
    raise DataValidationError(
        f"{path}: no table named {name!r}; known tables: {', '.join(resource_names(path.parent))}"
    )


_STATS_ERRORS = {
    "row-count": "number of data rows differs from the row count recorded in datapackage.json",
    "hash-count": "contents differ from the sha256 recorded in datapackage.json",
    "byte-count": "size differs from the byte count recorded in datapackage.json",
}


def _format_error(csv_path: Path, err: dict) -> str:
    if err.get("type") in _STATS_ERRORS:
        return (f"{csv_path}, rows: {_STATS_ERRORS[err['type']]} ({err.get('note')}); a row was lost, added "
                "or edited. If the change is deliberate, run 'make stats' to re-record it")
    row = err.get("rowNumber")
    field = err.get("fieldName")
    where = [str(csv_path)]
    if row is not None:
        where.append(f"row {row}")
    if field:
        where.append(f"field {field!r}")
    elif err.get("type") == "foreign-key":
        where.append("field " + ", ".join(repr(n) for n in err.get("fieldNames", [])) if err.get("fieldNames")
                     else "foreign key")
    return f"{', '.join(where)}: [{err.get('type')}] {err.get('note') or err.get('message')}"


def validate_resource(name: str, data_dir: str | Path | None = None) -> list[str]:
    """Validate one table with Frictionless; return human-readable errors (empty list if valid)."""
    from frictionless import Package  # imported lazily: it is slow to import

    path = _package_path(data_dir)
    res_desc = _resource_descriptor(name, path)
    csv_path = path.parent / res_desc["path"]
    if not csv_path.is_file():
        return [f"{csv_path}: data file is missing"]
    try:
        csv_path.read_bytes()
    except OSError as exc:
        return [f"{csv_path}: data file cannot be read ({exc})"]
    package = Package(str(path))
    resource = package.get_resource(name)
    report = resource.validate()
    errors = []
    for task in report.tasks:
        for err in task.errors:
            errors.append(_format_error(csv_path, err.to_descriptor()))
    for err in report.errors:
        errors.append(_format_error(csv_path, err.to_descriptor()))
    return errors + verification_errors(name, data_dir)


def _rows(csv_path: Path) -> list[dict]:
    import csv

    with csv_path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def verification_errors(name: str, data_dir: str | Path | None = None) -> list[str]:
    """The rules of the verification layer that a per-table schema cannot express.

    - a row marked ``checked``, ``corrected`` or ``disputed`` names the primary source it was checked
      against (``verified_against``) and where in it (``verified_locator``);
    - a ``corrected`` row is named in the ``affects`` of an erratum with action ``corrected``, which
      holds what the review printed;
    - a clinical or outdated erratum names its primary source.
    Row numbers count the header as row 1, as Frictionless does.
    """
    from .datapackage import VERIFIED_TABLES

    path = _package_path(data_dir)
    folder = path.parent
    errors = []
    if name in VERIFIED_TABLES:
        csv_path = folder / f"{name}.csv"
        rows = _rows(csv_path)
        key = "drug" if name == "drugs" else "id"
        corrected_by = {}
        errata_path = folder / "errata.csv"
        if errata_path.is_file():
            for erratum in _rows(errata_path):
                if erratum.get("action") != "corrected":
                    continue
                for ref in filter(None, (erratum.get("affects") or "").split("; ")):
                    corrected_by.setdefault(ref, erratum["erratum_id"])
        for number, row in enumerate(rows, start=2):
            status = row.get("verification")
            where = f"{csv_path}, row {number}"
            if status in ("checked", "corrected", "disputed"):
                for field in ("verified_against", "verified_locator"):
                    if not (row.get(field) or "").strip():
                        errors.append(f"{where}, field {field!r}: [verification] a {status} row must name "
                                      f"{'the primary source' if field == 'verified_against' else 'where in it'}")
            if status == "corrected" and f"{name}:{row.get(key)}" not in corrected_by:
                errors.append(f"{where}, field 'verification': [verification] row {row.get(key)} is marked "
                              f"corrected but no erratum with action 'corrected' lists '{name}:{row.get(key)}' "
                              "in affects (the erratum holds what the review printed)")
    if name == "errata":
        csv_path = folder / "errata.csv"
        for number, row in enumerate(_rows(csv_path), start=2):
            if row.get("kind") in ("clinical", "outdated") and not (row.get("verified_against") or "").strip():
                errors.append(f"{csv_path}, row {number}, field 'verified_against': [verification] a "
                              f"{row.get('kind')} erratum must name the primary source that decides it")
    return errors


@cache
def _load_cached(name: str, pkg: str, mtime_key: tuple) -> pd.DataFrame:
    path = Path(pkg)
    errors = validate_resource(name, path.parent)
    if errors:
        shown = "\n  ".join(errors[:20])
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise DataValidationError(f"table {name!r} failed validation:\n  {shown}{more}")
    res_desc = _resource_descriptor(name, path)
    fields = res_desc["schema"]["fields"]
    dtypes = {f["name"]: _DTYPES.get(f.get("type", "string"), "string") for f in fields}
    frame = pd.read_csv(
        path.parent / res_desc["path"],
        dtype={k: ("string" if v in ("Int64", "boolean") else v) for k, v in dtypes.items()},
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
    for col, dtype in dtypes.items():
        if dtype == "Int64":
            frame[col] = pd.to_numeric(frame[col]).astype("Int64")
        elif dtype == "boolean":
            frame[col] = frame[col].map({"true": True, "false": False}).astype("boolean")
    return frame


def load(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Return table ``name`` of the data package as a typed DataFrame.

    The file is validated first (schema types and constraints, keys, recorded row count and
    checksum); a failure raises :class:`DataValidationError` naming file, row and field.
    """
    path = _package_path(data_dir).resolve()
    res_desc = _resource_descriptor(name, path)
    csv_path = path.parent / res_desc["path"]
    stamp = (path.stat().st_mtime_ns, csv_path.stat().st_mtime_ns if csv_path.exists() else 0)
    return _load_cached(name, str(path), stamp).copy()


def schema_table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The data dictionary: one row per field of every table (for the Data chapter)."""
    rows = []
    for res in _descriptor(_package_path(data_dir))["resources"]:
        for f in res["schema"]["fields"]:
            cons = f.get("constraints", {})
            rule = []
            if cons.get("required"):
                rule.append("required")
            if "enum" in cons:
                rule.append("one of: " + ", ".join(map(str, cons["enum"])))
            if "minimum" in cons:
                rule.append(f">= {cons['minimum']}")
            if "maximum" in cons:
                rule.append(f"<= {cons['maximum']}")
            rows.append(
                {
                    "table": res["name"],
                    "field": f["name"],
                    "type": f.get("type", "string"),
                    "unit": f.get("unit", ""),
                    "description": f.get("description", ""),
                    "constraints": "; ".join(rule),
                }
            )
    return pd.DataFrame(rows)


def from_source(frame: pd.DataFrame, locator: str, seed: str = "000") -> pd.DataFrame:
    """Rows of ``frame`` whose ``source`` locator names ``locator`` (e.g. "Table 2") in review ``seed``."""
    from .datapackage import SEEDS

    prefix = f"{SEEDS[seed]}: "
    parts = frame["source"].str.removeprefix(prefix).str.split("; ")
    mask = frame["source"].str.startswith(prefix) & parts.map(lambda xs: locator in xs)
    return frame[mask]
