"""`python -m credentials serve|migrate`."""

import sys

from certhub_kit.cli import run

if __name__ == "__main__":
    run("credentials", sys.argv[1:])
