"""`python -m notify serve|migrate`."""

from certhub_kit.cli import main

if __name__ == "__main__":
    main("notify")
