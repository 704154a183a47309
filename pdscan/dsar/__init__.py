"""Data subject access requests: find everything the sources hold about one person (issue 7).

identifiers (what the person gave, normalized) -> matcher (literal variants, confirmed) ->
search (files, S3, SQL) -> package (the answer, or a deletion plan) -> cases (the case log).
"""
