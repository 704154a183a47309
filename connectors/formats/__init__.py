"""Format readers shared by the file and S3 connectors."""
