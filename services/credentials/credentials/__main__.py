"""`python -m credentials serve|migrate`."""

from certhub_kit.cli import main

if __name__ == "__main__":
    main("credentials")
