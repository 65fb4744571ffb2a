//! Tables (RGAA 5): layout tables stay plain, data tables bind cells to their headers.

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{is_hidden_from_at, is_rendered, role_of};
use crate::page::Attribute;
use crate::page::{ElementRef, Page};

/// Whether `el` belongs to `table` directly (not to a nested table).
fn owned_by(el: ElementRef<'_>, table: ElementRef<'_>) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")
        .map(|t| t.id() == table.id())
        .unwrap_or(false)
}

/// Elements under `root`, in document order, without entering (nor returning) any element for
/// which `stop` holds. Iterative and linear in what it walks: per table, only the table's own
/// content is walked, so deeply nested tables stay linear (ancestor walks per cell were
/// quadratic: 100 000 nested tables took 87 s).
fn own_elements<'a>(
    root: ElementRef<'a>,
    stop: impl Fn(ElementRef<'a>) -> bool,
) -> Vec<ElementRef<'a>> {
    let mut out = Vec::new();
    let mut stack: Vec<_> = root.children().collect();
    stack.reverse();
    while let Some(n) = stack.pop() {
        if let Some(e) = ElementRef::wrap(n) {
            if stop(e) {
                continue;
            }
            out.push(e);
        }
        let len = stack.len();
        stack.extend(n.children());
        stack[len..].reverse();
    }
    out
}

/// The elements of an HTML table that belong to it, not to a nested table.
fn table_content(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    own_elements(table, |e| e.value().name() == "table")
}

fn is_layout_table(table: ElementRef<'_>) -> bool {
    matches!(
        table
            .value()
            .attribute("role")
            .map(|r| r.trim().to_ascii_lowercase())
            .as_deref(),
        Some("presentation" | "none")
    )
}

/// ## Ce que la règle vérifie
/// Un tableau de mise en forme (`<table role="presentation">`) n'utilise aucun élément ni
/// attribut propre aux tableaux de données : `caption`, `th`, `thead`, `tfoot`, ni les attributs
/// `summary`, `scope`, `headers`, `axis`.
/// ## Pourquoi
/// Ces éléments font annoncer une structure de données qui n'existe pas.
/// ## Exemple en échec
/// `<table role="presentation"><tr><th>Menu</th><td>…</td></tr></table>`
/// ## Exemple conforme
/// `<table role="presentation"><tr><td>Menu</td><td>…</td></tr></table>`
/// ## Références
/// RGAA 5.8.1 · WCAG 1.3.1
pub struct LayoutTableStructure;

static LAYOUT_TABLE_STRUCTURE: RuleMeta = RuleMeta {
    id: "layout-table-structure",
    title: "Tableau de mise en forme sans éléments de données",
    description: "Un tableau de mise en forme (role=presentation) n'utilise ni caption, th, thead, tfoot, ni summary, scope, headers, axis.",
    rgaa: &["5.8.1"],
    wcag: refs!["1.3.1"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for LayoutTableStructure {
    fn meta(&self) -> &'static RuleMeta {
        &LAYOUT_TABLE_STRUCTURE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for table in page.select("table") {
            if !is_layout_table(table) || is_hidden_from_at(page, table) {
                continue;
            }
            let mut found: Vec<String> = Vec::new();
            if table.value().attribute("summary").is_some() {
                found.push("attribut summary".into());
            }
            let content = table_content(table);
            for tag in ["caption", "th", "thead", "tfoot"] {
                if content.iter().any(|d| d.value().name() == tag) {
                    found.push(format!("<{tag}>"));
                }
            }
            for attr in ["scope", "headers", "axis"] {
                let used = content.iter().any(|d| {
                    matches!(d.value().name(), "td" | "th") && d.value().attribute(attr).is_some()
                });
                if used {
                    found.push(format!("attribut {attr}"));
                }
            }
            if found.is_empty() {
                r.pass(table, "Tableau de mise en forme sans élément de données.");
            } else {
                r.fail(table, format!("Tableau de mise en forme (role=presentation) utilisant {} : retirer ces éléments, ou en faire un vrai tableau de données.", found.join(", ")));
            }
        }
        r.finish("Aucun tableau de mise en forme.")
    }
}

/// ## Ce que la règle vérifie
/// Dans un tableau de données, chaque identifiant cité par l'attribut `headers` d'une cellule
/// désigne une autre cellule (`th`, `td`) du même tableau.
/// ## Pourquoi
/// Une association cassée fait lire la donnée sans son en-tête, ou avec le mauvais.
/// ## Exemple en échec
/// `<th id="annee">Année</th> … <td headers="anne">2024</td>`
/// ## Exemple conforme
/// `<th id="annee">Année</th> … <td headers="annee">2024</td>`
/// ## Références
/// RGAA 5.7.4 · WCAG 1.3.1 · ACT a25f45
pub struct TableHeadersAttr;

static TABLE_HEADERS_ATTR: RuleMeta = RuleMeta {
    id: "table-headers-attr",
    title: "Attribut headers valide",
    description:
        "Chaque identifiant d'un attribut headers désigne une autre cellule du même tableau.",
    rgaa: &["5.7.4"],
    wcag: refs!["1.3.1"],
    act: refs!["a25f45"],
    cerfa: &[16],
};

impl Rule for TableHeadersAttr {
    fn meta(&self) -> &'static RuleMeta {
        &TABLE_HEADERS_ATTR
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for table in page.select("table") {
            if is_hidden_from_at(page, table) {
                continue;
            }
            if !matches!(
                role_of(table).as_deref(),
                Some("table" | "grid" | "treegrid")
            ) {
                continue;
            }
            for cell in table_content(table) {
                if !matches!(cell.value().name(), "td" | "th") {
                    continue;
                }
                let Some(headers) = cell.value().attribute("headers") else {
                    continue;
                };
                // A hidden cell is not announced with its headers (ACT a25f45 applies to
                // cells in the accessibility tree).
                if !is_rendered(page, cell) || is_hidden_from_at(page, cell) {
                    continue;
                }
                let mut bad = Vec::new();
                for id in headers.split_ascii_whitespace() {
                    let ok = page
                        .element_by_id(id)
                        .map(|h| {
                            h.id() != cell.id()
                                && matches!(h.value().name(), "td" | "th")
                                && owned_by(h, table)
                        })
                        .unwrap_or(false);
                    if !ok {
                        bad.push(id.to_string());
                    }
                }
                if bad.is_empty() {
                    r.pass(cell, "Les en-têtes cités existent dans le tableau.");
                } else {
                    r.fail(cell, format!("Attribut headers citant {} : aucune autre cellule de ce tableau ne porte cet id.", bad.join(", ")));
                }
            }
        }
        r.finish("Aucune cellule avec attribut headers.")
    }
}

/// ## Ce que la règle vérifie
/// Un tableau qui n'est pas de mise en forme a des cellules d'en-tête (`th`, ou rôles
/// `columnheader`/`rowheader`) : sans elles, c'est soit un tableau de données sans en-têtes
/// (RGAA 5.6), soit un tableau de mise en forme sans `role="presentation"` (RGAA 5.3), les deux
/// en échec. Dans un tableau ayant à la fois des en-têtes de ligne et de colonne, un `th` sans
/// `scope` ni `id` (pour `headers`) est « à vérifier » : l'association peut être ambiguë.
/// ## Pourquoi
/// Les en-têtes permettent au lecteur d'écran d'annoncer à quoi correspond chaque donnée.
/// ## Exemple en échec
/// `<table><tr><td>Nom</td><td>Date</td></tr><tr><td>Dupont</td><td>3 mai</td></tr></table>`
/// ## Exemple conforme
/// `<table><tr><th scope="col">Nom</th><th scope="col">Date</th></tr>…</table>`
/// ## Références
/// RGAA 5.3.1, 5.6.1, 5.6.2, 5.7.1 · WCAG 1.3.1
pub struct DataTableHeaders;

static DATA_TABLE_HEADERS: RuleMeta = RuleMeta {
    id: "data-table-headers",
    title: "Tableau de données avec en-têtes",
    description: "Un tableau qui n'est pas de mise en forme a des cellules d'en-tête, associées sans ambiguïté.",
    rgaa: &["5.3.1", "5.6.1", "5.6.2", "5.7.1"],
    wcag: refs!["1.3.1"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for DataTableHeaders {
    fn meta(&self) -> &'static RuleMeta {
        &DATA_TABLE_HEADERS
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for table in page.select("table") {
            if is_layout_table(table) || is_hidden_from_at(page, table) {
                continue;
            }
            let content = table_content(table);
            let cells: Vec<ElementRef<'_>> = content
                .iter()
                .copied()
                .filter(|d| matches!(d.value().name(), "td" | "th"))
                .collect();
            if cells.len() < 2 {
                continue; // a one-cell table says nothing either way
            }
            let is_header = |c: &ElementRef<'_>| {
                c.value().name() == "th"
                    || matches!(
                        c.value().attribute("role"),
                        Some("columnheader" | "rowheader")
                    )
            };
            let headers: Vec<&ElementRef<'_>> = cells.iter().filter(|c| is_header(c)).collect();
            if headers.is_empty() {
                r.fail(table, "Tableau sans cellule d'en-tête : tableau de données, marquer les en-têtes avec <th> ; tableau de mise en forme, ajouter role=\"presentation\".");
                continue;
            }
            // Row headers: a header cell that is not in the first row.
            let first_row = content
                .iter()
                .find(|d| d.value().name() == "tr")
                .map(|tr| tr.id());
            let in_first_row = |c: &ElementRef<'_>| c.parent().map(|p| p.id()) == first_row;
            let has_col = headers.iter().any(|c| {
                in_first_row(c)
                    || c.value()
                        .attribute("scope")
                        .map(|s| s.eq_ignore_ascii_case("col"))
                        .unwrap_or(false)
            });
            let has_row = headers.iter().any(|c| {
                !in_first_row(c)
                    || c.value()
                        .attribute("scope")
                        .map(|s| s.eq_ignore_ascii_case("row"))
                        .unwrap_or(false)
            });
            let ambiguous: Vec<&&ElementRef<'_>> = headers
                .iter()
                .filter(|c| {
                    c.value().attribute("scope").is_none()
                        && c.value().attribute("id").is_none()
                        && c.value().attribute("role").is_none()
                })
                .collect();
            if has_col && has_row && !ambiguous.is_empty() {
                for c in ambiguous {
                    r.cant_tell(**c, "En-tête sans scope ni id dans un tableau à en-têtes de lignes et de colonnes : vérifier l'association (ajouter scope=\"col\" ou scope=\"row\").");
                }
            } else {
                r.pass(
                    table,
                    format_args!("{} cellule(s) d'en-tête.", headers.len()),
                );
            }
        }
        r.finish("Aucun tableau de données.")
    }
}

/// Direction(s) a header cell covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Column,
    Row,
    /// No `scope`: the HTML "auto" state, which may cover both directions.
    Auto,
}

/// One cell placed in the table grid.
struct GridCell<'a> {
    el: ElementRef<'a>,
    x: usize,
    y: usize,
    width: usize,
    height: usize,
    header: Option<Scope>,
}

/// Spans are clamped like browsers do (HTML: colspan ≤ 1000, rowspan ≤ 65534), and more
/// tightly here: hostile values must not blow the grid up.
const MAX_SPAN: usize = 1000;

fn span(el: ElementRef<'_>, attr: &str) -> usize {
    el.value()
        .attribute(attr)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map(|n| n.clamp(1, MAX_SPAN))
        .unwrap_or(1)
}

fn explicit_role(el: ElementRef<'_>) -> Option<String> {
    el.value()
        .attribute("role")
        .and_then(|r| r.split_ascii_whitespace().next())
        .map(|r| r.to_ascii_lowercase())
}

/// Header state of a cell: `th` (unless its role says otherwise) or an ARIA header role.
fn header_scope(el: ElementRef<'_>) -> Option<Scope> {
    match explicit_role(el).as_deref() {
        Some("columnheader") => return Some(Scope::Column),
        Some("rowheader") => return Some(Scope::Row),
        Some(_) => return None,
        None => {}
    }
    if el.value().name() != "th" {
        return None;
    }
    Some(
        match el
            .value()
            .attribute("scope")
            .map(|s| s.trim().to_ascii_lowercase())
            .as_deref()
        {
            Some("col" | "colgroup") => Scope::Column,
            Some("row" | "rowgroup") => Scope::Row,
            _ => Scope::Auto,
        },
    )
}

/// The rows of a table: `tr` of an HTML table, or ARIA `row`s of a role=table/grid element,
/// each with its cells, not descending into nested tables.
fn table_rows<'a>(table: ElementRef<'a>) -> Vec<Vec<ElementRef<'a>>> {
    let html = table.value().name() == "table";
    let is_table_like = |e: ElementRef<'_>| {
        e.value().name() == "table"
            || matches!(
                explicit_role(e).as_deref(),
                Some("table" | "grid" | "treegrid")
            )
    };
    let mut rows = Vec::new();
    for d in own_elements(table, is_table_like) {
        let is_row = if html {
            d.value().name() == "tr"
        } else {
            explicit_role(d).as_deref() == Some("row")
        };
        if !is_row {
            continue;
        }
        let cells: Vec<ElementRef<'a>> = if html {
            d.children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .collect()
        } else {
            // Cells whose nearest row is this one.
            own_elements(d, |e| explicit_role(e).as_deref() == Some("row"))
                .into_iter()
                .filter(|c| {
                    matches!(
                        explicit_role(*c).as_deref(),
                        Some("cell" | "gridcell" | "columnheader" | "rowheader")
                    )
                })
                .collect()
        };
        rows.push(cells);
    }
    rows
}

/// Place cells in the grid (HTML table model: rowspan pushes later cells right).
fn build_grid<'a>(rows: &[Vec<ElementRef<'a>>]) -> Vec<GridCell<'a>> {
    let mut taken: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (y, row) in rows.iter().enumerate() {
        let mut x = 0usize;
        for &el in row {
            while taken.contains(&(x, y)) {
                x += 1;
            }
            let width = span(el, "colspan");
            let height = span(el, "rowspan").min(rows.len() - y);
            for dx in 0..width {
                for dy in 0..height {
                    taken.insert((x + dx, y + dy));
                }
            }
            out.push(GridCell {
                el,
                x,
                y,
                width,
                height,
                header: header_scope(el),
            });
            x += width;
        }
    }
    out
}

/// Whether header `h` is assigned to cell `c` (explicit `headers`, else the scan up the
/// column and left along the row of the HTML table model).
fn assigned(h: &GridCell<'_>, c: &GridCell<'_>) -> bool {
    if h.el.id() == c.el.id() {
        return false;
    }
    if let Some(list) = c.el.value().attribute("headers") {
        return match h.el.value().attribute("id") {
            Some(id) => list.split_ascii_whitespace().any(|x| x == id),
            None => false,
        };
    }
    let overlap = |a: usize, aw: usize, b: usize, bw: usize| a < b + bw && b < a + aw;
    let column = matches!(h.header, Some(Scope::Column | Scope::Auto))
        && overlap(h.x, h.width, c.x, c.width)
        && h.y + h.height <= c.y;
    let row = matches!(h.header, Some(Scope::Row | Scope::Auto))
        && overlap(h.y, h.height, c.y, c.height)
        && h.x + h.width <= c.x;
    column || row
}

/// ## Ce que la règle vérifie
/// Dans un tableau de données (HTML ou ARIA `table`/`grid`), chaque cellule d'en-tête
/// exposée s'applique à au moins une autre cellule : par sa colonne ou sa ligne (modèle de
/// tableau HTML, `colspan`/`rowspan` compris) ou par l'attribut `headers` d'une cellule.
/// ## Pourquoi
/// Un en-tête qui ne s'applique à rien signale une structure cassée : les données sont lues
/// sans leur en-tête, ou avec un autre.
/// ## Exemple en échec
/// `<table><tr><th>Taux</th><th>Valeur</th></tr><tr><td>15 %</td></tr></table>`
/// ## Exemple conforme
/// `<table><tr><th>Taux</th><th>Valeur</th></tr><tr><td>TVA</td><td>20 %</td></tr></table>`
/// ## Références
/// RGAA 5.7.1, 5.7.5 · WCAG 1.3.1 · ACT d0f69e
pub struct TableHeaderHasCells;

static TABLE_HEADER_HAS_CELLS: RuleMeta = RuleMeta {
    id: "table-header-has-cells",
    title: "En-tête de tableau associé à des cellules",
    description:
        "Chaque cellule d'en-tête d'un tableau de données s'applique à au moins une cellule.",
    rgaa: &["5.7.1", "5.7.5"],
    wcag: refs!["1.3.1"],
    act: refs!["d0f69e"],
    cerfa: &[16],
};

impl Rule for TableHeaderHasCells {
    fn meta(&self) -> &'static RuleMeta {
        &TABLE_HEADER_HAS_CELLS
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for table in page.select("table, [role~=table], [role~=grid], [role~=treegrid]") {
            if is_hidden_from_at(page, table) {
                continue;
            }
            if !matches!(
                role_of(table).as_deref(),
                Some("table" | "grid" | "treegrid")
            ) {
                continue;
            }
            let rows = table_rows(table);
            let grid = build_grid(&rows);
            let visible: Vec<&GridCell<'_>> = grid
                .iter()
                .filter(|c| !is_hidden_from_at(page, c.el))
                .collect();
            for h in visible.iter().filter(|c| c.header.is_some()) {
                let cells = visible.iter().filter(|c| assigned(h, c)).count();
                if cells > 0 {
                    r.pass(h.el, format_args!("En-tête associé à {cells} cellule(s)."));
                } else {
                    r.fail(h.el, "Cellule d'en-tête qui ne s'applique à aucune cellule : compléter la ligne ou la colonne, ou corriger les attributs headers.");
                }
            }
        }
        r.finish("Aucune cellule d'en-tête de tableau.")
    }
}
