"""End to end: `pdscan scan` on files whose text was JSON-, CSV- or HTML-escaped before it was written."""

import json

from tests.conftest import by_entity

LOG = (
    '2026-11-02 10:00:01 INFO api request body={"note":"call back\\nPhone: 360-856-9231","name":"Ren\\u00e9 Dubois"}\n'
)


def test_escaped_values_are_found_with_offsets_into_the_raw_text(scan, tmp_path):
    (tmp_path / "app.log").write_text(LOG)
    payload = json.dumps({"note": "Phone:\n360-856-9231", "who": "René Dubois"})  # a JSON string inside JSON
    (tmp_path / "events.ndjson").write_text(json.dumps({"payload": payload}) + "\n")
    (tmp_path / "notes.csv").write_text('id,comment\n1,"Name:\\tAna Ruiz &quot;VIP&quot; Phone:\\n360-856-9231"\n')
    run = scan(tmp_path, "--granularity", "row")
    assert run.code == 1
    raw = {
        "app.log": LOG.rstrip("\n"),
        "events.ndjson": payload,
        "notes.csv": "Name:\\tAna Ruiz &quot;VIP&quot; Phone:\\n360-856-9231",
    }
    found = {}
    for f in run.findings:
        loc = f["location"]
        name = loc["container"].rsplit("/", 1)[-1]
        found.setdefault(name, []).append((f["entity"], raw[name][loc["start"] : loc["end"]]))
    assert sorted(found["app.log"]) == [("PERSON", r"Ren\u00e9 Dubois"), ("PHONE_NUMBER", "360-856-9231")]
    assert sorted(found["events.ndjson"]) == [("PERSON", r"Ren\u00e9 Dubois"), ("PHONE_NUMBER", "360-856-9231")]
    assert sorted(found["notes.csv"]) == [("PERSON", "Ana Ruiz"), ("PHONE_NUMBER", "360-856-9231")]


def test_an_escaped_value_masks_and_fingerprints_as_its_decoded_self(scan, tmp_path):
    (tmp_path / "escaped.log").write_text(r"INFO api request body={\"name\":\"Ren\u00e9 Dubois\"}" + "\n")
    (tmp_path / "plain.log").write_text('INFO api request body={"name":"René Dubois"}\n')
    people = by_entity(scan(tmp_path).findings)["PERSON"]
    assert len(people) == 2
    assert {f["fingerprint"] for f in people} == {people[0]["fingerprint"]}
    assert {f["sample"] for f in people} == {"R*** D*****"}
    assert "Dubois" not in json.dumps(people)
