"""Use cases: issuing, revoking, verifying."""
