#!/usr/bin/env python3
"""Where the clock goes in `examples/profile_check`, from perf's software clock samples.

This machine's perf has no hardware counters, but it samples the CPU clock with call stacks,
and the clock is what `vigie bench` measures: callgrind's estimate (`scripts/page-cost.py`)
weighs instructions and misses, and missed regex and Aho-Corasick searches that ran in slow
modes (the thirty-third session found 2 % of a page in two patterns callgrind ranked at 0.3 %).

    perf record -e cpu-clock -F 4999 --call-graph dwarf,32768 -o perf.data \\
        target/release/examples/profile_check 25 check 1
    perf script -i perf.data -F ip,sym > perf.txt
    scripts/clock-profile.py inclusive perf.txt REGEX [N]  # share of samples in matching frames
    scripts/clock-profile.py children perf.txt REGEX [N]   # ... split by the frame each calls
    scripts/clock-profile.py owners perf.txt REGEX [N]     # samples in matching frames, by the
                                                           # nearest vigie frame above them

Build with line tables (`CARGO_PROFILE_RELEASE_DEBUG=line-tables-only`) for inlined frames.
"""
import collections
import re
import sys


def stacks(path):
    """Each sample's frames, leaf first."""
    out, current = [], []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                if current:
                    out.append(current)
                    current = []
                continue
            parts = line.split(" ", 1)
            current.append(parts[1] if len(parts) > 1 else "")
    if current:
        out.append(current)
    return out


def main(argv):
    if len(argv) < 4 or argv[1] not in ("inclusive", "children", "owners"):
        print(__doc__)
        return 2
    mode, samples, pattern = argv[1], stacks(argv[2]), re.compile(argv[3])
    n = int(argv[4]) if len(argv) > 4 else 25
    total = len(samples) or 1
    counts = collections.Counter()
    hit = 0
    for frames in samples:
        matching = [i for i, f in enumerate(frames) if pattern.search(f)]
        if not matching:
            continue
        hit += 1
        outermost = max(matching)
        if mode == "inclusive":
            for f in {frames[i] for i in matching}:
                counts[f] += 1
        elif mode == "children":
            counts[frames[outermost - 1] if outermost > 0 else "(self)"] += 1
        else:
            owner = next((f for f in frames[outermost + 1:] if "vigie::" in f), "?")
            counts[owner] += 1
    print(f"{100 * hit / total:.2f} % of {total} samples")
    for name, count in counts.most_common(n):
        print(f"{100 * count / total:6.2f} %  {name[:140]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
