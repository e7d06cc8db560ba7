"""Treatment options for ALK- and ROS1-positive NSCLC, selected from ``data/recommendations.csv``.

Teaching material, not a decision tool: :func:`treatment_options` only reorganises what the two
source reviews say, row by row, so a reader can ask "what do the reviews list for this situation?"
and see the strength, guideline, citation and source locator of every answer.
"""
from __future__ import annotations

import re

import pandas as pd

from .data import load

TARGETS = ("ALK", "ROS1")
SETTINGS = ("testing", "first_line", "progression", "after_targeted", "cns", "oligometastatic", "central_airway")
BYPASS = ("EGFR", "KIT")
COLUMNS = ["id", "target", "setting", "condition", "option", "strength", "tier", "guideline", "citation", "source"]

# Strength wording -> three teaching tiers (checked in this order; the first hit wins).
_CAUTION = ("only when", "may not", "not optimal", "caution", "less efficient", "not encouraging")
_RECOMMENDED = ("category 1", "preferred", "recommended", "should", "crucial", "prioritized", "advocated")
_POINT_MUTATION = re.compile(r"^[A-Z]\d{3,4}[A-Z](/[A-Z])?$")


def strength_tier(strength: str | None) -> str:
    """Sort the free-text ``strength`` of a recommendation into one of three tiers.

    ``"restricted or cautioned"`` if it contains a limiting phrase (only when, may not, not optimal,
    caution, less efficient, not encouraging); else ``"recommended"`` if it contains category 1,
    preferred, recommended, should, crucial, prioritized or advocated; else ``"option"`` (may be considered,
    appropriate, acceptable, potential option, ...). The tier is this book's reading, not a guideline's.
    """
    text = "" if strength is None or pd.isna(strength) else str(strength).lower()
    if any(word in text for word in _CAUTION):
        return "restricted or cautioned"
    if any(word in text for word in _RECOMMENDED):
        return "recommended"
    return "option"


def _requirement(condition: str | None) -> str:
    """What a row's ``condition`` asks of the patient, as one keyword (see treatment_options)."""
    text = "" if condition is None or pd.isna(condition) else str(condition).lower()
    if "genotyping not feasible" in text:
        return "no_genotype"
    if "egfr bypass" in text:
        return "egfr"
    if "kit bypass" in text:
        return "kit"
    if "cns metastases or alk resistance mutations" in text:
        return "cns_or_mutation"
    if "g2032r or other resistance mutations" in text:
        return "any_mutation"
    if "g2032r" in text:
        return "g2032r"
    if "brain metastases" in text or "cns involvement" in text:
        return "cns"
    return "none"


def _known_mutations(target: str) -> set[str]:
    table = load("resistance_mutations")
    names = table.loc[table["target"].eq(target), "mutation"].dropna()
    return {m for m in names if _POINT_MUTATION.match(m)}


def _check(target, setting, cns_metastases, mutation) -> tuple[str, str, str | None]:
    if not isinstance(target, str) or target.strip().upper() not in TARGETS:
        raise ValueError(f"unknown target {target!r}: choose one of {', '.join(TARGETS)}")
    target = target.strip().upper()
    normalised = setting.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(setting, str) else None
    if normalised not in SETTINGS:
        raise ValueError(f"unknown setting {setting!r}: choose one of {', '.join(SETTINGS)}")
    setting = normalised
    if not isinstance(cns_metastases, bool):
        raise ValueError(f"cns_metastases must be True or False, not {cns_metastases!r}")
    if mutation is not None:
        if setting != "progression":
            raise ValueError(f"mutation={mutation!r} only applies to setting='progression' (got {setting!r})")
        if not isinstance(mutation, str):
            raise ValueError(f"mutation must be a string such as 'G2032R', not {mutation!r}")
        mutation = mutation.strip().upper()
        known = _known_mutations(target)
        if mutation not in known | set(BYPASS):
            raise ValueError(
                f"unknown {target} resistance mechanism {mutation!r}: use a kinase mutation named in "
                f"resistance_mutations ({', '.join(sorted(known))}), a bypass ({', '.join(BYPASS)}), "
                "or None when no mutation was found or genotyping was not possible"
            )
    return target, setting, mutation


def treatment_options(target: str, setting: str, cns_metastases: bool = False,
                      mutation: str | None = None) -> pd.DataFrame:
    """Options the source reviews list for a target and clinical setting (teaching material only).

    Parameters
    ----------
    target : ``"ALK"`` or ``"ROS1"`` (case-insensitive).
    setting : one of ``testing``, ``first_line``, ``progression``, ``after_targeted``, ``cns``,
        ``oligometastatic``, ``central_airway`` (the ``setting`` values of ``recommendations``).
    cns_metastases : whether brain or other CNS metastases are present.
    mutation : for ``setting="progression"`` only: the resistance mechanism found on re-biopsy or
        liquid biopsy, a kinase mutation of the target named in ``resistance_mutations`` (for
        example ``"G2032R"`` for ROS1, ``"G1202R"`` for ALK) or a bypass (``"EGFR"``, ``"KIT"``);
        ``None`` when no mutation was found or genotyping was not possible.

    Returns
    -------
    DataFrame with columns ``id, target, setting, condition, option, strength, tier, guideline,
    citation, source``, one row per option, ordered recommended -> option -> restricted or cautioned
    (then by row id). ``tier`` is :func:`strength_tier` of ``strength``.

    Rules (applied to the rows of ``rk.load("recommendations")``)
    -----------------------------------------------------------
    1. Keep rows of the chosen ``setting`` whose ``target`` is the chosen target or ``"ALK and ROS1"``.
    2. Read each row's ``condition`` as a requirement:

       - mentions *brain metastases* or *CNS involvement* -> kept only if ``cns_metastases`` is True
         (in the ``cns`` setting every row is kept: the setting itself means CNS disease);
       - *genotyping not feasible* -> kept only if ``mutation`` is None (the empirical switch);
       - *G2032R* alone -> kept only if ``mutation == "G2032R"``;
       - *G2032R or other resistance mutations* -> kept if any kinase mutation was given;
       - *CNS metastases or ALK resistance mutations* -> kept if ``cns_metastases`` or a kinase mutation;
       - *EGFR bypass* / *KIT bypass* -> kept only if ``mutation`` is ``"EGFR"`` / ``"KIT"``;
       - anything else (no condition, "progression on crizotinib", "access to preferred agents
         limited", "selected individuals", ...) -> always kept, with the condition shown so the reader
         sees the restriction.
    3. Molecular testing for resistance mutations is listed only while no ``mutation`` is given.
    4. In ``first_line`` with ``cns_metastases=True``, the rows of the ``cns`` setting that name a
       systemic treatment (a TKI, or "agents with CNS activity") are added, since the reviews ask
       for CNS-active drugs as first-line treatment; their ``setting`` column still says ``cns``.

    Raises
    ------
    ValueError
        for an unknown target, setting or mutation, a non-boolean ``cns_metastases``, or a
        ``mutation`` outside the progression setting; the message lists the accepted values.

    Examples
    --------
    >>> treatment_options("ROS1", "progression", mutation="G2032R")["option"].tolist()  # doctest: +SKIP
    """
    target, setting, mutation = _check(target, setting, cns_metastases, mutation)
    recs = load("recommendations")
    recs = recs[recs["target"].isin([target, "ALK and ROS1"])]
    in_setting = recs["setting"].eq(setting)
    if setting == "first_line" and cns_metastases:
        # Rule 4: the systemic (drug) rows of the CNS setting also belong to first-line choice.
        in_setting |= recs["setting"].eq("cns") & recs["option"].str.contains(r"\bTKI\b|agents with CNS activity")
    rows = recs[in_setting].copy()

    kinase_mutation = mutation is not None and mutation not in BYPASS
    needs = rows["condition"].map(_requirement)
    keep = pd.Series(True, index=rows.index)
    if setting != "cns":
        keep &= ~needs.eq("cns") | cns_metastases
    keep &= ~needs.eq("no_genotype") | (mutation is None)
    keep &= ~needs.eq("g2032r") | (mutation == "G2032R")
    keep &= ~needs.eq("any_mutation") | kinase_mutation
    keep &= ~needs.eq("cns_or_mutation") | cns_metastases | kinase_mutation
    keep &= ~needs.eq("egfr") | (mutation == "EGFR")
    keep &= ~needs.eq("kit") | (mutation == "KIT")
    if mutation is not None:
        keep &= ~rows["option"].str.startswith("molecular testing")
    rows = rows[keep]

    rows["tier"] = rows["strength"].map(strength_tier)
    order = {"recommended": 0, "option": 1, "restricted or cautioned": 2}
    rows = rows.sort_values(["tier", "id"], key=lambda s: s.map(order) if s.name == "tier" else s)
    return rows[COLUMNS].reset_index(drop=True)
