from certhub_kit.migrate import run_env
from certificates.adapters.orm import metadata

run_env(metadata, version_table="alembic_version_certificates")
