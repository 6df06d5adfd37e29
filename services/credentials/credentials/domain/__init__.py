"""Pure rules: the credential document, its proofs, status lists and verification."""
