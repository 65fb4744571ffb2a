#!/usr/bin/env python3
"""Per-page costs of `examples/profile_check` under callgrind, weighed into estimated cycles.

Record two runs of the same build that differ only in their number of rounds (each round is
the bench's 40 design-system pages), with each core's own second-level cache simulated (512 KiB,
as on the CI's machine; callgrind's default is the host's whole L3, where nothing misses):

    valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes --LL=524288,8,64 \\
        --callgrind-out-file=cg.2 target/release/examples/profile_check 2 check
    (the same with 4 rounds into cg.4; `floor` instead of `check` for the bare parse)

then, with PAGES the difference in pages (80 for 2 and 4 rounds):

    scripts/page-cost.py total cg.2 cg.4 PAGES       # events a page, and the estimate
    scripts/page-cost.py self cg.4 PAGES [N]          # functions by their own estimated cost
    scripts/page-cost.py diff cg.4 other.4 PAGES [N]  # what changed between two builds, by function
    scripts/page-cost.py callees cg.4 REGEX PAGES [N] # inclusive costs of what matching functions call
    scripts/page-cost.py callers cg.4 REGEX PAGES [N] # who calls matching functions, inclusive

`self`, `diff`, `callees` and `callers` read one file, setup included (divided by its pages:
160 for 4 rounds), which is close enough to rank. Build with line tables for names and lines:
`CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release --example profile_check`.

The estimate: 0.4 cycle an instruction, 12 a first-level miss, 35 a second-level miss, 15 a
mispredicted branch. With these weights it read 3.6x for `check` over the floor when the clock
read 1/3.3 to 1/3.7 (thirtieth and thirty-first sessions, README's performance section).
"""
import collections
import re
import sys

WEIGHTS = {"Ir": 0.4, "I1mr": 12, "D1mr": 12, "D1mw": 12, "ILmr": 35, "DLmr": 35, "DLmw": 35,
           "Bcm": 15, "Bim": 15}


def estimate(ev):
    return sum(w * ev.get(k, 0) for k, w in WEIGHTS.items())


def totals(path):
    events, summary = None, None
    with open(path) as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith(("summary:", "totals:")):
                summary = [int(x) for x in line.split()[1:]]
    return dict(zip(events, summary))


def records(path):
    """(function, callee or None, events) for every cost line: own costs and call costs."""
    names, events = {}, []
    fn = callee = None
    call = False

    def name(s):
        m = re.match(r"\((\d+)\)(?: (.*))?", s)
        if not m:
            return s
        if m.group(2):
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), "?")

    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith("fn="):
                fn = name(line[3:])
            elif line.startswith("cfn="):
                callee = name(line[4:])
            elif line.startswith("calls="):
                call = True
            elif line and (line[0].isdigit() or line[0] in "+-*"):
                values = dict(zip(events, (int(x) for x in line.split()[1:])))
                yield fn, (callee if call else None), values
                call = False


def add(into, ev):
    for k, v in ev.items():
        into[k] = into.get(k, 0) + v


def row(ev, pages, label):
    l2 = sum(ev.get(k, 0) for k in ("ILmr", "DLmr", "DLmw"))
    mis = ev.get("Bcm", 0) + ev.get("Bim", 0)
    return (f"{estimate(ev) / pages:11,.0f} est {ev.get('Ir', 0) / pages:11,.0f} instr "
            f"{l2 / pages:7,.0f} L2 {mis / pages:7,.0f} misp  {label[:110]}")


def own_costs(path):
    own = collections.defaultdict(dict)
    for fn, callee, ev in records(path):
        if callee is None:
            add(own[fn], ev)
    return own


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "total":
        a, b, pages = totals(argv[2]), totals(argv[3]), float(argv[4])
        d = {k: (b[k] - a.get(k, 0)) / pages for k in b}
        l1 = d.get("D1mr", 0) + d.get("D1mw", 0)
        l2 = d.get("ILmr", 0) + d.get("DLmr", 0) + d.get("DLmw", 0)
        print(f"a page: {d['Ir'] / 1e6:.2f} M instructions, L1i {d.get('I1mr', 0) / 1e3:.1f} k, "
              f"L1d {l1 / 1e3:.1f} k, L2 {l2 / 1e3:.1f} k "
              f"(instructions {d.get('ILmr', 0) / 1e3:.1f} k, reads {d.get('DLmr', 0) / 1e3:.1f} k, "
              f"writes {d.get('DLmw', 0) / 1e3:.1f} k), mispredicted "
              f"{(d.get('Bcm', 0) + d.get('Bim', 0)) / 1e3:.1f} k: "
              f"estimated {estimate(d) / 1e6:.2f} M cycles")
    elif cmd == "self":
        own, pages = own_costs(argv[2]), float(argv[3])
        n = int(argv[4]) if len(argv) > 4 else 40
        for fn, ev in sorted(own.items(), key=lambda kv: -estimate(kv[1]))[:n]:
            print(row(ev, pages, fn))
    elif cmd == "diff":
        a, b, pages = own_costs(argv[2]), own_costs(argv[3]), float(argv[4])
        n = int(argv[5]) if len(argv) > 5 else 30
        change = {}
        for fn in set(a) | set(b):
            d = dict(b.get(fn, {}))
            for k, v in a.get(fn, {}).items():
                d[k] = d.get(k, 0) - v
            change[fn] = d
        for fn, ev in sorted(change.items(), key=lambda kv: -abs(estimate(kv[1])))[:n]:
            print(row(ev, pages, fn))
    elif cmd in ("callees", "callers"):
        pattern, pages = re.compile(argv[3]), float(argv[4])
        n = int(argv[5]) if len(argv) > 5 else 30
        found = collections.defaultdict(dict)
        for fn, callee, ev in records(argv[2]):
            if callee is None:
                continue
            if cmd == "callees" and pattern.search(fn or ""):
                add(found[callee], ev)
            elif cmd == "callers" and pattern.search(callee):
                add(found[fn], ev)
        for fn, ev in sorted(found.items(), key=lambda kv: -estimate(kv[1]))[:n]:
            print(row(ev, pages, fn))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
