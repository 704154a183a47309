"""Detectors: Presidio recognizers behind a vectorized prefilter (imported as pdscan.detectors)."""
