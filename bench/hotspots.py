"""Where a ``py-spy record -f raw`` profile (``bench.run --profile DIR``) spends its samples.

``python -m bench.hotspots DIR/p5-notify.txt [--top 40] [--skip WORD ...]``: inclusive share per
function (each counted once per stack), then the functions that were on top of the stack.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

FRAME = re.compile(r" \((?P<file>.*?):\d+\)$")


def shares(path: str) -> tuple[int, Counter, Counter]:
    inclusive, on_top, total = Counter(), Counter(), 0
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip().rpartition(" ")
            if not count.isdigit():
                continue
            n, frames = int(count), stack.split(";")
            total += n
            for frame in {FRAME.sub(lambda m: f" ({m['file']})", fr) for fr in frames}:
                inclusive[frame] += n
            on_top[frames[-1]] += n
    return total, inclusive, on_top


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hotspots")
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--skip", nargs="*", default=["runpy", "uvicorn", "importlib", "threading", "<module>"])
    args = parser.parse_args(argv)
    total, inclusive, on_top = shares(args.profile)
    print(f"{total} samples")
    shown = [(k, v) for k, v in inclusive.most_common() if not any(s in k for s in args.skip)]
    for name, count in shown[: args.top]:
        print(f"{count / total * 100:5.1f}%  {name[:150]}")
    print("--- on top of the stack")
    for name, count in on_top.most_common(15):
        print(f"{count / total * 100:5.1f}%  {name[:150]}")


if __name__ == "__main__":
    main()
