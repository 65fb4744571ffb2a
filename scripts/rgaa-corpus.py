#!/usr/bin/env python3
"""Measure vigie against an RGAA test-page corpus it did not write: Asqatasun's RGAA 4.0 pages.

Usage:
    scripts/rgaa-corpus.py ASQATASUN_CHECKOUT [--vigie target/release/vigie] [--list]

ASQATASUN_CHECKOUT is a clone of https://gitlab.com/asqatasun/Asqatasun (or its GitHub mirror)
at the commit in scripts/rgaa-corpus-triage.toml; nothing of it is copied into this project.
Each page is named after the one RGAA test it illustrates and its expected outcome
(`Rgaa40.Test.8.4.1-2Failed-03.html`: test 8.4.1, failed), or is one of the grouped pages of a
criterion (`Rgaa40Rule0101/failed.html`). Template pages whose test case is only a placeholder
are left out.

For each page, vigie's outcome for that test is the worst outcome of its findings citing the
test (failed, then cantTell, passed, inapplicable); tests no finding cites are "not
implemented" and left out of the figures. The corpus targets RGAA 4.0: the triage file
relabels pages where RGAA 4.1.2 changed the verdict, excludes pages whose verdict depends on
data outside the page (Asqatasun's `decorative-image` / `informative-image` markers, contrast
values injected by its test harness), and explains every remaining disagreement. The script
prints the figures before and after the triage and exits 1 on a disagreement the triage does
not explain (a new false failure or a new miss), like the DSFR baseline.
"""
import argparse
import collections
import fnmatch
import json
import os
import re
import subprocess
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
PAGES_DIR = "rules/rules-rgaa4.0/src/test/resources/testcases/rgaa40"
ORDER = {"failed": 0, "cantTell": 1, "passed": 2, "inapplicable": 3}
GROUPED = {"passed.html": "Passed", "failed.html": "Failed", "nmi.html": "NMI", "na.html": "NA"}
# The auditor's own declarations (this image is decorative, this table is for layout), which
# Asqatasun reads from classes and no real page carries: such pages are left out.
MARKERS = re.compile(
    r'class="[^"]*\b(decorative-image|informative-image|class-presentation-table|'
    r'presentation-table|class-complex-table|class-complex-role-table)\b'
)


def corpus_pages(root):
    """(path, test, expected) for every page with a real test case."""
    pages = []
    for folder in sorted(os.listdir(root)):
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if not name.endswith(".html") or name.endswith(".dist.html"):
                continue
            path = os.path.join(root, folder, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if "#testcase" in text and "The actual testcases" in text:
                continue  # placeholder pointing to the grouped pages
            if MARKERS.search(text):
                continue
            m = re.match(r"Rgaa40\.Test\.(\d+\.\d+\.\d+)-\d(Passed|Failed|NMI|NA)-", name)
            if m:
                pages.append((path, m.group(1), m.group(2)))
                continue
            c = re.match(r"Rgaa40Rule(\d\d)(\d\d)$", folder)
            if c and name in GROUPED:
                pages.append((path, f"{int(c.group(1))}.{int(c.group(2))}", GROUPED[name]))
    return pages


def vigie_outcomes(vigie, pages):
    """vigie's outcome and deciding rules for each page's test, by path."""
    out = subprocess.run(
        [vigie, "check", "--render", "never", "--format", "json"] + [p for p, _, _ in pages],
        capture_output=True,
        text=True,
    )
    if not out.stdout.strip():
        sys.exit(f"vigie check wrote nothing: {out.stderr[-2000:]}")
    by_path = {}
    for page in json.loads(out.stdout):
        path = page["requested_url"].removeprefix("file://")
        by_path[os.path.realpath(path)] = page.get("findings") or []
    result = {}
    for path, test, _ in pages:
        cited = [
            (f["outcome"], f["rule"])
            for f in by_path.get(os.path.realpath(path), [])
            if any(t == test or t.startswith(test + ".") for t in f.get("rgaa", []))
        ]
        if not cited:
            result[path] = ("none", [])
            continue
        worst = min(cited, key=lambda c: ORDER[c[0]])[0]
        result[path] = (worst, sorted({r for o, r in cited if o == worst}))
    return result


def globs(entry):
    files = entry["files"]
    return [files] if isinstance(files, str) else files


def triage_for(triage, name):
    for entry in triage.get("page", []):
        if any(fnmatch.fnmatch(name, g) for g in globs(entry)):
            return entry
    return None


def figures(rows, label):
    """Print the table and the two goal figures; return (false failures, misses)."""
    implemented = {t for _, t, _, got, _ in rows if got != "none"}
    tab = collections.Counter((exp, got) for _, _, exp, got, _ in rows)
    print(f"\n{label}")
    print("  attendu × vigie (pages)   échec  à vérifier  conforme  non applicable  non implémenté")
    for exp in ["Passed", "NA", "NMI", "Failed"]:
        cells = "".join(f"{tab[(exp, g)]:>10}" for g in ["failed", "cantTell", "passed", "inapplicable", "none"])
        print(f"  {exp:<24}{cells}")
    conforming = [r for r in rows if r[2] in ("Passed", "NA") and r[1] in implemented]
    false_failures = [r for r in conforming if r[3] == "failed"]
    failing = [r for r in rows if r[2] == "Failed" and r[1] in implemented]
    found = [r for r in failing if r[3] == "failed"]
    flagged = [r for r in failing if r[3] in ("failed", "cantTell")]
    pct = lambda a, b: 100 * len(a) / max(1, len(b))
    print(
        f"  fausses alertes : {len(false_failures)} sur {len(conforming)} pages conformes ou non "
        f"applicables ({pct(false_failures, conforming):.1f} %)"
    )
    print(
        f"  rappel : {len(found)} sur {len(failing)} pages en échec ({pct(found, failing):.0f} %), "
        f"{len(flagged)} avec les « à vérifier » ({pct(flagged, failing):.0f} %)"
    )
    return false_failures, [r for r in failing if r[3] != "failed"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--vigie", default=os.path.join(HERE, "..", "target", "release", "vigie"))
    ap.add_argument("--list", action="store_true", help="list every disagreement and its triage")
    args = ap.parse_args()
    with open(os.path.join(HERE, "rgaa-corpus-triage.toml"), "rb") as f:
        triage = tomllib.load(f)
    root = os.path.join(args.checkout, PAGES_DIR)
    pages = corpus_pages(root)
    outcomes = vigie_outcomes(args.vigie, pages)
    raw = [(p, t, e) + outcomes[p] for p, t, e in pages]
    print(f"Corpus Asqatasun RGAA 4.0 ({triage['commit'][:10]}) : {len(pages)} pages de test")
    figures(raw, "Étiquettes d'origine (RGAA 4.0)")

    relabelled, unexplained, used = [], [], set()
    for path, test, exp, got, rules in raw:
        name = os.path.basename(path) if not os.path.basename(path) in GROUPED else (
            os.path.basename(os.path.dirname(path)) + "/" + os.path.basename(path)
        )
        entry = triage_for(triage, name)
        if entry is not None:
            used.add(str(entry["files"]))
        if entry is not None and entry["verdict"] == "exclude":
            continue
        if entry is not None and entry["verdict"] in ("Passed", "NA", "NMI", "Failed"):
            exp = entry["verdict"]
        row = (path, test, exp, got, rules)
        relabelled.append(row)
        disagree = (exp in ("Passed", "NA") and got == "failed") or (
            exp == "Failed" and got not in ("failed", "none")
        )
        if disagree and (entry is None or entry["verdict"] != "accepted"):
            unexplained.append(row)
        if args.list and (disagree or entry is not None):
            why = entry["why"] if entry else "NON TRIÉ"
            print(f"  {name:<45} {exp:<7} vigie {got:<12} {','.join(rules):<30} {why}")
    false_failures, misses = figures(relabelled, "Après tri (étiquettes RGAA 4.1.2, marqueurs exclus)")
    stale = [e["files"] for e in triage.get("page", []) if str(e["files"]) not in used]
    for s in stale:
        print(f"  entrée de tri sans page : {s}")
    if unexplained:
        print(f"\n{len(unexplained)} désaccord(s) non triés :")
        for path, test, exp, got, rules in unexplained:
            print(f"  {os.path.basename(path)} (test {test}) attendu {exp}, vigie {got} {rules}")
        sys.exit(1)


if __name__ == "__main__":
    main()
