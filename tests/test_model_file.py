"""The versioned model file: every score names it, and another file changes the scores."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ftfhub.matching.compare import compare_records
from ftfhub.matching.parameters import (
    DEFAULT,
    Parameters,
    load_parameters,
    parameters_to_json,
)
from ftfhub.services.compare import compare_two


def test_every_score_names_the_model_version() -> None:
    result = compare_two("Olaf Brandtner", "Olaf Brandtner")
    assert result.model == DEFAULT.version != "defaults"
    assert DEFAULT.version in str(result.terms[0].detail)


def test_a_model_file_round_trips_and_its_numbers_are_used(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(parameters_to_json(DEFAULT)), "utf-8")
    assert load_parameters(path) == DEFAULT
    harsher = replace(DEFAULT, version="test-2", prior_weight=DEFAULT.prior_weight - 6)
    path.write_text(json.dumps(parameters_to_json(harsher)), "utf-8")
    loaded = load_parameters(path)
    assert loaded.version == "test-2" and isinstance(loaded, Parameters)
    a = compare_two("Olaf Brandtner", "Olaf Brandtner")
    from ftfhub.ingest.person_file import record_from_row

    rec = record_from_row({"record_id": "x", "name": "Olaf Brandtner"}, 0)
    b = compare_records(rec, rec, params=loaded)
    assert b.model == "test-2" and b.weight == a.weight - 6


def test_an_em_estimate_kept_in_the_file_is_not_used_until_adopted() -> None:
    from importlib import resources

    text = (resources.files("ftfhub.matching") / "data" / "model.json").read_text("utf-8")
    data = json.loads(text)
    estimate = data["em_estimate"]
    assert estimate["adopted"] is False
    assert estimate["name_levels_m"]["exact"] != DEFAULT.name_levels["exact"].m
    assert DEFAULT.name_levels["exact"].m == data["parameters"]["name_levels"]["exact"]["m"]
