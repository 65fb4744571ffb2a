#!/usr/bin/env python3
"""Measure vigie, element by element, against another engine's rule fixtures: axe-core's.

Usage:
    scripts/rule-fixtures-axe.py AXE_CORE_CHECKOUT [--vigie target/release/vigie] [--list]

AXE_CORE_CHECKOUT is a clone of https://github.com/dequelabs/axe-core; its
`test/integration/rules/<rule>/<rule>.html` fragments list, in `<rule>.json`, the elements the
rule fails (`violations`) and passes (`passes`). Nothing of it is copied into this project: each
fragment is wrapped in a minimal page (`lang="en"`, a title) in a temporary folder and checked
with `vigie check`.

Only axe rules that judge what a vigie rule judges are compared (MAPPING), and only elements
named by a single `#id` selector. vigie names an element with an id by `#id` in its targets,
so the two are compared by that selector. A violation is "found" when a mapped vigie rule fails
the element or, as vigie may point at the offending child (the `div` in a `ul`), an element
inside it; a "false failure" is a mapped rule failing an element axe passes. Rules where axe
departs from RGAA 4.1.2 are left out (heading-order: RGAA accepts skipped levels), and
scripts/rule-fixtures-axe-triage.toml explains each remaining false failure: where axe departs
from ARIA 1.2, ARIA in HTML or ACT, or where the mapped vigie rule judges more than the axe rule
(aria-allowed-attr's verdicts inside aria-valid-attr's fixtures). The script exits 1 on a false
failure the triage does not explain.
"""
import fnmatch
import tomllib
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# axe rule -> the vigie rules that judge the same thing.
MAPPING = {
    "area-alt": ["area-alt"],
    "aria-allowed-attr": ["aria-attr-allowed"],
    "aria-conditional-attr": ["aria-attr-allowed"],
    "aria-prohibited-attr": ["aria-attr-allowed"],
    "aria-valid-attr": ["aria-attr-allowed"],
    "aria-valid-attr-value": ["aria-attr-valid-value"],
    "aria-required-attr": ["aria-required-attr"],
    "aria-required-children": ["aria-required-children"],
    "aria-required-parent": ["aria-required-context"],
    "aria-roles": ["aria-role-valid"],
    "aria-hidden-focus": ["aria-hidden-focusable"],
    "aria-command-name": ["aria-widget-name"],
    "aria-input-field-name": ["aria-widget-name", "form-field-name"],
    "aria-toggle-field-name": ["aria-widget-name", "form-field-name"],
    "aria-meter-name": ["aria-widget-name"],
    "aria-progressbar-name": ["aria-widget-name"],
    "aria-tooltip-name": ["aria-widget-name"],
    "aria-treeitem-name": ["aria-widget-name"],
    "aria-tab-name": ["aria-widget-name"],
    "summary-name": ["aria-widget-name"],
    "autocomplete-valid": ["autocomplete-valid"],
    "avoid-inline-spacing": [
        "letter-spacing-adjustable",
        "word-spacing-adjustable",
        "line-height-adjustable",
    ],
    "blink": ["blink-marquee"],
    "marquee": ["blink-marquee"],
    "button-name": ["button-name"],
    "input-button-name": ["button-name"],
    "input-image-alt": ["image-button-alt"],
    "color-contrast": ["color-contrast"],
    "definition-list": ["list-structure", "aria-required-children"],
    "dlitem": ["list-structure", "aria-required-context"],
    "list": ["list-structure", "aria-required-children"],
    "listitem": ["list-structure", "aria-required-context"],
    "duplicate-id": ["duplicate-id"],
    "duplicate-id-active": ["duplicate-id"],
    "duplicate-id-aria": ["duplicate-id"],
    "empty-heading": ["heading-not-empty"],
    "frame-focusable-content": ["frame-tab-order"],
    "frame-title": ["frame-title"],
    "image-alt": ["image-alt"],
    "role-img-alt": ["image-alt"],
    "svg-img-alt": ["svg-image-alt"],
    "object-alt": ["object-alt"],
    "label": ["form-field-label", "form-field-name"],
    "select-name": ["form-field-label", "form-field-name"],
    "link-name": ["link-name"],
    "meta-refresh": ["meta-refresh"],
    "meta-viewport": ["meta-viewport-zoom"],
    "nested-interactive": ["nested-interactive"],
    "presentation-role-conflict": ["decorative-not-exposed"],
    "scrollable-region-focusable": ["scrollable-region-focusable"],
    "td-headers-attr": ["table-headers-attr"],
    "th-has-data-cells": ["table-header-has-cells"],
    "valid-lang": ["lang-change-bcp47", "lang-change-valid"],
    "tabindex": ["tabindex-positive"],
    "accesskeys": ["accesskey-unique"],
}


def load_cases(root):
    cases = []
    for rule in sorted(MAPPING):
        folder = os.path.join(root, "test", "integration", "rules", rule)
        spec = os.path.join(folder, f"{rule}.json")
        page = os.path.join(folder, f"{rule}.html")
        if not (os.path.exists(spec) and os.path.exists(page)):
            continue
        with open(spec, encoding="utf-8") as f:
            expected = json.load(f)
        with open(page, encoding="utf-8") as f:
            fragment = f.read()
        ids = lambda key: [
            s[0] for s in expected.get(key, []) if len(s) == 1 and s[0].startswith("#")
            and all(c.isalnum() or c in "-_" for c in s[0][1:])
        ]
        cases.append((rule, fragment, ids("violations"), ids("passes")))
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--vigie", default=os.path.join(HERE, "..", "target", "release", "vigie"))
    ap.add_argument("--list", action="store_true", help="list every disagreement")
    args = ap.parse_args()
    cases = load_cases(args.checkout)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for rule, fragment, _, _ in cases:
            path = os.path.join(tmp, f"{rule}.html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(
                    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                    f"<title>axe-core {rule}</title></head><body>{fragment}</body></html>"
                )
            paths.append(path)
        out = subprocess.run(
            [args.vigie, "check", "--render", "never", "--all-targets", "--format", "json"] + paths,
            capture_output=True,
            text=True,
        )
        pages = json.loads(out.stdout)
    by_rule = {}
    for page in pages:
        name = os.path.basename(page["requested_url"])[: -len(".html")]
        by_rule[name] = page.get("findings") or []
    with open(os.path.join(HERE, "rule-fixtures-axe-triage.toml"), "rb") as f:
        triage = tomllib.load(f)
    total = collections.Counter()
    rows, unexplained = [], []
    for rule, _, violations, passes in cases:
        outcome = {}
        for f in by_rule.get(rule, []):
            if f["rule"] not in MAPPING[rule]:
                continue
            for t in f.get("targets", []):
                sel = t.get("selector", "")
                prev = outcome.get(sel)
                order = {"failed": 0, "cantTell": 1, "passed": 2}
                if f["outcome"] in order and (prev is None or order[f["outcome"]] < order[prev]):
                    outcome[sel] = f["outcome"]
        c = collections.Counter()
        def inside(sel):
            """The worst outcome on the element or an element inside it."""
            got = [o for t, o in outcome.items() if t == sel or t.startswith(sel + " ")]
            return min(got, key=lambda o: {"failed": 0, "cantTell": 1, "passed": 2}[o], default="—")

        for sel in violations:
            got = inside(sel)
            c["violations"] += 1
            c["found"] += got == "failed"
            c["flagged"] += got in ("failed", "cantTell")
            if got != "failed":
                rows.append((rule, sel, "violation", got, ""))
        for sel in passes:
            got = outcome.get(sel, "—")
            c["passes"] += 1
            if got == "failed":
                entry = next(
                    (e for e in triage.get("pass", []) if e["rule"] == rule
                     and any(fnmatch.fnmatch(sel, g) for g in e["ids"])),
                    None,
                )
                if entry is None:
                    c["false"] += 1
                    unexplained.append((rule, sel))
                else:
                    c["triaged"] += 1
                rows.append((rule, sel, "pass", got, entry["why"] if entry else "NON TRIÉ"))
        total.update(c)
        print(
            f"  {rule:<28} violations {c['found']:>3}/{c['violations']:<3} "
            f"(+{c['flagged'] - c['found']} à vérifier)  fausses alertes {c['false']:>2}/{c['passes']}"
            + (f" (+{c['triaged']} triées)" if c["triaged"] else "")
        )
    pct = lambda a, b: 100 * a / max(1, b)
    print(
        f"\nTotal : {total['found']} violations trouvées sur {total['violations']} "
        f"({pct(total['found'], total['violations']):.0f} %, "
        f"{pct(total['flagged'], total['violations']):.0f} % avec les « à vérifier ») ; "
        f"{total['false']} éléments conformes en échec sur {total['passes']} "
        f"({pct(total['false'], total['passes']):.1f} %) ; {total['triaged']} autres triés "
        f"(axe s'écarte d'ARIA, d'ARIA in HTML ou d'ACT, ou la règle vigie juge davantage)"
    )
    if args.list:
        for rule, sel, kind, got, why in rows:
            print(f"  {rule:<28} {sel:<14} axe {kind:<10} vigie {got:<9} {why}")
    if unexplained:
        print(f"{len(unexplained)} fausse(s) alerte(s) non triée(s) : {unexplained}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
