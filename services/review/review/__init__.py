"""CertHub review service."""
