"""Fast detection gives today's output; the project's anonymisation cache is exact and never stale."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from qualcode import import_files
from qualcode.anonymise import Anonymiser
from qualcode.anonymise.files import participant_rows, read_files
from qualcode.anonymise.key import default_key_path
from qualcode.metadata import read_metadata
from qualcode.project import Project
from qualcode.report import quote_table
from qualcode.report.privacy import redactor_for
from qualcode.store.anonymised import CachedAnonymisation

# The project tests below run on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

SAMPLES = Path(__file__).resolve().parent.parent / "transcripts_sample"

# SHA-256 (first 16 hex digits) of each sample's anonymised text, replacements and
# review candidates, and of the pseudonym key, as the detector before the speed-up
# (commit b016675) produced them. Any change in output changes a digest.
REFERENCE = {
    ("tag", False): (["cfc208c8142ee5ec", "d41581ef0cd8a91e", "7fd7d4939913d07e", "477acc9126a7641a", "28ec3e1abc9c536d",
                      "88f48ef1b4caa0f2", "129ba35e1474bda0", "279c7eaca3f30086", "0210cfccbcea05bb"], "27b7addb1a6cd786"),
    ("surrogate", True): (["7bce57a31324918c", "84e04544d6ab4c65", "aced6a033bc7a8eb", "e0b324bea763d27e", "0c5a45092376f846",
                           "9d9e1b600f63e877", "b980f597e33ebadf", "d27ba43d1a767457", "52626a41977b45b7"], "90f7a8e00472194d"),
    ("role", False): (["1ad4d6cca43b1a75", "82d7680eb9e17676", "f5a00dcccfb170cd", "2a8cdb77a319b7fc", "45281976689728e1",
                       "8ec1cf1aac3bd7b5", "679763bf99be80ba", "a53f83f5b3ed8557", "851d328e0e9a8b66"], "27b7addb1a6cd786"),
    ("redact", True): (["b0f8695ad712948c", "37bdf46f477f4d55", "e1ac7c29d3875351", "3bb33b078a957aee", "1570ef38b5a27f04",
                        "aef7ad09ee7905e4", "d4be4f452fe507d5", "e29aceb07e69205d", "a40e0e160ddd7c3c"], "0e32d798eccfefe3"),
}
TEXT_ONLY = {
    False: ["adaa111df8de60eb", "30aa90b13f93bac4", "d01366af2aea902b", "68c4b63d93d027ab", "4b5e352c0618fc5a",
            "8cdf7a1cc1749c50", "2a25d85013f14b39", "68fb90bafa629e16", "45a828844d7f205e"],
    True: ["adaa111df8de60eb", "30aa90b13f93bac4", "925f2088c8d5d619", "a747fbe096dea0db", "4b5e352c0618fc5a",
           "149e017891ccfae6", "2a25d85013f14b39", "68fb90bafa629e16", "45a828844d7f205e"],
}


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def _result_digest(result) -> str:
    return _digest({"text": result.text, "replacements": [asdict(r) for r in result.replacements],
                    "review": [asdict(s) for s in result.review]})


@pytest.fixture(scope="module")
def sample_transcripts():
    meta = read_metadata(SAMPLES / "metadata.csv")
    files = sorted(SAMPLES.glob("0*"))
    return read_files(files, meta), meta, read_files(files, {})


@pytest.mark.slow
@pytest.mark.parametrize(("operator", "strict"), sorted(REFERENCE))
def test_detection_output_is_byte_identical_to_the_reference(sample_transcripts, tmp_path, operator, strict):
    transcripts, meta, _ = sample_transcripts
    anonymiser = Anonymiser(operator, None, participant_rows(transcripts, meta), strict, tmp_path / "key.json")
    anonymiser.learn(t.text for t in transcripts)
    docs = [_result_digest(anonymiser.anonymise(t.text)) for t in transcripts]
    key = _digest({k: asdict(e) for k, e in anonymiser.key.entries.items()})
    assert (docs, key) == REFERENCE[(operator, strict)]


@pytest.mark.slow
@pytest.mark.parametrize("strict", [False, True])
def test_text_only_output_is_byte_identical_to_the_reference(sample_transcripts, strict):
    _, _, alone = sample_transcripts
    assert [_result_digest(Anonymiser("tag", None, [], strict).anonymise(t.text)) for t in alone] == TEXT_ONLY[strict]


def test_key_is_rewritten_when_its_file_changed_behind_the_anonymiser(tmp_path):
    key_path = tmp_path / "key.json"
    anonymiser = Anonymiser(key_path=key_path)
    anonymiser.anonymise("Jeg talte med kommunaldirektør Mette Kjær.")
    saved = key_path.read_text(encoding="utf-8")
    key_path.unlink()
    anonymiser.anonymise("Jeg talte med kommunaldirektør Mette Kjær.")
    assert key_path.read_text(encoding="utf-8") == saved


# -- the cache ------------------------------------------------------------------------------


def _no_anonymiser(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the anonymiser (and its prescan) must not be built")

    monkeypatch.setattr(Anonymiser, "for_project", classmethod(refuse))


def _count_builds(monkeypatch) -> list[int]:
    built: list[int] = []
    original = Anonymiser.for_project.__func__

    def counting(cls, *args, **kwargs):
        built.append(1)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(Anonymiser, "for_project", classmethod(counting))
    return built


@pytest.mark.slow
def test_second_quote_table_reads_the_cache_and_equals_a_fresh_run(coded_samples, tmp_path, monkeypatch):
    path, code = coded_samples
    fresh_copy = tmp_path / "fresh.qcp"
    shutil.copy(path, fresh_copy)
    with Project.open(path) as project:
        first = quote_table(project, codes=[code])
        assert project.anonymised.count() > 0
    with monkeypatch.context() as m:
        _no_anonymiser(m)
        with Project.open(path) as project:
            second = quote_table(project, codes=[code])
    assert second.equals(first)
    assert "[Person" in " ".join(first["quote_unedited"]) or "[Kommune" in " ".join(first["quote_unedited"])
    # The cached documents are what a fresh anonymiser (as before the cache) makes of them.
    with Project.open(fresh_copy) as project:
        anonymiser = Anonymiser.for_project(project, operator="tag")
        fresh = {d.id: anonymiser.anonymise_document(d) for d in project.documents.all()}
    with Project.open(path) as project:
        redactor = redactor_for(project)
        for document in project.documents.all():
            cached = redactor._cache.record(document)
            if cached is not None:
                assert (cached.text, cached.replacements, cached.review) == (
                    fresh[document.id].text, fresh[document.id].replacements, fresh[document.id].review)


@pytest.mark.slow
def test_editing_the_key_file_invalidates_the_cache(coded_samples, monkeypatch):
    path, code = coded_samples
    with Project.open(path) as project:
        first = " ".join(quote_table(project, codes=[code])["quote_unedited"])
    key = default_key_path(path)
    data = json.loads(key.read_text(encoding="utf-8"))
    person = next(e for e in data["entities"] if e["kind"] == "person" and f"[Person {e['number']}]" in first)
    person["number"] = 999  # someone renumbers a pseudonym by hand
    key.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    built = _count_builds(monkeypatch)
    with Project.open(path) as project:
        table = quote_table(project, codes=[code])
    assert built == [1]
    assert "[Person 999]" in " ".join(table["quote_unedited"])


@pytest.mark.slow
def test_importing_a_document_invalidates_the_cache(coded_samples, tmp_path, monkeypatch):
    path, code = coded_samples
    with Project.open(path) as project:
        quote_table(project, codes=[code])
    new = tmp_path / "10_ny.txt"
    new.write_text("I: Hvem hjælper dig?\n\nIP: Det gør Torkild Brøndum fra Lindholt.\n", encoding="utf-8")
    with Project.open(path) as project:
        assert not import_files(project, [new], progress=False).failed
    built = _count_builds(monkeypatch)
    with Project.open(path) as project:
        quote_table(project, codes=[code])
    assert built == [1]


@pytest.mark.slow
def test_another_operator_does_not_use_the_tag_cache(coded_samples, monkeypatch):
    path, code = coded_samples
    with Project.open(path) as project:
        quote_table(project, codes=[code])
    built = _count_builds(monkeypatch)
    with Project.open(path) as project:
        quote_table(project, codes=[code], redactor=redactor_for(project, operator="redact"))
    assert built == [1]
    with Project.open(path) as project:
        quote_table(project, codes=[code], redactor=redactor_for(project, operator="redact"))
    assert built == [1]  # now cached for "redact"


def test_a_crash_mid_write_leaves_no_rows(tmp_path):
    from report_helpers import make_project

    project = make_project(path=tmp_path / "p.qcp")
    store = project.anonymised
    ids = project.documents.ids()
    store.save("fp", "k0", "k1", [CachedAnonymisation(ids[0], "a", 1, "[]", "[]", "[]")])

    def batch():
        yield CachedAnonymisation(ids[1], "b", 1, "[]", "[]", "[]")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        store.save("fp", "k1", "k2", batch())
    assert set(store.documents("fp", "k1")) == {ids[0]}  # the earlier batch, untouched
    assert store.documents("fp", "k2") == {}
    project.close()


@pytest.mark.slow
def test_a_crash_while_anonymising_a_batch_stores_none_of_it(tmp_path, monkeypatch):
    from report_helpers import make_project

    project = make_project(path=tmp_path / "p.qcp")
    redactor = redactor_for(project)
    calls = []
    original = Anonymiser.anonymise_document

    def failing(self, document):
        calls.append(document.id)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return original(self, document)

    monkeypatch.setattr(Anonymiser, "anonymise_document", failing)
    with pytest.raises(RuntimeError):
        redactor.prepare(project.documents.all())
    assert project.anonymised.count() == 0
    project.close()


def test_stale_rows_are_never_returned(tmp_path):
    from report_helpers import make_project

    project = make_project(path=tmp_path / "p.qcp")
    store = project.anonymised
    doc = project.documents.ids()[0]
    store.save("fp1", "none", "k1", [CachedAnonymisation(doc, "a", 1, "[]", "[]", "[]")])
    assert store.document("fp1", "k1", doc) is not None
    assert store.document("fp2", "k1", doc) is None  # other settings or documents
    assert store.document("fp1", "k-edited", doc) is None  # the key file changed
    # Writing under the new fingerprint drops the old rows.
    store.save("fp2", "k1", "k2", [])
    assert store.count() == 0
    project.close()


def test_fingerprint_follows_settings_and_documents(tmp_path):
    from report_helpers import make_project

    from qualcode.anonymise.cache import settings_fingerprint

    project = make_project(path=tmp_path / "p.qcp")
    tag = settings_fingerprint(project, "tag")
    assert tag == settings_fingerprint(project, "tag")
    assert tag != settings_fingerprint(project, "redact")
    assert tag != settings_fingerprint(project, "tag", strict=True)
    assert tag != settings_fingerprint(project, "tag", lang="en")
    doc = project.documents.all()[0]
    project.documents.set_metadata(doc.id, {**doc.metadata, "role": "chef"})
    assert tag != settings_fingerprint(project, "tag")
    project.close()


def test_prepare_stores_finished_batches_and_nothing_of_the_batch_that_failed(coded_samples, monkeypatch):
    import qualcode.report.privacy as privacy

    path, _code = coded_samples
    monkeypatch.setattr(privacy, "SAVE_EVERY", 2)
    calls = []
    original = Anonymiser.anonymise_document

    def fifth_fails(self, document):
        calls.append(document.id)
        if len(calls) == 5:
            raise RuntimeError("disk full")
        return original(self, document)

    monkeypatch.setattr(Anonymiser, "anonymise_document", fifth_fails)
    with Project.open(path) as project:
        ids = project.documents.ids()
        with pytest.raises(RuntimeError, match="disk full"):
            redactor_for(project).prepare(ids)
        # Two batches of two were written; the fifth document's batch was never begun.
        assert project.anonymised.count() == 4
        monkeypatch.setattr(Anonymiser, "anonymise_document", original)
        calls.clear()
        redactor_for(project).prepare(ids)
        assert project.anonymised.count() == len(ids)
