// vigie's layout measurements (window.__vigieLayout), installed after walk.js, whose mark() and
// path() they use. The Rust side sets the window size between the calls: spacing() at the
// default size, reflow() at 320 CSS px, phone() on the emulated phone; cleanup() last.
(() => {
  if (window.__vigieLayout) return true;
  const V = window.__vigie;
  const BUDGET_MS = 1500;
  const MAX_KEPT = 20;
  const STYLE_ID = 'vigie-text-spacing';
  const now = () => performance.now();
  const visible = (el) => (el.checkVisibility
    ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    : el.getClientRects().length > 0);
  const style = (el) => getComputedStyle(el);
  const ownText = (el) => Array.from(el.childNodes).some((n) => n.nodeType === 3 && /\S/.test(n.data));
  const blockOf = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const d = style(e).display;
      if (!d.startsWith('inline') && d !== 'contents') return e;
    }
    return el;
  };
  const contentRect = (el) => {
    const r = document.createRange();
    r.selectNodeContents(el);
    return r.getBoundingClientRect();
  };
  // Content that needs two dimensions (RGAA 10.11's particular cases).
  const EXCEPTIONS = 'img,picture,svg,canvas,video,audio,object,embed,iframe,map,math,pre,' +
    '[role=img],[role=toolbar],[role=application],[role=grid],[role=treegrid],[role=math],[role=slider]';
  const kindOf = (el) => {
    const n = el.localName, role = el.getAttribute('role') || '';
    if (n === 'table' || /grid/.test(role)) return 'data_table';
    if (n === 'pre') return 'preformatted';
    if (n === 'math' || role === 'math') return 'math';
    if (/toolbar|application|slider/.test(role)) return 'toolbar';
    return 'media';
  };
  const dataTable = (t) => t.matches('[role=table],[role=grid],[role=treegrid]') ||
    (!t.matches('[role=presentation],[role=none]') && !!t.querySelector('th,caption,[scope],[headers]'));
  // Whether the nearest ancestor (html and body aside: theirs is the window's) scrolls or
  // clips on that axis (`overflow`: 'overflowX' or 'overflowY') inside the window (`beyond`
  // says a box is not): its content is its own business, not the page's. Memoised per scan.
  const clipper = (beyond, overflow) => {
    const de = document.documentElement, body = document.body;
    const memo = new Map();
    return (el) => {
      const chain = [];
      let found = false;
      for (let e = el; e && e !== body && e !== de; e = e.parentElement) {
        if (memo.has(e)) { found = memo.get(e); break; }
        chain.push(e);
        if (style(e)[overflow] !== 'visible' && !beyond(e.getBoundingClientRect())) { found = true; break; }
      }
      for (const e of chain) memo.set(e, found);
      return found;
    };
  };
  // Fixed boxes never scroll the page; absolute or transformed ones may be parked off-screen.
  const placement = (el) => {
    const body = document.body;
    let placed = null;
    for (let e = el; e && e !== body; e = e.parentElement) {
      const s = style(e);
      if (s.position === 'fixed') return 'fixed';
      if (s.position === 'absolute' || s.transform !== 'none') placed = 'placed';
    }
    return placed;
  };
  const verticalMode = (el) => /^(vertical|sideways)/.test(style(el).writingMode);
  const exception = (el) => {
    const x = el.closest(EXCEPTIONS);
    if (x) return x;
    for (let t = el.closest('table'); t; t = t.parentElement && t.parentElement.closest('table')) {
      if (dataTable(t)) return t;
    }
    return null;
  };

  window.__vigieLayout = {
    screen() {
      return { width: innerWidth, height: innerHeight, ratio: devicePixelRatio };
    },
    // Resize handlers of the page get their turn before the measure.
    settle(ms) {
      return new Promise((resolve) => setTimeout(() => resolve(true), ms));
    },

    // RGAA 10.11.1: at the current width (320 px), text that needs horizontal scrolling.
    reflow() {
      const t0 = now();
      const de = document.documentElement, body = document.body;
      const vw = de.clientWidth;
      const scrollWidth = (document.scrollingElement || de).scrollWidth;
      const root = body ? style(body) : style(de);
      const rtl = root.direction === 'rtl';
      const vertical = /^(vertical|sideways)/.test(root.writingMode);
      const out = { viewport: vw, scroll_width: scrollWidth, vertical, text_blocks: [], elements: [], truncated: false };
      if (!body || vertical) return out;
      const beyond = (r) => (rtl ? r.left < -1 : r.right > vw + 1);
      const edge = (r) => (rtl ? vw - r.left : r.right);
      const clipped = clipper(beyond, 'overflowX');
      const blocks = new Map(), others = new Map();
      const other = (el, kind) => {
        if (others.has(el) || others.size >= 50) return;
        const r = el.getBoundingClientRect();
        others.set(el, { kind, right: edge(r), width: r.width });
      };
      const range = document.createRange();
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (++seen > 30000 || now() - t0 > BUDGET_MS) { out.truncated = true; break; }
        if (!/\S/.test(node.data)) continue;
        const el = node.parentElement;
        if (!el || el.closest('script,style,noscript,template')) continue;
        range.selectNodeContents(node);
        const whole = range.getBoundingClientRect();
        if (whole.width === 0 || !beyond(whole)) continue;
        if (!visible(el) || clipped(el)) continue;
        const x = exception(el);
        if (x) { other(x, kindOf(x)); continue; }
        const place = placement(el);
        if (place === 'fixed') continue;
        let worst = null;
        for (const r of range.getClientRects()) {
          if (r.width > 0 && beyond(r) && (!worst || edge(r) > edge(worst))) worst = r;
        }
        if (!worst) continue;
        const block = blockOf(el);
        const outside = rtl ? worst.right <= 0 : worst.left >= vw;
        if (place === 'placed' && outside) { other(block, 'positioned'); continue; }
        // A line wider than the window without a break opportunity cannot wrap.
        const single = worst.width > vw && !/\S\s+\S/.test(node.data.trim());
        const b = blocks.get(block);
        if (b) {
          b.right = Math.max(b.right, edge(worst));
          b.line_width = Math.max(b.line_width, worst.width);
          b.single_word = b.single_word && single;
        } else if (blocks.size < 50) {
          blocks.set(block, { right: edge(worst), line_width: worst.width, single_word: single });
        }
      }
      // Boxes out of the window that no text above explains: where the overflow starts.
      if (scrollWidth > vw + 1 || others.size) {
        const texts = Array.from(blocks.keys());
        let n = 0;
        for (const el of body.querySelectorAll('*')) {
          if (++n > 20000 || now() - t0 > 2 * BUDGET_MS) { out.truncated = true; break; }
          if (others.size >= 50) break;
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0 || !beyond(r)) continue;
          const p = el.parentElement;
          if (p && p !== body && p !== de && beyond(p.getBoundingClientRect())) continue;
          if (['script', 'style', 'noscript', 'template', 'br'].includes(el.localName)) continue;
          if (!visible(el) || (p && clipped(p)) || placement(el) === 'fixed') continue;
          if (texts.some((t) => el.contains(t) || t.contains(el))) continue;
          if (Array.from(others.keys()).some((o) => o.contains(el) || el.contains(o))) continue;
          const x = exception(el);
          other(el, x ? kindOf(x) : 'other');
        }
      }
      for (const [el, b] of blocks) {
        if (out.text_blocks.length >= MAX_KEPT) { out.truncated = true; break; }
        out.text_blocks.push({ ref: V.mark(el), selector: V.path(el), ...b });
      }
      for (const [el, o] of others) {
        if (out.elements.length >= MAX_KEPT) { out.truncated = true; break; }
        out.elements.push({ ref: V.mark(el), selector: V.path(el), ...o });
      }
      return out;
    },

    // Text nodes whose reading direction is vertical (writing-mode), up to 30 000 looked at:
    // RGAA 10.11.2 concerns them only.
    verticalTexts() {
      const body = document.body;
      if (!body) return 0;
      let n = 0, seen = 0;
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node && ++seen <= 30000; node = walker.nextNode()) {
        const el = node.parentElement;
        if (el && /\S/.test(node.data) && verticalMode(el)) n++;
      }
      return n;
    },

    // RGAA 10.11.2: at the current height (256 px), text read vertically that needs vertical
    // scrolling; reflow() on the other axis.
    vertical() {
      const t0 = now();
      const de = document.documentElement, body = document.body;
      const vh = de.clientHeight;
      const scrollHeight = (document.scrollingElement || de).scrollHeight;
      const out = { viewport: vh, scroll_height: scrollHeight, texts: 0, text_blocks: [], elements: [], truncated: false };
      if (!body) return out;
      const sy = scrollY;
      const beyond = (r) => r.bottom + sy > vh + 1;
      const edge = (r) => r.bottom + sy;
      const clipped = clipper(beyond, 'overflowY');
      const blocks = new Map(), others = new Map();
      const other = (el, kind) => {
        if (others.has(el) || others.size >= 50) return;
        const r = el.getBoundingClientRect();
        others.set(el, { kind, bottom: edge(r), height: r.height });
      };
      const range = document.createRange();
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (++seen > 30000 || now() - t0 > BUDGET_MS) { out.truncated = true; break; }
        if (!/\S/.test(node.data)) continue;
        const el = node.parentElement;
        if (!el || el.closest('script,style,noscript,template') || !verticalMode(el)) continue;
        out.texts++;
        range.selectNodeContents(node);
        const whole = range.getBoundingClientRect();
        if (whole.height === 0 || !beyond(whole)) continue;
        if (!visible(el) || clipped(el)) continue;
        const x = exception(el);
        if (x) { other(x, kindOf(x)); continue; }
        const place = placement(el);
        if (place === 'fixed') continue;
        let worst = null;
        for (const r of range.getClientRects()) {
          if (r.height > 0 && beyond(r) && (!worst || edge(r) > edge(worst))) worst = r;
        }
        if (!worst) continue;
        const block = blockOf(el);
        if (place === 'placed' && worst.top + sy >= vh) { other(block, 'positioned'); continue; }
        // A column taller than the window without a break opportunity cannot wrap.
        const single = worst.height > vh && !/\S\s+\S/.test(node.data.trim());
        const b = blocks.get(block);
        if (b) {
          b.bottom = Math.max(b.bottom, edge(worst));
          b.line_height = Math.max(b.line_height, worst.height);
          b.single_word = b.single_word && single;
        } else if (blocks.size < 50) {
          blocks.set(block, { bottom: edge(worst), line_height: worst.height, single_word: single });
        }
      }
      for (const [el, b] of blocks) {
        if (out.text_blocks.length >= MAX_KEPT) { out.truncated = true; break; }
        out.text_blocks.push({ ref: V.mark(el), selector: V.path(el), ...b });
      }
      for (const [el, o] of others) {
        if (out.elements.length >= MAX_KEPT) { out.truncated = true; break; }
        out.elements.push({ ref: V.mark(el), selector: V.path(el), ...o });
      }
      return out;
    },

    // RGAA 10.12.1: text cut or overlapping once spaced, against the unspaced page.
    spacing() {
      const t0 = now();
      const body = document.body;
      const out = { checked: 0, clipped: [], overlaps: [], truncated: false };
      if (!body) return out;
      const cut = (v) => v === 'hidden' || v === 'clip';
      const boxes = [];
      for (const el of body.querySelectorAll('*')) {
        if (boxes.length >= 3000 || now() - t0 > BUDGET_MS) { out.truncated = true; break; }
        if (['script', 'style', 'noscript', 'template', 'br', 'svg', 'canvas', 'img', 'video'].includes(el.localName)) continue;
        const s = style(el);
        if (s.display.startsWith('inline') && !s.display.startsWith('inline-') || s.display === 'contents') continue;
        const clips = cut(s.overflowX) || cut(s.overflowY);
        const text = ownText(el);
        if (!clips && !text) continue;
        if (!visible(el)) continue;
        const r = el.getBoundingClientRect();
        // Visually hidden text (1 px boxes) is clipped by design.
        if (r.width < 4 || r.height < 4) continue;
        if (clips && !/\S/.test(el.textContent)) continue;
        boxes.push({ el, clipX: cut(s.overflowX), clipY: cut(s.overflowY), spills: s.overflowY === 'visible', text });
      }
      const excess = (b) => {
        const el = b.el, r = el.getBoundingClientRect(), c = contentRect(el);
        const left = r.left + el.clientLeft, top = r.top + el.clientTop;
        return {
          x: Math.max(0, c.right - (left + el.clientWidth), left - c.left),
          y: Math.max(0, c.bottom - (top + el.clientHeight)),
          r, c,
        };
      };
      const before = boxes.map(excess);
      const sheet = document.createElement('style');
      sheet.id = STYLE_ID;
      // Specificity (5,0,0) through :is(), so author rules give way as to a user's sheet.
      const all = ':is(#v#v#v#v#v, *)';
      sheet.textContent = `${all}{line-height:1.5!important;letter-spacing:0.12em!important;word-spacing:0.16em!important}` +
        `p:is(#v#v#v#v#v, p){margin-bottom:2em!important}`;
      (document.head || document.documentElement).appendChild(sheet);
      const after = boxes.map(excess);
      out.checked = boxes.length;
      const overText = boxes.filter((b) => b.text);
      boxes.forEach((b, i) => {
        const a = after[i], z = before[i];
        for (const axis of ['y', 'x']) {
          const clips = axis === 'x' ? b.clipX : b.clipY;
          if (a[axis] > 1 && a[axis] > z[axis] + 1) {
            if (clips) {
              if (out.clipped.length < MAX_KEPT) {
                out.clipped.push({ ref: V.mark(b.el), selector: V.path(b.el), axis, before: z[axis], after: a[axis] });
              }
              return;
            }
            if (axis === 'y' && b.text && b.spills) {
              // Spilled below its box: over another text?
              const spill = { left: a.r.left, right: a.r.right, top: a.r.bottom, bottom: a.c.bottom };
              const hit = overText.find((o) => o !== b && !o.el.contains(b.el) && !b.el.contains(o.el) && (() => {
                const c = contentRect(o.el);
                return c.width > 0 && c.left < spill.right && c.right > spill.left && c.top < spill.bottom && c.bottom > spill.top;
              })());
              if (hit && out.overlaps.length < MAX_KEPT) {
                out.overlaps.push({ ref: V.mark(b.el), selector: V.path(b.el), over: V.path(hit.el), after: a.y });
                return;
              }
            }
          }
        }
      });
      sheet.remove();
      return out;
    },

    // The phone render: horizontal scroll, the width laid out, and tap targets (WCAG 2.5.8).
    phone(deviceWidth) {
      const t0 = now();
      const de = document.documentElement, body = document.body;
      const out = {
        device_width: deviceWidth, layout_width: de.clientWidth,
        scroll_width: (document.scrollingElement || de).scrollWidth, targets: 0, small_targets: 0, small: [],
      };
      if (!body) return out;
      const TARGETS = 'a[href],area[href],button,input:not([type=hidden i]),select,textarea,summary,' +
        '[role=button],[role=link],[role=checkbox],[role=radio],[role=switch],[role=tab],[role=menuitem],' +
        '[role=option],[onclick],[tabindex]:not([tabindex^="-"])';
      const targets = [];
      for (const el of body.querySelectorAll(TARGETS)) {
        if (targets.length >= 400 || now() - t0 > BUDGET_MS) break;
        if (el.disabled || el.closest('[inert]') || !visible(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        targets.push({ el, r, cx: r.left + r.width / 2, cy: r.top + r.height / 2 });
      }
      out.targets = targets.length;
      const small = (t) => t.r.width < 24 - 0.01 || t.r.height < 24 - 0.01;
      // Exempt: a link inside a sentence, a box whose label is a target of its own.
      const exempt = (t) => {
        const el = t.el;
        if (el.matches('input[type=checkbox i],input[type=radio i]') && el.labels && el.labels.length) return true;
        if (style(el).display !== 'inline') return false;
        // Inline in a sentence: its block holds text of its own besides the targets.
        const block = blockOf(el);
        if (block === el) return false;
        const rest = Array.from(block.querySelectorAll(TARGETS))
          .reduce((n, a) => n - a.textContent.trim().length, block.textContent.trim().length);
        return rest > 10;
      };
      const distToRect = (x, y, r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
      for (const t of targets) {
        if (!small(t) || exempt(t)) continue;
        const conflict = targets.some((o) => {
          if (o === t || o.el.contains(t.el) || t.el.contains(o.el)) return false;
          return small(o) ? Math.hypot(o.cx - t.cx, o.cy - t.cy) < 24 : distToRect(t.cx, t.cy, o.r) < 12;
        });
        if (!conflict) continue;
        out.small_targets++;
        if (out.small.length < MAX_KEPT) {
          out.small.push({ ref: V.mark(t.el), selector: V.path(t.el), width: t.r.width, height: t.r.height });
        }
      }
      return out;
    },

    cleanup() {
      const s = document.getElementById(STYLE_ID);
      if (s) s.remove();
      return true;
    },
  };
  return true;
})()
