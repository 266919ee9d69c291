"""The batch's own files (batch/files.py): the resume manifest, input hashes and the zip."""

from __future__ import annotations

import json
import zipfile

from helpers import SAMPLES

from guidebook.batch.files import Manifest, input_hash, shared_hash, write_zip
from guidebook.batch.types import BatchSettings
from guidebook.guide import load_shared
from guidebook.inputs.bookings import BookingsFormat, Row
from guidebook.options import GuideOptions


def test_the_manifest_survives_a_line_cut_short_and_is_compacted(tmp_path):
    path = tmp_path / ".guidebook-manifest.jsonl"
    path.write_text('{"output": "a.pdf", "hash": "1"}\n{"output": "b.pdf", "hash": "2"}\n{"outp')
    manifest = Manifest(path, load=True)
    assert (manifest.get("a.pdf"), manifest.get("b.pdf"), manifest.get("c.pdf")) == ("1", "2", None)
    manifest.add("a.pdf", "3")  # appended at once: a kill now keeps it
    assert path.read_text().endswith('{"output": "a.pdf", "hash": "3"}\n')
    manifest.close()
    assert [json.loads(line) for line in path.read_text().splitlines()] == [
        {"output": "a.pdf", "hash": "3"},
        {"output": "b.pdf", "hash": "2"},
    ]
    fresh = Manifest(path, load=False)  # without --resume: nothing is skipped
    assert fresh.get("a.pdf") is None
    fresh.close()


def test_the_zip_holds_the_guides_and_the_report_with_fixed_times(tmp_path):
    guides = [tmp_path / "B1.pdf", tmp_path / "B2.pdf"]
    for guide in guides:
        guide.write_bytes(b"%PDF-" + guide.name.encode())
    report = tmp_path / "report.csv"
    report.write_text("booking_id,line\n")
    first = write_zip(tmp_path / "send" / "guides.zip", guides, report).read_bytes()
    again = write_zip(tmp_path / "send" / "guides.zip", guides, report).read_bytes()
    assert first == again  # the same files, the same bytes
    with zipfile.ZipFile(tmp_path / "send" / "guides.zip") as archive:
        assert archive.namelist() == ["B1.pdf", "B2.pdf", "report.csv"]
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("B2.pdf") == b"%PDF-B2.pdf"


def test_a_guide_is_made_again_when_anything_it_is_made_from_changes(tmp_path):
    clinics = tmp_path / "clinics.yaml"
    clinics.write_bytes((SAMPLES / "clinics.yaml").read_bytes())
    settings = BatchSettings(out_dir=tmp_path / "out", guide=GuideOptions(clinics=clinics))
    shared = load_shared(settings.guide)
    common = shared_hash(settings, shared)
    assert common == shared_hash(settings, shared)
    assert common != shared_hash(
        BatchSettings(out_dir=tmp_path / "out", guide=GuideOptions(clinics=clinics, page_format="a6")), shared
    )
    assert common == shared_hash(
        BatchSettings(out_dir=tmp_path / "out", guide=GuideOptions(clinics=clinics, timeout=30)), shared
    )  # the time limit changes no byte of a guide
    for reading in ({"ics": True}, {"bookings": BookingsFormat(date_format="dmy")}):
        assert common != shared_hash(
            BatchSettings(out_dir=tmp_path / "out", guide=settings.guide, **reading), shared
        )
    assert common == shared_hash(
        BatchSettings(
            out_dir=tmp_path / "out", guide=settings.guide, bookings=BookingsFormat(encoding="cp949")
        ),
        shared,
    )  # the cells are hashed as read: how they were decoded changes nothing more
    clinics.write_text(clinics.read_text() + "\n# edited\n")
    assert shared_hash(settings, shared) != common
    row = Row(2, "B1", {"name": "Ann"})
    digest = input_hash(common, row, None, "B1-Ann.pdf")
    assert digest == input_hash(common, Row(2, "B1", {"name": "Ann"}), None, "B1-Ann.pdf")
    assert digest != input_hash(common, Row(2, "B1", {"name": "Anne"}), None, "B1-Ann.pdf")
    assert digest != input_hash(common, row, None, "B1-Ann-2.pdf")
    base = tmp_path / "base.yaml"
    base.write_text("traveler: {name: X}\n")
    with_base = input_hash(common, row, base, "B1-Ann.pdf")
    base.write_text("traveler: {name: Y}\n")
    assert input_hash(common, row, base, "B1-Ann.pdf") != with_base
