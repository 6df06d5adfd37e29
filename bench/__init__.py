"""CertHub benchmark (issue 8): ``python -m bench.run`` — the April rush against this machine's floor."""
