"""CertHub rewards service."""
