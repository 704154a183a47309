"""Output formats and reports (imported as pdscan.reports)."""
