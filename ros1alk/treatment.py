"""What the source reviews list for a situation, checked against the book's own evidence.

Teaching material, not a decision tool and not medical advice. :func:`treatment_options` reorganises the
rows of ``data/recommendations.csv`` (what the two reviews say, with their wording, basis, citation and
locator) and applies the book's safety rules, each of which rests on a table of this book:

1. **Table 4 (``ic50``).** For a ROS1 genotype that Table 4 names, a drug whose IC50 for that genotype is in
   the inactive band (the table's section sign, >= 200 nmol/l) is never offered.
2. **Clinical data beat a borderline IC50.** Lorlatinib is never offered for a genotype containing ROS1
   G2032R: patients with G2032R did not respond to it (:data:`CLINICAL_INACTIVITY`), although its Table 4
   IC50 is only borderline.
3. **The drug the patient progressed on** (``prior_tki``) is not offered again, and a review's option that
   it conditions on progression on crizotinib is shown only when the prior drug was crizotinib or is unknown.
4. **Target.** A drug is kept only for a target its row of the drugs table lists among its targets, and a
   drug that a shared ALK-and-ROS1 statement names as an example only for a target in which this book's
   outcomes table holds clinical results for it (so no alectinib for ROS1).
5. **Brain metastases.** With ``cns_metastases=True``, options that name only drugs whose CNS penetration
   the drugs table calls limited (crizotinib) move to the cautionary group: the ALK/ROS1 review links
   crizotinib's limited CNS penetration to CNS progression and asks for a CNS-penetrant drug.
6. **Preclinical hypotheses are not options.** Rows whose ``basis`` is preclinical (cell lines, mice) form
   their own group, ``preclinical hypothesis (not a treatment option)``, listed last.
7. **After a last-line TKI** (:data:`LAST_LINE`: lorlatinib for ALK; repotrectinib, taletrectinib or
   lorlatinib for ROS1) the book holds no clinical results for any TKI: TKI options move to the cautionary
   group with that reason, and the chemotherapy rows of the ``after_targeted`` setting are added.
8. **The reviews' own findings** (:data:`REVIEW_INACTIVITY`) rule a drug out for a genotype Table 4 does
   not cover (entrectinib against D2033N and L2026M). A drug without an approval for the target in the
   book's approvals or updates tables keeps a note saying so.

Approvals that came after the reviews (``data/updates.csv``, column ``options_in``) are added as their own
group, ``since the sources: approved after the reviews``, with their id (UPD-...), date and primary source,
and the same safety rules apply to them.

The review options are grouped by the review's own wording, and the group names say so:
``review: strong wording`` (preferred, recommended, should...), ``review: permissive wording`` (may be
considered, option, acceptable...) and ``review: cautionary wording`` (only when, may not, caution...).
None of them is a guideline grade. :func:`excluded_options` returns what the rules removed, and why.
"""
from __future__ import annotations

import re
from functools import cache

import pandas as pd

from .data import load

TARGETS = ("ALK", "ROS1")
SETTINGS = ("testing", "first_line", "progression", "after_targeted", "cns", "oligometastatic", "central_airway")
BYPASS = ("EGFR", "KIT")
COLUMNS = ["id", "target", "setting", "condition", "option", "drugs", "strength", "tier", "basis",
           "book_note", "guideline", "citation", "source", "verification"]
EXCLUDED_COLUMNS = ["id", "option", "strength", "citation", "reason"]

STRONG = "review: strong wording"
SINCE = "since the sources: approved after the reviews"
PERMISSIVE = "review: permissive wording"
CAUTIONARY = "review: cautionary wording"
PRECLINICAL = "preclinical hypothesis (not a treatment option)"
TIERS = (STRONG, SINCE, PERMISSIVE, CAUTIONARY, PRECLINICAL)

# Strength wording -> tier (checked in this order; the first hit wins).
_CAUTION = ("only when", "may not", "not optimal", "caution", "less efficient", "not encouraging")
_STRONG = ("category 1", "preferred", "recommended", "should", "crucial", "prioritized", "advocated")
_POINT_MUTATION = re.compile(r"^[A-Z]\d{3,4}[A-Z](/[A-Z])?$")
_RESIDUE = re.compile(r"^[A-Z](\d{3,4})[A-Z]$")

# Clinical findings that overrule a laboratory band: (target, mutation in the genotype, drug) -> reason.
CLINICAL_INACTIVITY = {
    ("ROS1", "G2032R", "lorlatinib"): "no responses in patients with ROS1 G2032R in the lorlatinib ROS1 "
                                      "trial (Shaw 2019); Table 4's borderline IC50 is a laboratory band",
}
# Findings of the reviews themselves that rule a drug out for a genotype Table 4 does not cover.
REVIEW_INACTIVITY = {
    ("ROS1", "D2033N", "entrectinib"): "the crizotinib review reports limited efficacy of entrectinib against "
                                       "D2033N (its section on salvage treatment; drugs table note)",
    ("ROS1", "L2026M", "entrectinib"): "the crizotinib review reports limited efficacy of entrectinib against "
                                       "L2026M (its section on salvage treatment; drugs table note)",
}
# The book's later-line evidence (TRIDENT-1, TRUST-I/II and the lorlatinib trials for ROS1; the lorlatinib
# trials for ALK) comes from patients pretreated with crizotinib or entrectinib (ROS1) or with crizotinib or a
# second-generation drug (ALK). After these drugs the book holds no clinical results for any TKI.
LAST_LINE = {"ALK": frozenset({"lorlatinib"}),
             "ROS1": frozenset({"repotrectinib", "taletrectinib", "lorlatinib"})}
# The crizotinib-specific progression rows of the crizotinib review (their condition names crizotinib).
_AFTER_CRIZOTINIB = re.compile(r"crizotinib")
# Generic rows that name no drug: with a Table 4 genotype the book lists which drugs they can mean.
_GENERIC_NEXT_GENERATION = ("next-generation TKI", "emerging next-generation inhibitors")


def strength_tier(strength: str | None) -> str:
    """Sort the free-text ``strength`` of a recommendation by its wording into one of three groups.

    ``review: cautionary wording`` if it contains a limiting phrase (only when, may not, not optimal,
    caution, less efficient, not encouraging); else ``review: strong wording`` if it contains category 1,
    preferred, recommended, should, crucial, prioritized or advocated; else ``review: permissive wording``
    (may be considered, appropriate, acceptable, potential option, ...). The group describes how the review
    words the statement; it is not a guideline grade.
    """
    text = "" if strength is None or pd.isna(strength) else str(strength).lower()
    if any(word in text for word in _CAUTION):
        return CAUTIONARY
    if any(word in text for word in _STRONG):
        return STRONG
    return PERMISSIVE


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


# --- the book's evidence, read once per data version ---------------------------------------------------

@cache
def _table4() -> dict[str, dict[str, tuple[str, float, str]]]:
    """genotype -> drug -> (category, IC50 value, qualifier) from Table 4 (the ``ic50`` table)."""
    ic50 = load("ic50")
    out: dict[str, dict[str, tuple[str, float, str]]] = {}
    for row in ic50.itertuples(index=False):
        qualifier = "" if pd.isna(row.qualifier) else ">"
        out.setdefault(str(row.genotype), {})[str(row.drug)] = (str(row.category), float(row.value), qualifier)
    return out


def table4_genotypes() -> list[str]:
    """The ROS1 genotypes of Table 4 that carry a resistance mutation (not the controls)."""
    return sorted(g for g in _table4() if "/" in g or _RESIDUE.match(g))


def _canonical(genotype: str) -> str:
    """Order the mutations of a compound genotype by residue, as Table 4 writes them (S1986F/G2032R)."""
    parts = [p.strip().upper() for p in genotype.split("/")]
    if len(parts) > 1 and all(_RESIDUE.match(p) for p in parts):
        parts.sort(key=lambda p: int(_RESIDUE.match(p).group(1)))
    return "/".join(parts)


@cache
def _known_mutations(target: str) -> frozenset[str]:
    table = load("resistance_mutations")
    names = table.loc[table["target"].eq(target), "mutation"].dropna()
    known = {m for m in names if _POINT_MUTATION.match(m) and "/" not in m}
    if target == "ROS1":
        known |= set(table4_genotypes())
    return frozenset(known)


def accepted_mutations(target: str) -> list[str]:
    """Every ``mutation`` value :func:`treatment_options` accepts for a target (plus ``None``)."""
    return sorted(_known_mutations(target)) + list(BYPASS)


@cache
def _drug_names() -> tuple[str, ...]:
    return tuple(load("drugs")["drug"])


@cache
def _drug_targets() -> dict[str, frozenset[str]]:
    """drug -> the kinases the drugs table lists for it."""
    drugs = load("drugs")
    targets = drugs["targets"].fillna("")
    return {d: frozenset(t.strip() for t in str(ts).split(";")) for d, ts in zip(drugs["drug"], targets)}


@cache
def _generation() -> dict[str, str]:
    """drug -> generation as the drugs table gives it."""
    drugs = load("drugs")
    return {d: str(g) for d, g in zip(drugs["drug"], drugs["generation"].fillna(""))}


@cache
def _approved_targets() -> dict[str, frozenset[str]]:
    """drug -> targets for which the approvals table (or the updates table) holds an approval."""
    approvals = load("approvals")
    updates = load("updates")
    updates = updates[updates["kind"].isin(["approval", "authorisation"])]
    out: dict[str, set[str]] = {}
    for drug, target in [*zip(approvals["drug"], approvals["target"]), *zip(updates["drug"], updates["target"])]:
        for t in TARGETS:
            if isinstance(target, str) and t in target:
                out.setdefault(str(drug), set()).add(t)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def _limited_cns() -> frozenset[str]:
    """Drugs whose CNS penetration the drugs table calls limited."""
    drugs = load("drugs")
    return frozenset(drugs.loc[drugs["cns_penetration"].eq("limited"), "drug"])


@cache
def _clinical_targets() -> dict[str, frozenset[str]]:
    """drug -> targets in which this book's outcomes table holds clinical results for it."""
    outcomes = load("outcomes")
    studies = load("studies")[["study_id", "target"]].rename(columns={"target": "study_target"})
    rows = outcomes.dropna(subset=["drug", "study_id"]).merge(studies, on="study_id", how="left")
    out: dict[str, set[str]] = {}
    for drug, target in zip(rows["drug"], rows["study_target"]):
        if isinstance(target, str):
            for t in TARGETS:
                if t in target:
                    out.setdefault(str(drug), set()).add(t)
    return {k: frozenset(v) for k, v in out.items()}


def _drugs_named(option: str) -> list[str]:
    found = [(m.start(), d) for d in _drug_names() for m in [re.search(rf"\b{re.escape(d)}\b", option, re.I)] if m]
    return [d for _, d in sorted(found)]


def _inactivity(target: str, genotype: str | None, drug: str) -> str | None:
    """Why ``drug`` must not be offered for ``genotype`` (None when nothing in the book's evidence says so)."""
    if genotype is None or target != "ROS1":
        return None
    for (t, mutation, d), reason in {**CLINICAL_INACTIVITY, **REVIEW_INACTIVITY}.items():
        if t == target and d == drug and mutation in genotype.split("/"):
            return reason
    cell = _table4().get(genotype, {}).get(drug)
    if cell and cell[0] == "≥200 nmol/l":
        return f"inactive against {genotype} in Table 4 (IC50 {cell[2]}{cell[1]:g} nmol/l, ≥200 band)"
    return None


# --- input checks ----------------------------------------------------------------------------------------

def _check(target, setting, cns_metastases, mutation, prior_tki):
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
        mutation = _canonical(mutation.strip().upper())
        if mutation not in _known_mutations(target) | set(BYPASS):
            raise ValueError(
                f"unknown {target} resistance mechanism {mutation!r}: use one of "
                f"{', '.join(accepted_mutations(target))}, or None when no mutation was found or genotyping "
                "was not possible"
            )
    if prior_tki is not None:
        if setting not in ("progression", "after_targeted"):
            raise ValueError(f"prior_tki={prior_tki!r} only applies to setting='progression' or "
                             f"'after_targeted' (got {setting!r})")
        tkis = sorted(d for d, targets in _clinical_targets().items() if target in targets)
        if not isinstance(prior_tki, str) or prior_tki.strip().lower() not in tkis:
            raise ValueError(f"unknown prior_tki {prior_tki!r} for {target}: choose one of {', '.join(tkis)}, "
                             "or None when unknown")
        prior_tki = prior_tki.strip().lower()
    return target, setting, mutation, prior_tki


# --- the selection -------------------------------------------------------------------------------------

def _post_source_rows(target: str, setting: str) -> list[dict]:
    """Approvals after the reviews that the updates table lists for this setting, as option rows."""
    updates = load("updates")
    listed = updates["options_in"].fillna("").str.split("; ").map(lambda s: setting in s)
    chosen = updates[listed & updates["target"].isin([target, "ALK and ROS1"])
                     & updates["kind"].isin(["approval", "authorisation"])]
    return [{"id": u["id"], "target": u["target"], "setting": setting, "condition": u["setting"],
             "option": f"{u['drug']} ({u['agency']} {u['kind']} {u['date']})", "strength": u["change"],
             "guideline": None, "basis": "regulatory approval", "citation": u["citation"],
             "source": f"primary: {u['locator']}", "note": u["note"], "verification": u["verification"],
             "verified_against": u["citation"], "verified_locator": u["locator"]}
            for u in chosen.to_dict("records")]


def _evaluate(target, setting, cns_metastases=False, mutation=None, prior_tki=None):
    """(kept rows, excluded rows) for a scenario; see :func:`treatment_options` for the rules."""
    target, setting, mutation, prior_tki = _check(target, setting, cns_metastases, mutation, prior_tki)
    recs = load("recommendations")
    recs = recs[recs["target"].isin([target, "ALK and ROS1"])]
    in_setting = recs["setting"].eq(setting)
    if setting == "first_line" and cns_metastases:
        in_setting |= recs["setting"].eq("cns") & recs["option"].str.contains(r"\bTKI\b|agents with CNS activity")
    rows = recs[in_setting].copy()

    kinase_mutation = mutation is not None and mutation not in BYPASS
    components = set(mutation.split("/")) if kinase_mutation else set()
    needs = rows["condition"].map(_requirement)
    keep = pd.Series(True, index=rows.index)
    if setting != "cns":
        keep &= ~needs.eq("cns") | cns_metastases
    keep &= ~needs.eq("no_genotype") | (mutation is None)
    keep &= ~needs.eq("g2032r") | ("G2032R" in components)
    keep &= ~needs.eq("any_mutation") | kinase_mutation
    after_second_generation = prior_tki is not None and _generation().get(prior_tki) == "second"
    keep &= ~needs.eq("cns_or_mutation") | cns_metastases | kinase_mutation | after_second_generation
    keep &= ~needs.eq("egfr") | (mutation == "EGFR")
    keep &= ~needs.eq("kit") | (mutation == "KIT")
    if mutation is not None:
        keep &= ~rows["option"].str.startswith("molecular testing")
    rows = rows[keep]

    genotype = mutation if kinase_mutation else None
    exhausted = setting == "progression" and prior_tki in LAST_LINE[target]
    kept, excluded = [], []
    candidates = rows.to_dict("records") + _post_source_rows(target, setting)
    if exhausted:
        # Rule 7: after a last-line TKI the chemotherapy rows of the next setting join the list.
        after = recs[recs["setting"].eq("after_targeted") & recs["option"].str.contains("chemotherapy")
                     & ~recs["condition"].fillna("").str.contains("chooses") & recs["verification"].ne("disputed")]
        candidates += after.to_dict("records")
    for row in candidates:
        condition = "" if pd.isna(row["condition"]) else str(row["condition"])
        if prior_tki not in (None, "crizotinib") and _AFTER_CRIZOTINIB.search(condition):
            excluded.append({**row, "reason": f"the review states it for progression on crizotinib; the "
                                              f"patient progressed on {prior_tki}"})
            continue
        named = _drugs_named(str(row["option"]))
        bypass_row = _requirement(condition) in ("egfr", "kit")
        notes, reasons, active = [], [], []
        for drug in named:
            why = None
            if drug == prior_tki:
                why = f"{drug}: the patient progressed on it"
            elif not bypass_row and target not in _drug_targets().get(drug, ()):
                why = f"{drug}: the drugs table lists no {target} activity"
            elif not bypass_row and row["target"] == "ALK and ROS1" and target not in _clinical_targets().get(drug, ()):
                why = f"{drug}: no clinical {target} results in this book"
            elif not bypass_row and (reason := _inactivity(target, genotype, drug)):
                why = f"{drug}: {reason}"
            (reasons if why else active).append(why or drug)
        if named and not active:
            excluded.append({**row, "reason": "; ".join(reasons)})
            continue
        if reasons:
            notes.append("left out: " + "; ".join(reasons))
        drugs = active
        if not named and genotype and target == "ROS1" and genotype in _table4() and any(
                g in str(row["option"]) for g in _GENERIC_NEXT_GENERATION):
            ros1_tkis = sorted(d for d, ts in _clinical_targets().items() if "ROS1" in ts and d != "crizotinib")
            drugs = [d for d in ros1_tkis if d != prior_tki and _inactivity(target, genotype, d) is None]
            if not drugs:
                excluded.append({**row, "reason": f"no ROS1 TKI with clinical results in this book is active "
                                                  f"against {genotype} in Table 4"})
                continue
            evidence = "Table 4" if exhausted else "Table 4 and the clinical data"
            notes.append(f"for {genotype}, {evidence} leave: {', '.join(drugs)}")
        elif not named and any(g in str(row["option"]) for g in _GENERIC_NEXT_GENERATION) and prior_tki:
            notes.append(f"any such drug other than {prior_tki}")
        if row["basis"] == "preclinical":
            tier = PRECLINICAL
        elif str(row["id"]).startswith("UPD-"):
            tier = SINCE
        else:
            tier = strength_tier(row["strength"])
        is_tki_row = bool(drugs) or any(g in str(row["option"]) for g in (*_GENERIC_NEXT_GENERATION, "TKI"))
        if exhausted and row["setting"] != "after_targeted" and is_tki_row and tier != PRECLINICAL:
            tier = CAUTIONARY
            notes.append(f"moved to cautionary: this book holds no clinical results for any TKI after {prior_tki} "
                         "(re-biopsy tissue; a clinical trial)")
        if exhausted and row["setting"] == "after_targeted":
            notes.append(f"added: after {prior_tki} no targeted option in this book has clinical results")
        if (after_second_generation and _requirement(condition) == "cns_or_mutation" and not cns_metastases
                and not kinase_mutation):
            notes.append(f"kept: the patient progressed on {prior_tki}, a second-generation drug, the setting of "
                         "lorlatinib's ALK approval (approvals APP-009)")
        unapproved = [d for d in drugs if target not in _approved_targets().get(d, ())]
        if unapproved and not bypass_row and row["basis"] != "preclinical":
            notes.append("no " + target + " approval in the book's approvals table: " + ", ".join(unapproved))
        if cns_metastases and active and set(active) <= _limited_cns() and tier != PRECLINICAL:
            tier = CAUTIONARY
            notes.append(f"moved to cautionary: with brain metastases the ALK/ROS1 review asks for a TKI with "
                         f"high CNS penetration, and {', '.join(active)} penetrates the CNS poorly")
        kept.append({**row, "drugs": "; ".join(drugs), "tier": tier, "book_note": " | ".join(notes)})

    order = {t: i for i, t in enumerate(TIERS)}
    frame = pd.DataFrame(kept, columns=[*recs.columns, "drugs", "tier", "book_note"])
    if not frame.empty:
        frame = frame.sort_values(["tier", "id"], key=lambda s: s.map(order) if s.name == "tier" else s)
    gone = pd.DataFrame(excluded, columns=[*recs.columns, "reason"])
    return frame[COLUMNS].reset_index(drop=True), gone[EXCLUDED_COLUMNS].reset_index(drop=True)


def treatment_options(target: str, setting: str, cns_metastases: bool = False,
                      mutation: str | None = None, prior_tki: str | None = None) -> pd.DataFrame:
    """What the source reviews list for a target and clinical setting, after the book's safety rules.

    Educational material, not medical advice: the rows restate two review articles (with their errata),
    filtered so that nothing contradicts the book's own evidence tables.

    Parameters
    ----------
    target : ``"ALK"`` or ``"ROS1"`` (case-insensitive).
    setting : one of ``testing``, ``first_line``, ``progression``, ``after_targeted``, ``cns``,
        ``oligometastatic``, ``central_airway`` (the ``setting`` values of ``recommendations``).
    cns_metastases : whether brain or other CNS metastases are present.
    mutation : for ``setting="progression"`` only: the resistance mechanism found, one of
        :func:`accepted_mutations` (a kinase mutation named in ``resistance_mutations``, every genotype of
        Table 4 including compound ones such as ``"G2032R/L2086F"`` in any order, or a bypass ``"EGFR"`` /
        ``"KIT"``); ``None`` when no mutation was found or genotyping was not possible.
    prior_tki : for ``progression`` and ``after_targeted``: the TKI the patient progressed on (a drug with
        clinical results for the target in this book), or ``None`` when unknown.

    Returns
    -------
    DataFrame with columns ``id, target, setting, condition, option, drugs, strength, tier, basis,
    book_note, guideline, citation, source, verification``, ordered by ``tier`` (:data:`TIERS`) then id.
    ``drugs`` lists the drugs the row still names after the rules; ``book_note`` says what the rules did.

    Rules
    -----
    Rows are those of the setting for the target (or "ALK and ROS1"); each row's ``condition`` is read
    as a requirement (brain metastases, G2032R, any kinase mutation, EGFR/KIT bypass, genotyping not
    feasible); molecular testing for resistance is listed only while no mutation is given; with brain
    metastases at first line the systemic rows of the ``cns`` setting are added. Then the safety rules
    of the module docstring apply (Table 4, G2032R and lorlatinib, prior TKI, target, brain metastases,
    preclinical hypotheses, last-line TKIs, the reviews' own findings).

    Raises
    ------
    ValueError
        for an unknown target, setting, mutation or prior TKI, a non-boolean ``cns_metastases``, or a
        ``mutation`` / ``prior_tki`` outside the settings they apply to; the message lists what is accepted.
    """
    return _evaluate(target, setting, cns_metastases, mutation, prior_tki)[0]


def excluded_options(target: str, setting: str, cns_metastases: bool = False,
                     mutation: str | None = None, prior_tki: str | None = None) -> pd.DataFrame:
    """The rows of the reviews that :func:`treatment_options` removed for a scenario, with the reason."""
    return _evaluate(target, setting, cns_metastases, mutation, prior_tki)[1]
