"""The schema of ``data/``: one place that describes every table and field.

``python -m ros1alk.datapackage``                writes data/datapackage.json (keeps recorded stats)
``python -m ros1alk.datapackage --record-stats`` also re-records each file's row count and sha256
``python -m ros1alk.datapackage --check``        fails if datapackage.json is out of date with this module

Frictionless reads the descriptor and enforces types, enums, bounds, primary and foreign keys, and the
recorded ``stats`` (so a lost, duplicated or edited row fails validation until re-recorded on purpose).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

from .paths import DATA_DIR, DATAPACKAGE

SEEDS = {"000": "000_b87b6f06dd87b970.txt", "004": "004_ad34463ac73c8bd1.txt"}
# A row comes from one of the two reviews (seed file, then table or section), or was added by the
# editors from a primary source (``primary: `` then where in that source, cited in ``citation``).
SOURCE_PATTERN = r"^((000_b87b6f06dd87b970|004_ad34463ac73c8bd1)\.txt|primary): .+"
# Verification of a clinical row against a primary source (trial paper, label, regulatory notice).
VERIFICATION = {
    "checked": "a primary source agrees (verified_against, verified_locator)",
    "corrected": "the review printed something wrong; the row holds the right value and an erratum "
                 "(errata.affects) holds what was printed",
    "source-only": "not checked against a primary source: as the review printed it",
    "disputed": "a primary source disagrees or sources conflict, and the row cannot simply be corrected",
}
ERRATUM_KINDS = ["arithmetic", "typo", "extraction", "label", "wording", "citation", "inconsistency",
                 "interpretation", "clinical", "outdated"]
QUALIFIERS = ["NR", "approx", "gt", "ge", "lt", "le", "range"]
PCT = {"minimum": 0, "maximum": 100}


def f(name, type_, description, unit=None, **constraints):
    field = {"name": name, "type": type_, "description": description}
    if unit:
        field["unit"] = unit
    if constraints:
        field["constraints"] = constraints
    return field


# Fields shared by several tables ---------------------------------------------------------------
CITATION = f("citation", "string", "BibTeX key (references.bib) of the work the source review cites for this "
             "number; the review itself where it cites none or a group", required=True)
SOURCE = f("source", "string", "Locator: seed file name, then the table or section of the review; or "
           "'primary: ' and the place in the primary source named by citation, for rows the editors added",
           required=True, pattern=SOURCE_PATTERN)
REPORTED = f("reported", "string", "The fragment of the source that carries the number, verbatim")
NOTE = f("note", "string", "Extraction note: interpretation, caveats, cross-references to errata")
QUALIFIER = f("qualifier", "string", "Qualifier of the value: NR not reached (value empty), approx about, "
              "gt/ge/lt/le inequality, range (value is the lower and value_max the upper bound); empty = exact",
              enum=QUALIFIERS)
P_VALUE = f("p_value", "number", "Reported p-value", minimum=0, maximum=1)
P_QUAL = f("p_qualifier", "string", "How the p-value was reported: '=' exact, '<' below", enum=["=", "<"])
VERIFIED = [
    f("verification", "string", "Verification against a primary source: " + "; ".join(
        f"{k} = {v}" for k, v in VERIFICATION.items()), required=True, enum=list(VERIFICATION)),
    f("verified_against", "string", "BibTeX key (references.bib) of the primary source checked; required "
      "unless source-only"),
    f("verified_locator", "string", "Where in that primary source (abstract, table, label section, date); "
      "required unless source-only"),
]
VERIFIED_FK = {"fields": "verified_against", "reference": {"resource": "references", "fields": "key"}}
VERIFIED_TABLES = ("outcomes", "approvals", "dosing", "diagnostics", "recommendations", "adverse_events",
                   "drugs", "resistance_mutations")
STUDY_FK = f("study_id", "string", "Study identifier (studies.csv)")
DRUG = f("drug", "string", "Drug name, lower case (drugs.csv)")
TARGETS = ["ROS1", "ALK", "ALK and ROS1"]
TARGET = f("target", "string", "Oncogenic driver concerned", enum=TARGETS)


def _id(prefix, what):
    return f("id", "string", f"Row identifier of this {what}", required=True, unique=True,
             pattern=rf"^{prefix}-\d{{3}}$")


def cite_fk():
    return {"fields": "citation", "reference": {"resource": "references", "fields": "key"}}


def fk(field, resource, target):
    return {"fields": field, "reference": {"resource": resource, "fields": target}}


# Tables ----------------------------------------------------------------------------------------
TABLES = [
    {
        "name": "references",
        "title": "References of the two source reviews",
        "description": "One row per cited work (BibTeX key), with where each review cites it; duplicated "
                       "entries within a review's list share one key.",
        "fields": [
            f("key", "string", "BibTeX key in references.bib (firstauthorYEAR, a/b for collisions)",
              required=True, unique=True, pattern=r"^[a-z]+[0-9]{4}[a-z]?$"),
            f("cited_as", "string", "Where the reviews list it: seed and reference number(s), e.g. '000 [30]; 004 [27]'",
              required=True),
            NOTE,
        ],
        "primaryKey": ["key"],
        "foreignKeys": [],
    },
    {
        "name": "studies",
        "title": "Studies",
        "description": "Every trial, cohort, pooled analysis, preclinical data set or registry the reviews report numbers from.",
        "fields": [
            f("study_id", "string", "Study identifier", required=True, unique=True, pattern=r"^[a-z0-9_]+$"),
            f("name", "string", "Name as the source spells it", required=True),
            f("target", "string", "Oncogenic driver studied", enum=TARGETS),
            f("design", "string", "Study design", enum=[
                "phase I", "phase I/II", "phase II", "phase III randomised", "pooled analysis",
                "retrospective cohort", "prospective cohort", "screening cohort", "adjusted comparison",
                "preclinical", "registry statistics", "meta-analysis"]),
            f("phase", "string", "Trial phase as reported"),
            f("region", "string", "Where patients were enrolled"),
            f("n_screened", "integer", "Patients screened for the fusion", "patients", minimum=0),
            f("n_positive", "integer", "Fusion-positive patients", "patients", minimum=0),
            f("percent_positive", "number", "Fusion-positive share of those screened, as reported", "percent", **PCT),
            f("n_treated", "integer", "Patients treated / analysed", "patients", minimum=0),
            f("treatment_line", "string", "Line of therapy, verbatim"),
            f("first_line_percent", "number", "Share treated in the first line, as reported", "percent", **PCT),
            f("follow_up_months", "number", "Median (or stated) follow-up", "months", minimum=0),
            CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["study_id"],
        "foreignKeys": [cite_fk()],
    },
]

VALUE_FIELDS = [
    f("value", "number", "The reported number (lower bound when qualifier is 'range'; empty when not reached)"),
    f("value_max", "number", "Upper bound of a reported range"),
]

TABLES += [
    {
        "name": "outcomes",
        "title": "Efficacy outcomes",
        "description": "One row per study x arm x population x endpoint (x timepoint for landmark rates).",
        "fields": [
            _id("OUT", "outcome"),
            f("study_id", "string", "Study identifier (studies.csv); empty for statements about a whole population"),
            f("arm", "string", "Treatment arm, short label; empty for statements not tied to one treatment"),
            DRUG,
            f("population", "string", "Population or subgroup the value describes", required=True),
            f("endpoint", "string", "What was measured (ORR, PFS_median, OS_rate, PFS_HR, ...)", required=True),
            *VALUE_FIELDS,
            f("unit", "string", "Unit of value, as reported (days stay days)",
              enum=["percent", "months", "days", "years", "ratio", "patients"]),
            QUALIFIER,
            f("ci_low", "number", "Lower bound of the reported 95% confidence interval"),
            f("ci_high", "number", "Upper bound of the reported 95% confidence interval (empty if not reached)"),
            f("n", "integer", "Denominator: patients in this arm/population, when reported", "patients", minimum=0),
            f("n_events", "integer", "Count behind the value (e.g. responders), when reported", "patients", minimum=0),
            f("timepoint_months", "number", "Landmark time for rates (12-month OS -> 12)", "months", minimum=0),
            f("comparator", "string", "Arm compared for a p-value, hazard ratio, risk ratio or difference"),
            P_VALUE, P_QUAL, CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("study_id", "studies", "study_id"), fk("drug", "drugs", "drug"), cite_fk()],
    },
    {
        "name": "prognostic_factors",
        "title": "Prognostic and predictive factor comparisons",
        "description": "One row per reported comparison of an outcome between two groups of patients.",
        "fields": [
            _id("PRG", "comparison"),
            f("study_id", "string", "Study identifier (studies.csv)", required=True),
            f("factor", "string", "The factor compared (fusion partner, TP53, brain metastases, ...)", required=True),
            f("group", "string", "The group with the factor", required=True),
            f("reference_group", "string", "The group it is compared with", required=True),
            f("endpoint", "string", "Outcome compared", required=True),
            f("value_group", "number", "Value in the group"),
            f("value_reference", "number", "Value in the reference group"),
            f("unit", "string", "Unit of the values", enum=["months", "percent"]),
            P_VALUE, P_QUAL,
            f("analysis", "string", "Analysis that produced the p-value",
              enum=["univariate", "multivariate", "log-rank", "not stated"]),
            CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("study_id", "studies", "study_id"), cite_fk()],
    },
    {
        "name": "fusion_partners",
        "title": "Fusion partners",
        "description": "Partner genes of ROS1 and ALK fusions, with frequencies where reported.",
        "fields": [
            _id("FUS", "fusion partner observation"),
            TARGET,
            f("partner", "string", "Partner gene (5' part of the fusion)", required=True),
            f("percent", "number", "Share of fusions with this partner (lower bound for a range)", "percent", **PCT),
            f("percent_max", "number", "Upper bound of a reported range", "percent", **PCT),
            QUALIFIER,
            f("n", "integer", "Patients with this partner (or count reported)", "patients", minimum=0),
            f("n_total", "integer", "Patients in the cohort", "patients", minimum=0),
            STUDY_FK, CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("study_id", "studies", "study_id"), cite_fk()],
    },
    {
        "name": "prevalence",
        "title": "Prevalence and clinical features",
        "description": "How often the fusions occur, overall and by subgroup, with counts where reported.",
        "fields": [
            _id("PRV", "prevalence observation"),
            TARGET,
            f("population", "string", "Population described", required=True),
            f("variable", "string", "Subgrouping variable (overall, age, sex, smoking, histology, nodal_stage, ...)", required=True),
            f("level", "string", "Level of the variable", required=True),
            f("measure", "string", "What value measures", required=True),
            *VALUE_FIELDS, QUALIFIER,
            f("sd", "number", "Standard deviation, for means", minimum=0),
            f("n_positive", "integer", "Fusion-positive patients (numerator)", "patients", minimum=0),
            f("n_tested", "integer", "Patients tested (denominator)", "patients", minimum=0),
            P_VALUE, P_QUAL, STUDY_FK, CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("study_id", "studies", "study_id"), cite_fk()],
    },
    {
        "name": "resistance_mutations",
        "title": "Resistance mechanisms",
        "description": "Secondary kinase-domain mutations and bypass mechanisms after TKI treatment, with frequencies.",
        "fields": [
            _id("RES", "resistance observation"),
            TARGET,
            f("mutation", "string", "Mutation or mechanism", required=True),
            f("drug_progressed_on", "string", "Drug the patients progressed on"),
            f("percent", "number", "Frequency (lower bound for a range)", "percent", **PCT),
            f("percent_max", "number", "Upper bound of a reported range", "percent", **PCT),
            QUALIFIER,
            f("n", "integer", "Patients or samples with the mutation", "patients", minimum=0),
            f("n_total", "integer", "Patients or samples examined", "patients", minimum=0),
            f("analogous_alk_mutation", "string", "The analogous ALK residue or mutation, where the source gives one"),
            f("mechanism", "string", "On-target (kinase domain) or bypass signalling",
              enum=["on-target", "bypass", "histologic transformation"]),
            STUDY_FK, CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("study_id", "studies", "study_id"), cite_fk()],
    },
    {
        "name": "progression_patterns",
        "title": "Progression patterns on crizotinib",
        "description": "Sites of progression and the share of each with secondary point mutations.",
        "fields": [
            _id("PAT", "progression pattern"),
            f("study_id", "string", "Study identifier (studies.csv)", required=True),
            f("pattern", "string", "Site of progression", required=True),
            f("percent", "number", "Share of progressing patients with this pattern", "percent", **PCT),
            f("point_mutation_percent", "number", "Share with a secondary ROS1 point mutation", "percent", **PCT),
            P_VALUE, P_QUAL, CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("study_id", "studies", "study_id"), cite_fk()],
    },
    {
        "name": "ic50",
        "title": "IC50 of ROS1 TKIs against ROS1 genotypes (Table 4 of the crizotinib review)",
        "description": "One row per genotype x drug cell of Table 4; censored values keep a qualifier plus a number.",
        "fields": [
            _id("IC", "IC50 cell"),
            f("genotype", "string", "ROS1 genotype of the Ba/F3 cells (Parental = no ROS1 fusion)", required=True),
            f("drug", "string", "TKI (drugs.csv)", required=True),
            f("value", "number", "IC50 (the bound when qualifier is 'gt')", "nmol/l", required=True, minimum=0),
            f("qualifier", "string", "'gt' when reported as >value (censored at the top of the assay range)", enum=["gt"]),
            f("symbol", "string", "Footnote symbol printed in the table", required=True, enum=["†", "‡", "§"]),
            f("category", "string", "Sensitivity category from the table's footnote", required=True,
              enum=["≤50 nmol/l", "50 to <200 nmol/l", "≥200 nmol/l"]),
            CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("drug", "drugs", "drug"), cite_fk()],
    },
    {
        "name": "pharmacology",
        "title": "Pharmacology constants",
        "description": "Binding and inhibition constants, kinase homology and other laboratory measurements.",
        "fields": [
            _id("PHA", "measurement"),
            DRUG,
            f("target", "string", "Kinase, cell line or comparison measured", required=True),
            f("measure", "string", "Kd, Ki, IC50, homology, ...", required=True),
            *VALUE_FIELDS, QUALIFIER,
            f("unit", "string", "Unit of value", required=True, enum=["nmol/l", "umol/l", "percent"]),
            f("assay", "string", "Assay or method"),
            CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("drug", "drugs", "drug"), cite_fk()],
    },
    {
        "name": "adverse_events",
        "title": "Adverse events",
        "description": "Adverse-event rates and characteristic toxicities per drug.",
        "fields": [
            _id("AE", "adverse event"),
            f("drug", "string", "Drug (drugs.csv)", required=True),
            f("event", "string", "Adverse event", required=True),
            f("grade", "string", "Severity grade the rate refers to", enum=["any", ">=3"]),
            f("percent", "number", "Share of patients (lower bound for a range)", "percent", **PCT),
            f("percent_max", "number", "Upper bound of a reported range", "percent", **PCT),
            QUALIFIER,
            f("timing", "string", "When the event typically occurs"),
            CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("drug", "drugs", "drug"), cite_fk()],
    },
    {
        "name": "dosing",
        "title": "Dosing and interaction facts",
        "description": "Doses, dose-escalation schedules and drug interactions the reviews state.",
        "fields": [
            _id("DOS", "dosing fact"),
            f("drug", "string", "Drug (drugs.csv)", required=True),
            f("regimen", "string", "Regimen or fact", required=True),
            f("dose_mg", "number", "Dose per administration", "mg", minimum=0),
            f("days", "number", "Duration of this step", "days", minimum=0),
            f("condition", "string", "Conditions (with food, first week, ...)"),
            CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("drug", "drugs", "drug"), cite_fk()],
    },
    {
        "name": "drugs",
        "title": "Drugs",
        "description": "Every drug named in a data table, with its targets, generation and CNS activity as the reviews describe them.",
        "fields": [
            f("drug", "string", "Drug name, lower case", required=True, unique=True),
            f("generation", "string", "Generation as the reviews describe it"),
            f("targets", "string", "Kinases inhibited, ';'-separated"),
            f("development_code", "string", "Development code"),
            f("cns_penetration", "string", "CNS penetration as the reviews describe it", enum=["high", "limited", "not stated"]),
            CITATION, SOURCE, NOTE,
        ],
        "primaryKey": ["drug"],
        "foreignKeys": [cite_fk()],
    },
    {
        "name": "approvals",
        "title": "Regulatory approvals",
        "description": "Approvals with agency and year as the reviews report them.",
        "fields": [
            _id("APP", "approval"),
            f("drug", "string", "Drug (drugs.csv)", required=True),
            TARGET,
            f("agency", "string", "Regulator (empty when the source does not name it)"),
            f("year", "integer", "Year of approval", minimum=2000, maximum=2026),
            f("month", "integer", "Month of approval, where given", minimum=1, maximum=12),
            f("indication", "string", "Indication"),
            CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [fk("drug", "drugs", "drug"), cite_fk()],
    },
    {
        "name": "recommendations",
        "title": "Treatment recommendations",
        "description": "The guideline logic and salvage options the reviews describe, one option per row.",
        "fields": [
            _id("REC", "recommendation"),
            TARGET,
            f("setting", "string", "Clinical setting", required=True,
              enum=["testing", "first_line", "progression", "after_targeted", "cns", "oligometastatic", "central_airway"]),
            f("condition", "string", "Condition within the setting"),
            f("option", "string", "Treatment option", required=True),
            f("strength", "string", "Strength or wording of the recommendation"),
            f("guideline", "string", "Guideline the review attributes it to"),
            f("basis", "string", "What the review rests the statement on: guideline (a named guideline), "
              "clinical data (trials or cohorts of patients), case reports, preclinical (cell lines or "
              "animals: a hypothesis, never a treatment option), not stated", required=True,
              enum=["guideline", "clinical data", "case reports", "preclinical", "not stated"]),
            CITATION, SOURCE, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [cite_fk()],
    },
    {
        "name": "diagnostics",
        "title": "Diagnostic methods",
        "description": "Tests for ROS1 and ALK fusions: what each detects, what it misses, what needs confirmation.",
        "fields": [
            _id("DX", "diagnostic method"),
            f("method", "string", "Test or sample type", required=True),
            TARGET,
            f("detects", "string", "What it detects"),
            f("limitation", "string", "What it misses or its limits"),
            f("confirmation", "string", "Confirmation needed"),
            f("antibody", "string", "Antibody clone (IHC)"),
            f("threshold", "number", "Positivity threshold", minimum=0),
            f("threshold_qualifier", "string", "How the threshold applies: 'ge' = at least the threshold", enum=["ge"]),
            f("threshold_unit", "string", "Unit of the threshold"),
            f("sample_types", "string", "Samples it can use"),
            f("regulatory", "string", "Regulatory status"),
            CITATION, SOURCE, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [cite_fk()],
    },
    {
        "name": "epidemiology",
        "title": "Epidemiology counts",
        "description": "Population counts of lung cancer cases and deaths.",
        "fields": [
            _id("EPI", "count"),
            f("region", "string", "Region counted", required=True),
            f("year", "integer", "Year of the count", minimum=1900, maximum=2026),
            f("measure", "string", "What was counted", required=True),
            f("value", "number", "The count", minimum=0),
            QUALIFIER,
            f("unit", "string", "Unit of the count"),
            CITATION, SOURCE, REPORTED, NOTE,
        ],
        "primaryKey": ["id"],
        "foreignKeys": [cite_fk()],
    },
    {
        "name": "errata",
        "title": "Errata of the sources",
        "description": "Every defect found in the sources and how the data treat it (kept as reported, or corrected openly).",
        "fields": [
            f("erratum_id", "string", "Erratum identifier", required=True, unique=True, pattern=r"^E(000|004)-\d{2}$"),
            f("seed", "string", "Which review", required=True, enum=list(SEEDS)),
            SOURCE,
            f("field", "string", "What is affected", required=True),
            f("reported", "string", "What the source prints", required=True),
            f("resolution", "string", "How the data treat it", required=True),
            f("action", "string", "kept = stored as reported; corrected = stored corrected", required=True,
              enum=["kept", "corrected"]),
            f("reason", "string", "Why the entry is needed", required=True),
            f("affects", "string", "Rows of data/ this erratum concerns, as table:id, ';'-separated",
              pattern=r"^[a-z_0-9]+:[A-Za-z0-9_-]+(; [a-z_0-9]+:[A-Za-z0-9_-]+)*$"),
            f("kind", "string", "Kind of defect: " + ", ".join(ERRATUM_KINDS) + " (clinical = a wrong clinical "
              "fact; outdated = true when printed, no longer)", required=True, enum=ERRATUM_KINDS),
            f("verified_against", "string", "BibTeX key of the primary source that decides the erratum; "
              "required for clinical and outdated errata"),
            f("verified_locator", "string", "Where in that primary source"),
        ],
        "primaryKey": ["erratum_id"],
        "foreignKeys": [VERIFIED_FK],
    },
]

UPDATES = {
    "name": "updates",
    "title": "Changes since the sources",
    "description": "Approvals, authorisations, filings, label changes and major trial readouts that came after the two "
                   "source reviews (or that they missed), each dated, sourced to a primary document and re-checked.",
    "fields": [
        _id("UPD", "development"),
        f("date", "date", "When it happened (approval, authorisation, filing acceptance or publication)", required=True),
        f("kind", "string", "What kind of development", required=True,
          enum=["approval", "authorisation", "filing", "label change", "trial readout", "guideline change"]),
        f("drug", "string", "Drug, lower case", required=True),
        TARGET,
        f("setting", "string", "Clinical setting it concerns", required=True),
        f("agency", "string", "Regulator (FDA, European Commission, ...); empty for a trial readout"),
        f("options_in", "string", "Settings of treatment_options() in which the approved drug is listed as a "
          "post-source option (';'-separated setting names); empty = not listed",
          pattern=r"^(testing|first_line|progression|after_targeted|cns|oligometastatic|central_airway)"
                  r"(; (testing|first_line|progression|after_targeted|cns|oligometastatic|central_airway))*$"),
        f("change", "string", "What changed, in the editors' words", required=True),
        f("sources_said", "string", "What the two reviews said on this point, if anything"),
        f("last_checked", "date", "When the editors last checked it against the primary source", required=True),
        f("citation", "string", "BibTeX key (references.bib) of the primary source", required=True),
        f("locator", "string", "Where in that source", required=True),
        f("verification", "string", "checked = confirmed in the primary source (only confirmed developments are "
          "listed; what could not be confirmed is left out)", required=True, enum=["checked"]),
        NOTE,
    ],
    "primaryKey": ["id"],
    "foreignKeys": [cite_fk()],
}
TABLES.append(UPDATES)

GENES = {
    "name": "genes",
    "title": "Genes",
    "description": "Loci and basic facts of the genes involved.",
    "fields": [
        _id("GEN", "gene fact"),
        f("gene", "string", "Gene symbol", required=True),
        f("locus", "string", "Chromosomal locus"),
        f("protein_class", "string", "What the protein is"),
        CITATION, SOURCE, NOTE,
    ],
    "primaryKey": ["id"],
    "foreignKeys": [cite_fk()],
}
TABLES.insert(2, GENES)


def _stats(path: Path) -> dict:
    data = path.read_bytes()
    with path.open(newline="", encoding="utf-8") as fh:
        rows = sum(1 for _ in csv.reader(fh)) - 1
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "rows": rows}


def build_descriptor(record_stats: bool = False, data_dir: Path = DATA_DIR) -> dict:
    old = {}
    target = data_dir / "datapackage.json"
    if target.exists():
        old = {r["name"]: r.get("stats") for r in json.loads(target.read_text(encoding="utf-8"))["resources"]}
    resources = []
    for t in TABLES:
        fields = [dict(x) for x in t["fields"]]
        foreign_keys = list(t["foreignKeys"])
        if t["name"] in VERIFIED_TABLES:
            fields += [dict(x) for x in VERIFIED]
            foreign_keys.append(VERIFIED_FK)
        schema = {"fields": fields, "primaryKey": t["primaryKey"]}
        if foreign_keys:
            schema["foreignKeys"] = foreign_keys
        res = {
            "name": t["name"],
            "path": f"{t['name']}.csv",
            "title": t["title"],
            "description": t["description"],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
            "schema": schema,
        }
        path = data_dir / res["path"]
        if record_stats and path.exists():
            res["stats"] = _stats(path)
        elif old.get(t["name"]):
            res["stats"] = old[t["name"]]
        resources.append(res)
    return {
        "name": "ros1-alk-nsclc-evidence",
        "title": "ROS1 and ALK NSCLC evidence tables",
        "description": "Every number reported in two review articles on ROS1- and ALK-rearranged NSCLC, "
                       "as tidy tables with citations and locators.",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "sources": [
            {"title": "Zhong H, Lu J, Wang M, Han B. Real-world studies of crizotinib in patients with "
                      "ROS1-positive non-small-cell lung cancer: experience from China. J Comp Eff Res 2024."},
            {"title": "Aslan V. ALK and ROS1-Positive Non-Small Cell Lung Cancer: Molecular Characteristics, "
                      "Diagnostic Strategies, and Targeted Therapeutic Approaches."},
        ],
        "resources": resources,
    }


def render(descriptor: dict) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record-stats", action="store_true", help="re-record row counts and sha256 of every file")
    parser.add_argument("--check", action="store_true", help="fail if datapackage.json is out of date")
    args = parser.parse_args(argv)
    text = render(build_descriptor(record_stats=args.record_stats))
    if args.check:
        current = DATAPACKAGE.read_text(encoding="utf-8") if DATAPACKAGE.exists() else ""
        if current != text:
            print(f"{DATAPACKAGE} is out of date with ros1alk/datapackage.py: run 'make stats'", file=sys.stderr)
            return 1
        return 0
    DATAPACKAGE.write_text(text, encoding="utf-8")
    print(f"wrote {DATAPACKAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
