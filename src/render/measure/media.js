// vigie's media measure (window.__vigieMedia), installed after walk.js, whose mark() and path()
// it uses. measure(ms) reads every audio and video element as the page left it after load
// (playing or not, muted, duration, what was played, audio tracks) and, for those playing
// sound long enough to matter, the loudest sample of their audio, decoded from the file
// itself; then pause() stops them, so that the later screenshots see still pictures as before.
(() => {
  if (window.__vigieMedia) return true;
  const V = window.__vigie;
  const MAX_MEDIA = 20;
  // Files larger than this are not decoded (a long recording: its loudness stays unknown).
  const MAX_BYTES = 5 * 1024 * 1024;
  // Sound shorter than this does not matter (WCAG 1.4.2): no need to decode it.
  const LIMIT_S = 3;
  // Time a media asked to autoplay gets to start, at most.
  const WAIT_MS = 2000;
  const finite = (x) => (Number.isFinite(x) ? x : null);
  // A media fragment `#t=start,end` (seconds or npt hh:mm:ss) bounds what plays.
  const fragment = (src) => {
    const m = /#(?:.*&)?t=(?:npt:)?([0-9.:]*)(?:,([0-9.:]+))?/.exec(src || '');
    if (!m) return [0, null];
    const sec = (s) => (s ? s.split(':').map(Number).reduce((a, b) => a * 60 + b, 0) : null);
    return [finite(sec(m[1])) || 0, finite(sec(m[2]))];
  };
  const withTimeout = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(() => r({ error: 'délai' }), ms))]);
  // The loudest sample (0 to 1) between start and end: the file fetched again (through the same
  // request rules as the page) and decoded by the browser's own decoder. A file without an
  // audio track does not decode.
  async function loudest(url, start, end, ms) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), ms);
    try {
      const res = await fetch(url, { signal: ctl.signal });
      if (!res.ok || !res.body) return { error: 'téléchargement' };
      const reader = res.body.getReader();
      const chunks = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > MAX_BYTES) { ctl.abort(); return { error: 'fichier trop lourd' }; }
        chunks.push(value);
      }
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) { bytes.set(c, at); at += c.length; }
      const ctx = new OfflineAudioContext(1, 1, 44100);
      let buf;
      try { buf = await ctx.decodeAudioData(bytes.buffer); } catch (e) { return { error: 'décodage' }; }
      const a = Math.max(0, Math.floor(start * buf.sampleRate));
      const b = end === null ? buf.length : Math.min(buf.length, Math.ceil(end * buf.sampleRate));
      let peak = 0;
      for (let c = 0; c < buf.numberOfChannels; c++) {
        const d = buf.getChannelData(c);
        for (let i = a; i < b; i++) { const v = d[i] < 0 ? -d[i] : d[i]; if (v > peak) peak = v; }
      }
      return { peak };
    } catch (e) {
      return { error: 'téléchargement' };
    } finally {
      clearTimeout(timer);
    }
  }

  window.__vigieMedia = {
    async measure(ms) {
      const t0 = performance.now();
      const out = [];
      const all = Array.from(document.querySelectorAll('audio,video')).slice(0, MAX_MEDIA);
      // The network may go quiet before a media is loaded enough to start (its requests are not
      // resource entries): give those asked to play by themselves the time to start or fail,
      // within half the budget.
      const waiting = all.filter((m) => m.autoplay && m.paused && !m.error && m.played.length === 0 && m.readyState < 4);
      if (waiting.length) {
        const started = Promise.all(waiting.map((m) => new Promise((resolve) => {
          for (const ev of ['playing', 'error', 'pause']) m.addEventListener(ev, () => resolve(true), { once: true });
          if (m.querySelector('source')) m.querySelector('source:last-of-type').addEventListener('error', () => resolve(true), { once: true });
        })));
        await Promise.race([started, new Promise((r) => setTimeout(r, Math.max(0, Math.min(WAIT_MS, ms / 2))))]);
      }
      for (const m of all) {
        if (out.length >= MAX_MEDIA) break;
        let played = 0;
        for (let i = 0; i < m.played.length; i++) played += m.played.end(i) - m.played.start(i);
        // Audio tracks as the browser demuxed them (Chromium has no audioTracks without a
        // flag; captureStream() gives one track per decoded audio stream, once metadata is in).
        let tracks = null;
        if (m.readyState >= 1 && m.captureStream) {
          try {
            const s = m.captureStream();
            tracks = s.getAudioTracks().length;
            for (const t of s.getTracks()) t.stop();
          } catch (e) { tracks = null; }
        }
        const src = m.currentSrc || '';
        const [start, end] = fragment(src);
        const f = {
          ref: V.mark(m), selector: V.path(m), autoplay: m.autoplay,
          paused: m.paused, ended: m.ended, muted: m.muted, volume: m.volume, loop: m.loop,
          duration: finite(m.duration), endless: m.duration === Infinity,
          current_time: finite(m.currentTime) || 0, played,
          start, end, ready_state: m.readyState, error: m.error ? m.error.code : null,
          audio_tracks: tracks, decoded_audio_bytes: finite(m.webkitAudioDecodedByteCount),
          peak: null, peak_error: null,
        };
        const stop = end !== null ? end : f.duration;
        const long = f.loop || f.endless || (stop !== null && stop - start > LIMIT_S);
        const sounding = (!m.paused || played > 0) && !m.muted && m.volume > 0 && tracks !== 0;
        if (sounding && long && !f.endless && /^https?:/.test(src)) {
          const left = ms - (performance.now() - t0);
          if (left > 200) {
            const r = await withTimeout(loudest(src, start, f.loop ? null : end, left), left);
            f.peak = r.peak === undefined ? null : r.peak;
            f.peak_error = r.error || null;
          } else {
            f.peak_error = 'délai';
          }
        }
        out.push(f);
      }
      return out;
    },
    // Stop every media: later measurements (screenshots) see still pictures, as before vigie
    // let media play.
    pause() {
      for (const m of document.querySelectorAll('audio,video')) { try { m.pause(); } catch (e) { /* ignore */ } }
      return true;
    },
  };
  return true;
})()
