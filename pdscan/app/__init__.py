"""Application services: what each command does, with results returned, never printed.

`run_scan` (pdscan.app.scan), `dsar_find` and the case services (pdscan.app.dsar), `report`
(pdscan.app.report) and the history services (pdscan.app.history) take their inputs as values,
do the work through the engine, store, policy and DSAR packages, and return an outcome that
says which exit code it implies. They raise `pdscan.core.errors.PdscanError`s; the command line
(pdscan.cli) turns outcomes and errors into messages and exit codes.
"""
