"""Domains checked on tldextract's bundled snapshot: no suffix list fetched, no cache written."""

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

from pdscan.detectors import offline
from pdscan.detectors.analyzer import SPACY_MODEL


def test_the_extractor_reads_the_bundled_snapshot_only():
    assert offline.DOMAINS.suffix_list_urls == ()
    assert offline.DOMAINS("mail.example.co.uk").suffix == "co.uk"
    assert offline.DOMAINS("build.local").suffix == ""


def test_stock_presidio_keeps_its_email_recognizer_in_place_with_the_offline_check():
    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    stock = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine())
    names = [r.name for r in stock.registry.recognizers]
    assert offline.stock_presidio_offline(stock) is stock
    assert [r.name for r in stock.registry.recognizers] == names
    (email,) = [r for r in stock.registry.recognizers if r.name == "EmailRecognizer"]
    assert isinstance(email, offline.SnapshotEmailRecognizer)
    found = stock.analyze("write to ana@example.org or to bob@build.local", language="en", entities=["EMAIL_ADDRESS"])
    assert [(r.start, r.end) for r in found] == [(9, 24)]
