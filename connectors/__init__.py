"""Connectors: list a source's containers and read them as batches (imported as pdscan.connectors)."""
