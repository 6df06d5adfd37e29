"""CertHub shared kit: the pieces every service is built from."""
