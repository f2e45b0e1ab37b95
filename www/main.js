// Event wiring only: every number, formula, operator list and layout comes from the wasm
// handle (src/web.rs). This file builds controls from the exported schema and forwards events.
import init, { Scope } from './pkg/convscope.js';

const $ = (id) => document.getElementById(id);
const app = { renders: 0, lastRenderMs: 0 };
window.convscope = app;
app.ready = start();

async function start() {
  await init();
  const scope = new Scope(location.search);
  app.scope = scope;
  const canvas = $('view');
  scope.attach(canvas);
  if (scope.embed()) document.body.classList.add('embed');

  let playing = false;
  let lastTick = 0;
  let carry = 0;
  let urlTimer = 0;
  let editAt = null;

  // ---- controls from the schema -------------------------------------------------------
  function buildOperatorMenu() {
    const select = $('operator');
    select.replaceChildren(...JSON.parse(Scope.operators()).map((op) => new Option(op.title, op.name)));
    select.value = scope.operator();
  }

  function buildParams() {
    const form = $('params');
    form.replaceChildren();
    for (const spec of JSON.parse(scope.schema())) {
      const wrap = document.createElement('div');
      wrap.className = 'param';
      wrap.dataset.name = spec.name;
      const id = `param-${spec.name}`;
      const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: spec.label });
      const help = Object.assign(document.createElement('p'), { className: 'help', id: `${id}-help`, textContent: spec.help });
      const error = Object.assign(document.createElement('p'), { className: 'param-error', id: `${id}-error`, hidden: true });
      let control;
      const row = document.createElement('div');
      row.className = 'row';
      if (spec.type === 'int') {
        control = Object.assign(document.createElement('input'), {
          type: 'range', id, min: spec.min, max: spec.max, step: spec.step, value: spec.value,
        });
        const out = Object.assign(document.createElement('output'), { id: `${id}-value`, textContent: spec.value });
        out.htmlFor = id;
        row.append(control, out);
      } else {
        control = Object.assign(document.createElement('select'), { id });
        control.append(...spec.options.map(([value, text]) => new Option(text, value)));
        control.value = spec.value;
        row.append(control);
      }
      control.setAttribute('aria-describedby', `${id}-help ${id}-error`);
      control.addEventListener('input', () => {
        const shown = $(`${id}-value`);
        if (shown) shown.textContent = control.value;
        setParam(spec.name, control.value);
      });
      wrap.append(label, row, error, help);
      form.append(wrap);
    }
  }

  function setParam(name, value) {
    try {
      scope.set_param(name, value);
    } catch (_) {
      // The message is shown by refresh() from scope.error(); the picture stays.
    }
    refresh();
  }

  // ---- repaint and text ---------------------------------------------------------------
  function refresh() {
    const t0 = performance.now();
    scope.render();
    app.lastRenderMs = performance.now() - t0;
    app.renders += 1;
    const n = scope.n_steps();
    const step = scope.step();
    const scrub = $('scrub');
    scrub.max = n;
    scrub.value = step;
    $('step-count').textContent = `${step} / ${n}`;
    $('step-text').textContent = scope.describe();
    $('hover-text').textContent = scope.hover_text() ?? '';
    $('stage').textContent = scope.stage_explanation() ?? '';
    $('summary').textContent = scope.summary();
    $('formula').replaceChildren(...scope.formula().map((line) => Object.assign(document.createElement('li'), { textContent: line })));
    $('facts').replaceChildren(...scope.facts().map((line) => Object.assign(document.createElement('li'), { textContent: line })));
    showError();
    scheduleUrl();
  }

  function showError() {
    const message = scope.error();
    const alert = $('alert');
    alert.hidden = !message;
    alert.textContent = message ? `${message} — showing the last valid setting.` : '';
    const culprit = scope.error_param();
    for (const wrap of document.querySelectorAll('.param')) {
      const bad = Boolean(message) && wrap.dataset.name === culprit;
      wrap.classList.toggle('invalid', bad);
      const control = $(`param-${wrap.dataset.name}`);
      control.setAttribute('aria-invalid', bad ? 'true' : 'false');
      const error = $(`param-${wrap.dataset.name}-error`);
      error.hidden = !bad;
      error.textContent = bad ? message : '';
    }
  }

  function showWarnings() {
    const warnings = scope.take_warnings();
    const box = $('warnings');
    box.hidden = warnings.length === 0;
    if (warnings.length) {
      const list = document.createElement('ul');
      list.append(...warnings.map((w) => Object.assign(document.createElement('li'), { textContent: w })));
      box.replaceChildren(Object.assign(document.createElement('strong'), { textContent: 'Some URL values were not used:' }), list);
      box.setAttribute('role', 'alert');
    }
  }

  // The URL follows the picture, at most every 200 ms (browsers throttle history updates).
  function scheduleUrl() {
    if (urlTimer) return;
    urlTimer = setTimeout(() => {
      urlTimer = 0;
      history.replaceState(null, '', `?${scope.query()}`);
    }, 200);
  }

  // ---- playback -----------------------------------------------------------------------
  function seek(step) {
    scope.seek(Math.max(0, step));
    refresh();
  }

  function setPlaying(on) {
    playing = on;
    const button = $('play');
    button.textContent = on ? '❚❚ Pause' : '▶ Play';
    button.setAttribute('aria-label', on ? 'Pause' : 'Play');
    // Announce each step only when paused, so a screen reader is not flooded while playing.
    $('step-text').setAttribute('aria-live', on ? 'off' : 'polite');
    if (on) {
      if (scope.step() >= scope.n_steps()) seek(0);
      lastTick = performance.now();
      carry = 0;
      requestAnimationFrame(tick);
    }
  }

  function tick(now) {
    if (!playing) return;
    carry += ((now - lastTick) / 1000) * Number($('speed').value);
    lastTick = now;
    if (carry >= 1) {
      const advance = Math.floor(carry);
      carry -= advance;
      seek(scope.step() + advance);
      if (scope.step() >= scope.n_steps()) {
        setPlaying(false);
        return;
      }
    }
    requestAnimationFrame(tick);
  }

  $('play').addEventListener('click', () => setPlaying(!playing));
  $('prev').addEventListener('click', () => { setPlaying(false); seek(scope.step() - 1); });
  $('next').addEventListener('click', () => { setPlaying(false); seek(scope.step() + 1); });
  $('first').addEventListener('click', () => { setPlaying(false); seek(0); });
  $('last').addEventListener('click', () => { setPlaying(false); seek(scope.n_steps()); });
  $('scrub').addEventListener('input', (e) => { setPlaying(false); seek(Number(e.target.value)); });

  document.addEventListener('keydown', (e) => {
    if (e.target.closest('input, select, textarea, form.editor') || e.altKey || e.ctrlKey || e.metaKey) return;
    const onButton = e.target.closest('button');
    if (e.target === canvas) {
      const cursor = {
        ArrowLeft: [0, 0, -1], ArrowRight: [0, 0, 1], ArrowUp: [0, -1, 0], ArrowDown: [0, 1, 0],
      }[e.key];
      if (cursor && e.shiftKey) {
        e.preventDefault();
        scope.hover_move(...cursor);
        return refresh();
      }
      if (e.key === '[' || e.key === ']') {
        e.preventDefault();
        scope.hover_move(e.key === ']' ? 1 : -1, 0, 0);
        return refresh();
      }
      if (e.key === 'Escape' && scope.hover_clear()) return refresh();
      if (e.key === 'Enter') {
        e.preventDefault();
        return openEditor(scope.editable_hovered(), null, [8, 40]);
      }
    }
    const keys = {
      ArrowLeft: () => { setPlaying(false); seek(scope.step() - 1); },
      ArrowRight: () => { setPlaying(false); seek(scope.step() + 1); },
      Home: () => { setPlaying(false); seek(0); },
      End: () => { setPlaying(false); seek(scope.n_steps()); },
      ' ': onButton ? null : () => setPlaying(!playing),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  });

  // ---- operator, hover, editing, export -------------------------------------------------
  $('operator').addEventListener('change', (e) => {
    setPlaying(false);
    scope.set_operator(e.target.value);
    buildParams();
    refresh();
  });

  const cssPoint = (e) => {
    const rect = canvas.getBoundingClientRect();
    return [e.clientX - rect.left, e.clientY - rect.top];
  };
  const hoverChanged = () => {
    scope.render();
    $('hover-text').textContent = scope.hover_text() ?? '';
  };
  canvas.addEventListener('mousemove', (e) => {
    if (scope.hover_at(...cssPoint(e))) hoverChanged();
  });
  canvas.addEventListener('mouseleave', () => {
    if (scope.hover_clear()) hoverChanged();
  });
  canvas.addEventListener('click', (e) => {
    const point = cssPoint(e);
    openEditor(scope.editable_at(...point), point, point);
  });
  // Opens the value editor for a cell (`at`: CSS position for a click, null for the cursor).
  function openEditor(cell, at, point) {
    if (!cell) return;
    const { label, value } = JSON.parse(cell);
    editAt = at;
    const editor = $('editor');
    $('editor-label').textContent = `Value of ${label}`;
    $('editor-value').value = value;
    editor.style.left = `${Math.min(point[0], canvas.clientWidth - 260)}px`;
    editor.style.top = `${Math.min(point[1] + 12, canvas.clientHeight - 50)}px`;
    editor.hidden = false;
    $('editor-value').select();
    $('editor-value').focus();
  }
  const closeEditor = () => { $('editor').hidden = true; canvas.focus(); };
  $('editor').addEventListener('submit', () => {
    try {
      if (editAt) scope.edit_at(...editAt, $('editor-value').value);
      else scope.edit_hovered($('editor-value').value);
      closeEditor();
      refresh();
    } catch (err) {
      $('alert').hidden = false;
      $('alert').textContent = err.message;
    }
  });
  $('editor-cancel').addEventListener('click', closeEditor);
  $('editor').addEventListener('keydown', (e) => { if (e.key === 'Escape') closeEditor(); });

  $('reset-edits').addEventListener('click', () => { scope.reset_edits(); refresh(); });
  $('copy-link').addEventListener('click', async () => {
    const url = `${location.origin}${location.pathname}?${scope.query()}`;
    try { await navigator.clipboard.writeText(url); $('copy-link').textContent = 'Link copied'; } catch (_) { prompt('Link to this picture:', url); }
  });
  $('export-svg').addEventListener('click', () => {
    const blob = new Blob([scope.export_svg()], { type: 'image/svg+xml' });
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: `convscope-${scope.operator()}-step${scope.step()}.svg` });
    link.click();
    URL.revokeObjectURL(link.href);
  });

  // ---- size -----------------------------------------------------------------------------
  const wrap = $('canvas-wrap');
  const fit = () => {
    scope.resize(wrap.clientWidth, wrap.clientHeight, window.devicePixelRatio || 1);
    scope.render();
  };
  new ResizeObserver(fit).observe(wrap);

  buildOperatorMenu();
  buildParams();
  scope.resize(wrap.clientWidth, wrap.clientHeight, window.devicePixelRatio || 1);
  refresh();
  showWarnings();
  performance.mark('convscope:first-paint');
  return scope;
}
