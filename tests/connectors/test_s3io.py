"""The read-ahead for S3 objects: overlapping, bounded, in order, and never ahead for large objects."""

import threading
import time

from pdscan.connectors.s3io import Fetched, Prefetcher


class SlowStore:
    """A fetch that takes `delay` seconds and records how many run at once."""

    def __init__(self, delay: float = 0.05):
        self.delay = delay
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.fetched: list[str] = []

    def fetch(self, job: str) -> Fetched:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.fetched.append(job)
        time.sleep(self.delay)
        with self.lock:
            self.running -= 1
        return Fetched(etag=job, last_modified=None, version_id=None, data=job.encode())


def test_fetches_overlap_but_stay_within_the_worker_count():
    store = SlowStore()
    prefetch = Prefetcher(store.fetch, workers=4)
    jobs = [f"k{i}" for i in range(20)]
    for job in jobs:
        prefetch.add(job)
    got = [prefetch.get(job).data.decode() for job in jobs]
    assert got == jobs and sorted(store.fetched) == sorted(jobs)
    assert 2 <= store.most <= 4 + 1  # overlapping; the workers plus the one the scan waits for on its own thread


def test_large_jobs_are_never_fetched_ahead():
    store = SlowStore(delay=0.01)
    prefetch = Prefetcher(store.fetch, workers=8, ahead=lambda job: not job.startswith("big"))
    jobs = ["a", "big1", "b", "big2", "c"]
    for job in jobs:
        prefetch.add(job)
    prefetch.get("a")
    time.sleep(0.1)
    assert sorted(store.fetched) == ["a", "b", "c"]  # the small ones ran ahead, the big ones wait their turn
    assert [prefetch.get(job).data.decode() for job in jobs[1:]] == jobs[1:]
    assert sorted(store.fetched) == sorted(jobs)


def test_jobs_passed_over_are_dropped_and_unknown_jobs_fetched_directly():
    store = SlowStore(delay=0.01)
    prefetch = Prefetcher(store.fetch, workers=2)
    for job in ("a", "b", "c", "d"):
        prefetch.add(job)
    prefetch.get("a")
    assert prefetch.get("d").data == b"d"  # b and c were fetched ahead, then skipped by the scan
    assert prefetch.get("elsewhere").data == b"elsewhere"


def test_jobs_added_after_the_last_one_was_taken_are_fetched_ahead_again():
    """A worker learns its objects bundle by bundle: each bundle's fetches overlap."""
    store = SlowStore(delay=0.03)
    prefetch = Prefetcher(store.fetch, workers=4)
    for batch in (["a1", "a2", "a3"], ["b1", "b2", "b3", "b4", "b5", "b6"]):
        for job in batch:
            prefetch.add(job)
        store.most = 0
        assert [prefetch.get(job).data.decode() for job in batch] == batch
        assert store.most >= 2
    prefetch.add("a1")  # known already: not queued twice
    assert store.fetched.count("a1") == 1
