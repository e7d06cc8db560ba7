"""The files the README promises: licences, how to cite, how to contribute."""
from __future__ import annotations

import yaml
from conftest import REPO


def test_licences_cover_code_and_prose():
    mit = (REPO / "LICENSE").read_text(encoding="utf-8")
    cc = (REPO / "LICENSE-CC-BY-4.0.txt").read_text(encoding="utf-8")
    assert mit.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in mit
    assert "Creative Commons Attribution 4.0 International Public License" in cc
    assert "Section 8 – Interpretation." in cc, "the full legal code, not a summary"


def test_citation_file_is_valid_cff():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "license", "repository-code", "date-released"):
        assert cff[key], key
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert cff["repository-code"] == config["repository"]["url"], "one repository URL, set in _config.yml"


def test_contributing_explains_rows_errata_chapters_and_refresh():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in ("## Add a data row", "## Record an erratum", "## Add or change a chapter", "## Refresh and check"):
        assert heading in text, heading
    for command in ("make stats", "make refresh", "make test"):
        assert command in text, command
