"""CertHub notify service."""
