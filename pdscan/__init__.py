"""pdscan: find personal data in files, databases and buckets, mapped to a privacy policy."""

__version__ = "0.1.0"
