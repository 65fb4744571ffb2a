// vigie's measurement helpers, installed in the audited tab after load (window.__vigie).
// init() marks the elements the facts speak of (data-vigie-ref) before the DOM is serialised;
// the keyboard walk then asks active(), blur() and refocus() between key presses.
(() => {
  if (window.__vigie) return true;
  const REF = 'data-vigie-ref';
  const NATIVE = 'a[href],area[href],button,input:not([type=hidden i]),select,textarea,iframe,summary,' +
    '[contenteditable]:not([contenteditable=false i]),audio[controls],video[controls]';
  let next = 0;
  let last = null;
  const rendered = (el) => {
    if (!el.getClientRects().length) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.visibility !== 'collapse';
  };
  // In sequential focus navigation by the markup (not Chromium's focusable scrollers).
  const authorFocusable = (el) => {
    if (el.hasAttribute('tabindex')) {
      const t = parseInt(el.getAttribute('tabindex'), 10);
      if (!isNaN(t)) return t >= 0 && !el.disabled;
    }
    if (!el.matches(NATIVE) || el.disabled) return false;
    if (el.localName === 'summary') {
      const d = el.parentElement;
      return !!d && d.localName === 'details' && d.querySelector(':scope > summary') === el;
    }
    return true;
  };
  const sequential = (el) => authorFocusable(el) && rendered(el) && !el.closest('[inert]');
  const mark = (el) => {
    let r = el.getAttribute(REF);
    if (r === null) {
      r = String(next++);
      el.setAttribute(REF, r);
    }
    return Number(r);
  };
  const path = (el) => {
    const steps = [];
    for (let e = el; e && e.nodeType === 1 && steps.length < 6; e = e.parentElement) {
      if (e.id) { steps.push('#' + CSS.escape(e.id)); break; }
      let step = e.localName;
      const p = e.parentElement;
      if (p) {
        const same = Array.from(p.children).filter((c) => c.localName === e.localName);
        if (same.length > 1) step += ':nth-of-type(' + (same.indexOf(e) + 1) + ')';
      }
      steps.push(step);
    }
    return steps.reverse().join(' > ');
  };
  const hasVisibleContent = (el) =>
    (el.innerText || '').trim() !== '' ||
    Array.from(el.querySelectorAll('img,svg,canvas,video,object,embed,input,select,textarea,button'))
      .some((c) => rendered(c));
  // A region that scrolls further than its padding on an axis whose overflow is auto or scroll.
  const scrolls = (el) => {
    const s = getComputedStyle(el);
    const x = /^(auto|scroll)$/.test(s.overflowX), y = /^(auto|scroll)$/.test(s.overflowY);
    if (!x && !y) return false;
    const padX = Math.max(parseFloat(s.paddingLeft) || 0, parseFloat(s.paddingRight) || 0);
    const padY = Math.max(parseFloat(s.paddingTop) || 0, parseFloat(s.paddingBottom) || 0);
    const dx = el.scrollWidth - el.clientWidth, dy = el.scrollHeight - el.clientHeight;
    return (x && dx > padX && dx > 0) || (y && dy > padY && dy > 0);
  };
  const handler = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (e.hasAttribute('onfocus') || e.hasAttribute('onblur') || e.hasAttribute('onfocusin') ||
          e.hasAttribute('onfocusout')) return true;
    }
    return false;
  };
  // The focused element through open shadow roots and same-origin frames.
  const deepActive = () => {
    let a = document.activeElement;
    while (a) {
      if (a.shadowRoot && a.shadowRoot.activeElement) { a = a.shadowRoot.activeElement; continue; }
      if (a.localName === 'iframe' || a.localName === 'frame') {
        let d = null;
        try { d = a.contentDocument; } catch (e) { /* another origin */ }
        if (d && d.activeElement && d.activeElement !== d.body && d.activeElement !== d.documentElement) {
          a = d.activeElement;
          continue;
        }
      }
      break;
    }
    return a;
  };
  // The element of this document that holds `a` (itself, or the frame it is in).
  const holder = (a) => {
    let e = a;
    while (e && e.ownerDocument !== document) {
      const w = e.ownerDocument.defaultView;
      e = w && w.frameElement;
    }
    while (e && e.getRootNode() !== document && e.getRootNode().host) e = e.getRootNode().host;
    return e;
  };
  const docRect = (e) => {
    const q = e.getBoundingClientRect();
    return [q.left + scrollX, q.top + scrollY, q.width, q.height];
  };
  // Where the window stands in the document, scrollbars excluded.
  const view = () => {
    const v = window.visualViewport;
    if (v) return [v.pageLeft, v.pageTop, v.width, v.height];
    const d = document.documentElement;
    return [scrollX, scrollY, d.clientWidth, d.clientHeight];
  };
  // Scroll the window to box q (document coordinates) and its margin m when they are not in
  // view and fit: a screenshot of what the window shows is ten times cheaper than one beyond
  // it. True when the window moved.
  const reveal = (q, m) => {
    const v = view();
    const x = q[0] - m, y = q[1] - m, w = q[2] + 2 * m, h = q[3] + 2 * m;
    if (x >= v[0] && y >= v[1] && x + w <= v[0] + v[2] && y + h <= v[1] + v[3]) return false;
    if (w > v[2] || h > v[3]) return false;
    window.scrollTo({ left: x + w / 2 - v[2] / 2, top: y + h / 2 - v[3] / 2, behavior: 'instant' });
    return true;
  };
  const MAX = 5000;
  window.__vigie = {
    mark, // shared with layout.js: one numbering of the marks per tab
    path,
    init() {
      const tabbable = [], scrollables = [];
      const all = document.body ? document.body.querySelectorAll('*') : [];
      for (const el of all) {
        if (tabbable.length < MAX && sequential(el)) tabbable.push(mark(el));
        if (scrollables.length < 200 && !['html', 'body', 'iframe', 'textarea', 'select'].includes(el.localName) &&
            rendered(el) && scrolls(el) && hasVisibleContent(el)) {
          const inside = Array.from(el.querySelectorAll('*')).some((d) => sequential(d));
          scrollables.push({ ref: mark(el), selector: path(el), focusable: authorFocusable(el), focusable_inside: inside });
        }
      }
      const failed = performance.getEntriesByType('resource')
        .some((e) => e.initiatorType === 'script' && (e.responseStatus || 0) >= 400);
      let modal = null;
      try {
        const d = document.querySelector('dialog:modal');
        if (d) modal = mark(d);
      } catch (e) { /* :modal unknown to this browser */ }
      return { tabbable, scrollables, scripts_failed: failed, modal };
    },
    // After serialisation: no blinking caret and no transition between the two states compared.
    quiet() {
      const s = document.createElement('style');
      s.textContent = '*,*::before,*::after{caret-color:transparent!important;transition-duration:0s!important;transition-delay:0s!important}';
      (document.head || document.documentElement).appendChild(s);
      return true;
    },
    view,
    reveal,
    // The focused element; `m`: the margin photographed around it (kept in the window).
    active(m) {
      const a = deepActive();
      if (!a || a === document.body || a === document.documentElement || !document.hasFocus()) {
        return { outside: true };
      }
      const top = holder(a);
      const inner = top !== a;
      const frame = inner || a.localName === 'iframe' || a.localName === 'frame';
      let rect = docRect(a);
      if (!frame && rect[2] > 0 && rect[3] > 0 && reveal(rect, m)) rect = docRect(a);
      const ref = top && top.isConnected && top.getRootNode() === document ? mark(top) : null;
      return {
        outside: false,
        ref,
        key: inner ? ref + '/' + path(a) : String(ref === null ? path(a) : ref),
        selector: inner && top ? path(top) + ' ⟶ ' + path(a) : path(a),
        rect,
        view: view(),
        frame,
        focus_handler: handler(a),
      };
    },
    // The largest of the focused element's nearest ancestors (6 levels, at most 1000 × 600 px),
    // brought into the window: an indicator may be drawn around them (an « enlarged link »'s
    // ::before covers its positioned block).
    wide(m) {
      const a = deepActive();
      if (!a || a.ownerDocument !== document) return null;
      const box = () => {
        let wide = null;
        let up = a.parentElement;
        for (let i = 0; i < 6 && up && up !== document.body && up !== document.documentElement; i++, up = up.parentElement) {
          const q = up.getBoundingClientRect();
          if (q.width > 1000 || q.height > 600) break;
          if (q.width > 0 && q.height > 0) wide = [q.left + scrollX, q.top + scrollY, q.width, q.height];
        }
        return wide;
      };
      let wide = box();
      if (wide && reveal(wide, m)) wide = box();
      return wide && { rect: wide, view: view() };
    },
    blur() {
      last = deepActive();
      if (last && last.blur) last.blur();
      return true;
    },
    refocus() {
      if (last && last.focus) last.focus({ preventScroll: true });
      return true;
    },
  };
  return true;
})()
