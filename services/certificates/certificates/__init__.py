"""CertHub certificates service."""
