"""The ground floor: the finding model, errors, entities, masking and keys.

Detectors, connectors and reports build on this package; it imports none of them
and nothing of the application above it.
"""
