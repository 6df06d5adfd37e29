# Everyday commands; each is a thin wrapper over a script the README describes.
.PHONY: install lint fmt test-unit test-web test

install:
	scripts/install

# ruff check, ruff format --check, mypy, eslint (CERTHUB_SKIP_FORMAT_CHECK=1 leaves the format check out)
lint: install
	scripts/lint

# Formats the Python tree (ruff format) and applies the safe lint fixes
fmt: install
	.venv/bin/ruff format services shared tests bench scripts deploy
	.venv/bin/ruff check --fix services shared tests bench scripts deploy

test-unit: install
	.venv/bin/python -m pytest tests/unit -q -p no:cacheprovider

test-web:
	scripts/test-web

# The whole suite (about 15 minutes): real PostgreSQL, RabbitMQ, S3 (moto), SMTP and Chromium
test: install test-web
	./test -q -p no:cacheprovider
