"""The credentials service: signed Open Badges 3.0 records of approved certificates."""
