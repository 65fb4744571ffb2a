// vigie's pixel-contrast helpers, installed after walk.js (window.__vigiePixels).
// init() picks the texts whose contrast the static cascade may leave undecided (a background
// image or gradient, a text shadow, a filter or blend mode, a positioned box, text in a shadow
// tree) and marks their element (or its shadow host) before the DOM is serialised. Rust then
// photographs each text box with the text shown and hidden (hide/show) and reads the pixels.
(() => {
  if (window.__vigiePixels) return true;
  const REF = 'data-vigie-ref';
  const MAX = 200;
  const picked = [];
  // Marks go on after walk.js's: continue from the highest one in the document.
  let next = 0;
  for (const e of document.querySelectorAll('[' + REF + ']')) {
    const n = parseInt(e.getAttribute(REF), 10);
    if (!isNaN(n) && n >= next) next = n + 1;
  }
  const mark = (el) => {
    let r = el.getAttribute(REF);
    if (r === null) {
      r = String(next++);
      el.setAttribute(REF, r);
    }
    return Number(r);
  };
  const words = /[\p{L}\p{N}]/u;
  const ownTexts = (el) => Array.from(el.childNodes).filter((n) => n.nodeType === 3 && words.test(n.data));
  const up = (e) => e.parentElement || (e.getRootNode() && e.getRootNode().host) || null;
  const alpha = (c) => {
    const m = /rgba?\(([^)]*)\)/.exec(c);
    if (!m) return c === 'transparent' ? 0 : 1;
    const p = m[1].split(/[\s,/]+/).filter((x) => x !== '');
    return p.length > 3 ? parseFloat(p[3]) : 1;
  };
  // Why the pixels are worth reading for this text (null: the cascade knows its colours).
  const why = (el) => {
    if (el.getRootNode() !== document) return 'shadow';
    if (getComputedStyle(el).textShadow !== 'none') return 'text-shadow';
    let opaque = false;
    for (let e = el; e && e.nodeType === 1; e = up(e)) {
      const c = getComputedStyle(e);
      if (c.filter !== 'none' || c.mixBlendMode !== 'normal' ||
          (c.backdropFilter && c.backdropFilter !== 'none')) return 'filter';
      if (opaque) continue;
      if (c.backgroundImage !== 'none') return 'background-image';
      if (c.position === 'absolute' || c.position === 'fixed' || c.position === 'sticky') return 'positioned';
      if (alpha(c.backgroundColor) >= 1) opaque = true;
    }
    return null;
  };
  function* elements(root) {
    for (const el of root.querySelectorAll('*')) {
      yield el;
      if (el.shadowRoot) yield* elements(el.shadowRoot);
    }
  }
  const hostOf = (el) => {
    let e = el;
    while (e.getRootNode() !== document && e.getRootNode().host) e = e.getRootNode().host;
    return e;
  };
  const SKIP = new Set(['script', 'style', 'noscript', 'template', 'title', 'textarea', 'select', 'option', 'optgroup']);
  // Union of the boxes of the element's own text, in document coordinates.
  const box = (nodes) => {
    let l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
    for (const n of nodes) {
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const q of range.getClientRects()) {
        if (q.width <= 0 || q.height <= 0) continue;
        l = Math.min(l, q.left); t = Math.min(t, q.top);
        r = Math.max(r, q.right); b = Math.max(b, q.bottom);
      }
    }
    if (!(r > l && b > t)) return null;
    return [l + scrollX, t + scrollY, r - l, b - t];
  };
  // Children's colours pinned while the element's own text is hidden, then given back.
  let hidden = null;
  window.__vigiePixels = {
    init() {
      let shadowTexts = 0, complete = true;
      const root = document.body || document.documentElement;
      if (!root) return { candidates: [], shadow_texts: 0, complete: true };
      const found = [];
      for (const el of elements(root)) {
        // Text right under a shadow root is styled by its host.
        if (el.shadowRoot) {
          const direct = Array.from(el.shadowRoot.childNodes).filter((n) => n.nodeType === 3 && words.test(n.data));
          if (direct.length) found.push([el, direct, true]);
        }
        if (SKIP.has(el.localName)) continue;
        const own = ownTexts(el);
        if (own.length) found.push([el, own, el.getRootNode() !== document]);
      }
      for (const [el, nodes, inShadow] of found) {
        if (inShadow) shadowTexts++;
        const reason = inShadow ? 'shadow' : why(el);
        if (!reason) continue;
        if (picked.length >= MAX) { complete = false; continue; }
        const host = hostOf(el);
        if (!host.isConnected) continue;
        const s = getComputedStyle(el);
        picked.push({ el, nodes, fact: {
          ref: mark(host),
          shadow: inShadow,
          why: reason,
          font_size: parseFloat(s.fontSize) || null,
          font_weight: parseInt(s.fontWeight, 10) || null,
          text: nodes.map((n) => n.data).join(' ').replace(/\s+/g, ' ').trim().slice(0, 80),
        } });
      }
      return { candidates: picked.map((p) => p.fact), shadow_texts: shadowTexts, complete };
    },
    // The text box of candidate i, and whether it is drawn where a screenshot can see it.
    // `m`: the margin photographed around it, brought into the window with it.
    rect(i, margin) {
      const p = picked[i];
      if (!p || !p.el.isConnected) return null;
      const s = getComputedStyle(p.el);
      if (s.visibility !== 'visible' || parseFloat(s.opacity) === 0) return null;
      let r = box(p.nodes);
      if (!r) return null;
      if (window.__vigie.reveal(r, margin)) r = box(p.nodes);
      if (!r) return null;
      const page = document.documentElement;
      const off = r[0] < 0 || r[1] < 0 || r[0] + r[2] > Math.max(page.scrollWidth, innerWidth) ||
        r[1] + r[3] > Math.max(page.scrollHeight, innerHeight);
      // Clipped by an ancestor that hides its overflow: part of the text may not be painted.
      let clipped = false;
      const vr = p.el.getBoundingClientRect();
      for (let e = up(p.el); e && e.nodeType === 1 && e !== page; e = up(e)) {
        const c = getComputedStyle(e);
        if (c.overflowX === 'visible' && c.overflowY === 'visible') continue;
        const q = e.getBoundingClientRect();
        if (vr.left < q.left - 1 || vr.top < q.top - 1 || vr.right > q.right + 1 || vr.bottom > q.bottom + 1) {
          clipped = true;
          break;
        }
      }
      // The fill as computed, with the opacity of the element and its ancestors.
      let color = null;
      const m = /^rgba?\(([^)]*)\)$/.exec(s.webkitTextFillColor || s.color);
      if (m) {
        const v = m[1].split(/[\s,/]+/).filter((x) => x !== '').map(parseFloat);
        if (v.length >= 3 && v.every((x) => !isNaN(x))) {
          let a = v.length > 3 ? v[3] : 1;
          for (let e = p.el; e && e.nodeType === 1; e = up(e)) a *= parseFloat(getComputedStyle(e).opacity);
          color = [v[0], v[1], v[2], a];
        }
      }
      return { rect: r, off, clipped, color, view: window.__vigie.view() };
    },
    // The element's own text made transparent; the shadow stays (it is background).
    hide(i) {
      const p = picked[i];
      if (!p) return false;
      const pins = [];
      for (const c of p.el.children) {
        const s = getComputedStyle(c);
        pins.push([c, c.style.getPropertyValue('color'), c.style.getPropertyPriority('color'),
          c.style.getPropertyValue('-webkit-text-fill-color'), c.style.getPropertyPriority('-webkit-text-fill-color')]);
        c.style.setProperty('color', s.color, 'important');
        c.style.setProperty('-webkit-text-fill-color', s.webkitTextFillColor, 'important');
      }
      const own = [p.el.style.getPropertyValue('color'), p.el.style.getPropertyPriority('color'),
        p.el.style.getPropertyValue('-webkit-text-fill-color'), p.el.style.getPropertyPriority('-webkit-text-fill-color'),
        p.el.style.getPropertyValue('-webkit-text-stroke-color'), p.el.style.getPropertyPriority('-webkit-text-stroke-color')];
      p.el.style.setProperty('color', 'transparent', 'important');
      p.el.style.setProperty('-webkit-text-fill-color', 'transparent', 'important');
      p.el.style.setProperty('-webkit-text-stroke-color', 'transparent', 'important');
      hidden = { el: p.el, pins, own };
      return true;
    },
    show() {
      if (!hidden) return true;
      const put = (el, name, v, prio) => {
        if (v) el.style.setProperty(name, v, prio); else el.style.removeProperty(name);
      };
      const o = hidden.own;
      put(hidden.el, 'color', o[0], o[1]);
      put(hidden.el, '-webkit-text-fill-color', o[2], o[3]);
      put(hidden.el, '-webkit-text-stroke-color', o[4], o[5]);
      for (const [c, v, prio, f, fp] of hidden.pins) {
        put(c, 'color', v, prio);
        put(c, '-webkit-text-fill-color', f, fp);
      }
      hidden = null;
      return true;
    },
  };
  return true;
})()
