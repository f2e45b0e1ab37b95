// Event wiring only: every number, formula, operator list and layout comes from the wasm
// handle (src/web.rs). This file builds controls from the exported schema and forwards events.
import init, { Scope } from './pkg/convscope.js';

const $ = (id) => document.getElementById(id);
/** Sets `el[prop]` to `value` unless it already holds it: writing even the same value can make
 * the browser recompute styles and lay the page out again, on every frame of a drag. */
const assign = (el, prop, value) => {
  if (el[prop] !== value) el[prop] = value;
};
const app = { renders: 0, lastRenderMs: 0 };
window.convscope = app;
app.ready = start();

/** Fetches and hands over a language's catalogue unless the wasm has it; whether it has. */
async function loadCatalogue(tag) {
  if (Scope.has_catalogue(tag)) return true;
  try {
    const response = await fetch(new URL(`pkg/i18n/${tag}.ftl`, import.meta.url));
    if (!response.ok) return false;
    Scope.load_catalogue(tag, await response.text());
    return true;
  } catch (_) {
    return false;
  }
}

async function start() {
  await init();
  const languages = (navigator.languages ?? [navigator.language ?? 'en']).join(',');
  // English is in the wasm; another language's words are fetched before the first paint
  // only when this reader asks for them.
  await loadCatalogue(Scope.wanted_lang(location.search, languages));
  const scope = new Scope(location.search, languages);
  app.scope = scope;
  // The page's own words, from the core's catalogues: t('ui-…', {n: 3}).
  const t = (id, args) => scope.t(id, args ? JSON.stringify(args) : '');
  translatePage();
  const canvas = $('view');
  scope.attach(canvas);
  const embed = JSON.parse(scope.embed());
  if (embed.on) {
    document.body.classList.add('embed');
    $('embed-bar').hidden = !embed.caption;
    document.querySelector('.playback').hidden = !embed.playback;
  }

  let playing = false;
  let lastTick = 0;
  let carry = 0;
  let urlTimer = 0;
  let editing = null; // the cell the open editor is for: [grid, n, c, row, col]

  // Forms here never navigate (a strict Content-Security-Policy forbids inline handlers).
  for (const form of document.querySelectorAll('form')) form.addEventListener('submit', (e) => e.preventDefault());

  // ---- the page's language ---------------------------------------------------------------
  // Static text carries `data-i18n` (its text), `data-i18n-title` or `data-i18n-aria`.
  function translatePage() {
    document.documentElement.lang = scope.lang();
    document.title = t('ui-page-title');
    for (const el of document.querySelectorAll('[data-i18n]')) fillRich(el, t(el.dataset.i18n));
    for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
    for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  }

  // `[[Space]]` in a message is a key to press, shown as <kbd>.
  function fillRich(el, text) {
    el.replaceChildren(...text.split(/\[\[(.+?)\]\]/).map((part, i) => (i % 2
      ? Object.assign(document.createElement('kbd'), { textContent: part })
      : document.createTextNode(part))));
  }

  const langMenu = $('lang');
  langMenu.replaceChildren(...JSON.parse(Scope.languages()).map((l) => new Option(l.name, l.tag)));
  langMenu.value = scope.lang();
  langMenu.addEventListener('change', async () => {
    const tag = langMenu.value;
    if (!(await loadCatalogue(tag))) {
      const name = langMenu.selectedOptions[0]?.textContent ?? tag;
      langMenu.value = scope.lang();
      $('copy-status').textContent = t('ui-lang-failed', { name });
      return;
    }
    scope.set_lang(tag);
    translatePage();
    buildOperatorMenu();
    buildParams();
    setPlaying(playing);
    refresh();
    scheduleUrl();
  });

  // ---- controls from the schema -------------------------------------------------------
  function buildOperatorMenu() {
    const select = $('operator');
    select.replaceChildren(...JSON.parse(scope.operators()).map((op) => new Option(op.title, op.name)));
    select.value = scope.operator();
  }

  // The operator's controls, parsed once per operator change; values come separately.
  let specs = [];
  let shownValues = '';

  function buildParams() {
    const form = $('params');
    form.replaceChildren();
    specs = JSON.parse(scope.schema());
    shownValues = '';
    for (const spec of specs) {
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
      if (spec.type === 'layers') {
        wrap.append(label, layerEditor(spec, id), error, help);
        if (spec.from_model) wrap.append(modelBox(spec, id));
        label.id = `${id}-label`;
        label.removeAttribute('for');
        form.append(wrap);
        continue;
      } else if (spec.type === 'pair') {
        label.id = `${id}-label`;
        wrap.append(label, pairControl(spec, id), error, help);
        form.append(wrap);
        continue;
      } else if (spec.type === 'int') {
        control = Object.assign(document.createElement('input'), {
          type: 'range', id, min: spec.min, max: spec.max, step: spec.step, value: spec.value,
        });
        const out = Object.assign(document.createElement('output'), { id: `${id}-value`, textContent: spec.value });
        out.htmlFor = id;
        row.classList.add('slider');
        row.append(control, out);
      } else {
        control = Object.assign(document.createElement('select'), { id });
        control.append(...spec.options.map(([value, text]) => new Option(text, value)));
        control.value = spec.value;
        row.append(control);
      }
      control.setAttribute('aria-describedby', `${id}-help ${id}-error`);
      // The value is taken when the event comes: a repaint in between (another control
      // applied first) may set the control back to the core's value.
      const send = perFrame((value) => setParam(spec.name, value), control);
      control.addEventListener('input', () => {
        const shown = $(`${id}-value`);
        if (shown) assign(shown, 'textContent', control.value);
        send(control.value);
      });
      wrap.append(label, row, error, help);
      form.append(wrap);
    }
  }

  // A per-axis control: one slider for both axes, or one for rows and one for columns, and
  // for a control with keywords (padding "same"/"valid") a menu before them. The value sent
  // is the core's URL form: "3", "3,1" or the keyword.
  function pairControl(spec, id) {
    const box = Object.assign(document.createElement('div'), { className: 'pair', id: `${id}-box` });
    const slider = (suffix, text) => {
      const row = Object.assign(document.createElement('div'), { className: 'row slider' });
      const input = Object.assign(document.createElement('input'), {
        type: 'range', id: `${id}${suffix}`, min: spec.min, max: spec.max, step: spec.step,
      });
      input.setAttribute('aria-describedby', `${id}-help ${id}-error`);
      const axis = Object.assign(document.createElement('span'), { className: 'axis', textContent: text });
      axis.id = `${id}${suffix}-axis`;
      row.append(axis);
      const out = Object.assign(document.createElement('output'), { id: `${id}${suffix}-value` });
      out.htmlFor = input.id;
      row.append(input, out);
      return { row, input, out };
    };
    const rows = slider('', t('ui-axis-rows'));
    const cols = slider('-cols', t('ui-axis-columns'));
    const same = Object.assign(document.createElement('input'), { type: 'checkbox', id: `${id}-same` });
    const sameLabel = Object.assign(document.createElement('label'), { htmlFor: same.id, className: 'same', textContent: ` ${t('ui-same-both-axes')}` });
    sameLabel.prepend(same);
    let mode = null;
    if (spec.words.length) {
      mode = Object.assign(document.createElement('select'), { id: `${id}-mode` });
      mode.setAttribute('aria-labelledby', `${id}-label`);
      mode.append(new Option(t('ui-numbers'), ''), ...spec.words.map((w) => new Option(w, w)));
      box.append(mode);
    }
    box.append(rows.row, cols.row, sameLabel);
    const value = () => {
      if (mode?.value) return mode.value;
      return same.checked ? rows.input.value : `${rows.input.value},${cols.input.value}`;
    };
    // Only what differs is written: a dragged slider changes one number, and each write
    // (even of the same value) can make the browser recompute styles and lay out again.
    const show = (text) => {
      const word = spec.words.includes(text);
      const [a, b = a] = word ? [rows.input.value, cols.input.value] : text.split(',');
      if (mode) assign(mode, 'value', word ? text : '');
      assign(rows.input, 'value', a); assign(cols.input, 'value', b);
      assign(rows.out, 'textContent', a); assign(cols.out, 'textContent', b);
      if (!box.dataset.touched) assign(same, 'checked', !text.includes(','));
      assign(cols.row, 'hidden', same.checked || word);
      assign(rows.row, 'hidden', word);
      assign(sameLabel, 'hidden', word);
      // One slider is labelled by the control's label; two by it and their axis.
      for (const { row, input } of [rows, cols]) {
        const axis = row.querySelector('.axis');
        assign(axis, 'hidden', same.checked);
        if (same.checked) input.removeAttribute('aria-labelledby');
        else if (!input.hasAttribute('aria-labelledby')) input.setAttribute('aria-labelledby', `${id}-label ${axis.id}`);
      }
      if (box.dataset.value !== text) box.dataset.value = text;
    };
    const apply = perFrame((text) => setParam(spec.name, text), box);
    const send = () => {
      box.dataset.touched = '1';
      show(value());
      apply(value());
    };
    rows.input.addEventListener('input', () => {
      if (same.checked) cols.input.value = rows.input.value;
      send();
    });
    cols.input.addEventListener('input', send);
    same.addEventListener('change', () => {
      if (same.checked) cols.input.value = rows.input.value;
      send();
    });
    mode?.addEventListener('change', send);
    box.show = show;
    show(spec.value);
    return box;
  }

  // A table with one row per layer; every change sends all rows back as JSON.
  function layerEditor(spec, id) {
    const box = Object.assign(document.createElement('div'), { className: 'layers', id });
    box.dataset.rows = scope.layers_json(spec.name);
    box.setAttribute('role', 'group');
    box.setAttribute('aria-labelledby', `${id}-label`);
    // Columns, bounds and the first layer of an empty stack come from the schema.
    const fields = spec.fields.map((f) => [f.name, f.label, f]);
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const [key, text] of [['n', '#'], ['kind', t('ui-layer-kind')], ...fields, ['', '']]) {
      const th = Object.assign(document.createElement('th'), { textContent: text, id: `${id}-h-${key || 'tools'}` });
      head.append(th);
    }
    const body = table.createTBody();
    const rows = JSON.parse(box.dataset.rows);
    const send = (next) => {
      try { scope.set_layers(spec.name, JSON.stringify(next)); } catch (_) { /* shown by refresh() */ }
      refresh();
    };
    rows.forEach((layer, i) => {
      const tr = body.insertRow();
      tr.id = `${id}-row-${i}`;
      tr.dataset.row = i;
      const n = Object.assign(tr.insertCell(), { textContent: i + 1, id: `${id}-n-${i}` });
      n.className = 'n';
      const kind = document.createElement('select');
      kind.id = `${id}-${i}-kind`;
      kind.append(new Option(t('ui-layer-conv'), 'conv'), new Option(t('ui-layer-pool'), 'pool'));
      kind.value = layer.pool ? 'pool' : 'conv';
      kind.setAttribute('aria-labelledby', `${id}-h-kind ${id}-n-${i}`);
      kind.addEventListener('change', () => send(rows.map((l, j) => (j === i ? { ...l, pool: kind.value === 'pool' } : l))));
      tr.insertCell().append(kind);
      for (const [key, , field] of fields) {
        const input = Object.assign(document.createElement('input'), { type: 'number', min: field.min, max: field.max, value: layer[key], id: `${id}-${i}-${key}` });
        input.setAttribute('aria-labelledby', `${id}-h-${key} ${id}-n-${i}`);
        if (layer.pool && !field.pools) input.disabled = true;
        // The core checks the bounds and names the layer; a non-number is sent as 0.
        input.addEventListener('change', () => send(rows.map((l, j) => (j === i ? { ...l, [key]: Math.max(0, Math.round(Number(input.value) || 0)) } : l))));
        tr.insertCell().append(input);
      }
      const tools = tr.insertCell();
      const button = (text, label, next) => {
        const b = Object.assign(document.createElement('button'), { type: 'button', textContent: text, title: label });
        b.setAttribute('aria-label', t('ui-layer-button', { action: label, n: i + 1 }));
        b.addEventListener('click', () => send(next()));
        tools.append(b);
      };
      button('↑', t('ui-layer-up'), () => (i > 0 ? [...rows.slice(0, i - 1), rows[i], rows[i - 1], ...rows.slice(i + 1)] : rows));
      button('↓', t('ui-layer-down'), () => (i + 1 < rows.length ? [...rows.slice(0, i), rows[i + 1], rows[i], ...rows.slice(i + 2)] : rows));
      button('✕', t('ui-layer-remove'), () => rows.filter((_, j) => j !== i));
    });
    const add = Object.assign(document.createElement('button'), { type: 'button', textContent: t('ui-layer-add'), id: `${id}-add` });
    add.addEventListener('click', () => send([...rows, rows.length ? { ...rows[rows.length - 1] } : spec.new_layer]));
    const scroll = Object.assign(document.createElement('div'), { className: 'layers-scroll' });
    scroll.append(table);
    box.append(scroll, add);
    return box;
  }

  // "Paste print(model)": the text PyTorch prints for a model becomes the layer stack; a line
  // the core cannot read is named under the box and the stack stays as it was.
  function modelBox(spec, id) {
    const details = Object.assign(document.createElement('details'), { className: 'model-box', id: `${id}-model` });
    const summary = Object.assign(document.createElement('summary'), { textContent: t('ui-model-paste') });
    const area = Object.assign(document.createElement('textarea'), {
      id: `${id}-model-text`, rows: 6, spellcheck: false,
      placeholder: 'Sequential(\n  (0): Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n  (1): ReLU(inplace=True)\n  …\n)',
    });
    area.setAttribute('aria-label', t('ui-model-area'));
    const use = Object.assign(document.createElement('button'), { type: 'button', textContent: t('ui-model-use'), id: `${id}-model-use` });
    const message = Object.assign(document.createElement('p'), { className: 'param-error', id: `${id}-model-error`, hidden: true });
    message.setAttribute('role', 'alert');
    use.addEventListener('click', () => {
      try {
        scope.set_layers_from_model(spec.name, area.value);
        message.hidden = true;
      } catch (err) {
        message.textContent = err.message;
        message.hidden = false;
      }
      refresh();
    });
    details.append(summary, area, use, message);
    return details;
  }

  // A burst of events (a slider dragged, the pointer moving over the picture) repaints once,
  // just before the next frame, with the latest of them: the event handler itself only notes
  // the value, so typing or dragging never waits for a repaint, and a heavy setting never
  // queues up work the reader has moved past. A click, a key or a change anywhere else first
  // applies what is still waiting, so every action acts on what the controls show.
  const waiting = new Map(); // flush → the element whose events queued it
  function perFrame(run, owner = null) {
    let queued = null;
    const flush = () => {
      waiting.delete(flush);
      if (!queued) return;
      const latest = queued;
      queued = null;
      run(...latest);
    };
    return (...args) => {
      if (!queued) {
        waiting.set(flush, owner);
        requestAnimationFrame(flush);
      }
      queued = args;
    };
  }
  function settle(e) {
    for (const [flush, owner] of [...waiting]) {
      if (!owner || !(e.target instanceof Node) || !owner.contains(e.target)) flush();
    }
  }
  for (const type of ['pointerdown', 'keydown', 'click', 'change']) {
    document.addEventListener(type, settle, { capture: true });
  }

  function setParam(name, value) {
    try {
      scope.set_param(name, value);
    } catch (_) {
      // The message is shown by refresh() from scope.error(); the picture stays.
    }
    refresh();
  }

  // Freeing the runs a change replaced waits only for the new picture to be on screen (an
  // idle moment, or a tenth of a second at most while a slider is dragged without pause).
  let freeing = false;
  function freeSoon() {
    if (freeing) return;
    freeing = true;
    const later = window.requestIdleCallback ?? ((run) => setTimeout(run, 0));
    later(() => {
      freeing = false;
      scope.free_retired();
    }, { timeout: 100 });
  }
  // Work that can wait longer (indexing the new run for hovering) runs once the pictures
  // have settled for a moment and the browser is idle: not between the frames of a slider
  // being dragged, where it would delay the next picture.
  let idleTimer = 0;
  function idleSoon() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      const later = window.requestIdleCallback ?? ((run) => setTimeout(run, 0));
      later(() => scope.idle());
    }, 300);
  }

  // ---- repaint and text ---------------------------------------------------------------
  // The GIF range follows the run: a range that ended at the last step still does.
  let gifSteps = -1;
  function followGifRange(n) {
    if (n === gifSteps) return;
    const to = $('gif-to');
    if (gifSteps < 0 || Number(to.value) === gifSteps || Number(to.value) > n) to.value = n;
    if (Number($('gif-from').value) > n) $('gif-from').value = 0;
    $('gif-from').max = n;
    to.max = n;
    gifSteps = n;
  }

  function refresh() {
    const t0 = performance.now();
    scope.render();
    app.lastRenderMs = performance.now() - t0;
    app.renders += 1;
    const n = scope.n_steps();
    const step = scope.step();
    const scrub = $('scrub');
    // A shape or field question hides how many steps there are (it would give the size away).
    const concealed = scope.practice_conceals();
    assign(scrub, 'max', String(concealed ? step : n));
    assign(scrub, 'value', String(step));
    assign($('step-count'), 'textContent', concealed ? `${step} / ?` : `${step} / ${n}`);
    followGifRange(n);
    assign($('step-text'), 'textContent', scope.describe());
    assign($('hover-text'), 'textContent', scope.hover_text() ?? '');
    assign($('stage'), 'textContent', scope.stage_explanation() ?? '');
    assign($('summary'), 'textContent', scope.summary());
    assign($('caption'), 'textContent', scope.caption());
    // Compared as written (not resolved against location, which throws in an about:srcdoc host).
    const full = `${location.pathname}?${scope.page_query()}`;
    if ($('open-full').getAttribute('href') !== full) $('open-full').setAttribute('href', full);
    showZoom();
    setList($('formula'), scope.formula());
    setList($('facts'), scope.facts());
    syncParams();
    showError();
    showPractice();
    scheduleUrl();
    freeSoon();
    idleSoon();
  }

  // Controls follow values changed elsewhere (a preset filling in layers, a URL, an edit).
  // Replacing a layer editor can blur one of its inputs, whose `change` re-enters refresh():
  // the nested call must not replace the same editor again.
  let syncing = false;
  function syncParams() {
    if (syncing) return;
    syncing = true;
    try {
      syncControls();
    } finally {
      syncing = false;
    }
  }

  function syncControls() {
    // Only when a value changed (playback repaints every frame without touching a control).
    const text = scope.param_values();
    if (text === shownValues) return;
    shownValues = text;
    const values = JSON.parse(text);
    for (const spec of specs) {
      const id = `param-${spec.name}`;
      const value = values[spec.name];
      // A control read only while another has certain values is disabled otherwise.
      if (spec.when) {
        const active = spec.when.values.includes(values[spec.when.param]);
        const wrap = document.querySelector(`.param[data-name="${spec.name}"]`);
        wrap?.classList.toggle('inactive', !active);
        wrap?.querySelectorAll('input, select').forEach((el) => { el.disabled = !active; });
        const label = specs.find((s) => s.name === spec.when.param)?.label ?? spec.when.param;
        if (wrap) wrap.title = active ? '' : t('ui-used-only-when', { label, values: spec.when.values.join(t('ui-or')) });
      }
      if (spec.type === 'pair') {
        const box = $(`${id}-box`);
        if (box?.isConnected && box.dataset.value !== value) box.show(value);
        continue;
      }
      const control = $(id);
      if (!control?.isConnected) continue;
      if (spec.type === 'layers') {
        const rows = scope.layers_json(spec.name);
        if (control.dataset.rows !== rows) control.replaceWith(layerEditor(spec, id));
      } else if (control.value !== value) {
        control.value = value;
        const shown = $(`${id}-value`);
        if (shown) shown.textContent = value;
      }
    }
  }

  // Updates a list only where its text changed. A deep stack's facts have a line per layer
  // (hundreds, all changed by one slider): the lines after the first LIST_SHOWN wait in a
  // closed <details> the reader can open, so a slider move does not lay out what is not shown.
  const LIST_SHOWN = 24;
  function setList(list, lines) {
    const text = lines.join('\n');
    if (list.dataset.text === text) return;
    list.dataset.text = text;
    const fill = (parent, from, to) => {
      const items = [...parent.children].filter((el) => el.tagName === 'LI' && !el.classList.contains('more'));
      for (let i = from; i < to; i += 1) {
        const item = items[i - from] ?? parent.insertBefore(document.createElement('li'), parent.querySelector(':scope > li.more'));
        if (item.textContent !== lines[i]) item.textContent = lines[i];
      }
      items.slice(to - from).forEach((el) => el.remove());
    };
    fill(list, 0, Math.min(lines.length, LIST_SHOWN));
    let more = list.querySelector(':scope > li.more');
    if (lines.length <= LIST_SHOWN) {
      more?.remove();
      return;
    }
    if (!more) {
      more = Object.assign(document.createElement('li'), { className: 'more' });
      const details = document.createElement('details');
      details.append(document.createElement('summary'), document.createElement('ul'));
      more.append(details);
      list.append(more);
    }
    more.querySelector('summary').textContent = t('ui-more-lines', { n: lines.length - LIST_SHOWN });
    fill(more.querySelector('ul'), LIST_SHOWN, lines.length);
  }

  function showError() {
    const message = scope.error();
    const alert = $('alert');
    alert.hidden = !message;
    alert.textContent = message ? t('ui-last-valid', { message }) : '';
    const culprit = scope.error_param();
    // A layer's error ("layers.3") is shown on that layer's row as well.
    for (const row of document.querySelectorAll('.layers tr[data-row]')) {
      const bad = Boolean(message) && culprit === `${row.closest('.param').dataset.name}.${row.dataset.row}`;
      row.classList.toggle('invalid', bad);
    }
    for (const wrap of document.querySelectorAll('.param')) {
      const bad = Boolean(message) && (wrap.dataset.name === culprit || culprit?.startsWith(`${wrap.dataset.name}.`));
      wrap.classList.toggle('invalid', bad);
      const control = $(`param-${wrap.dataset.name}`);
      control?.setAttribute('aria-invalid', bad ? 'true' : 'false');
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
      box.replaceChildren(Object.assign(document.createElement('strong'), { textContent: t('ui-url-warnings') }), list);
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
    button.textContent = on ? t('ui-pause') : t('ui-play');
    button.setAttribute('aria-label', on ? t('ui-pause-label') : t('ui-play-label'));
    // Announce each step only when paused, so a screen reader is not flooded while playing.
    $('step-text').setAttribute('aria-live', on ? 'off' : 'polite');
    if (on) {
      if (scope.step() >= scope.n_steps() || scope.step() === scope.practice_limit()) seek(0);
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
      const from = scope.step();
      seek(from + advance);
      // The last step, or as far as an open practice question lets the picture go.
      if (scope.step() >= scope.n_steps() || scope.step() === from) {
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
        if (scope.practice_pick_hovered()) return refresh();
        return openEditor(scope.editable_hovered(), [8, 40]);
      }
    }
    const keys = {
      ArrowLeft: () => { setPlaying(false); seek(scope.step() - 1); },
      ArrowRight: () => { setPlaying(false); seek(scope.step() + 1); },
      Home: () => { setPlaying(false); seek(0); },
      End: () => { setPlaying(false); seek(scope.n_steps()); },
      ' ': onButton ? null : () => setPlaying(!playing),
      '+': () => zoomBy(1.25),
      '=': () => zoomBy(1.25),
      '-': () => zoomBy(0.8),
      '−': () => zoomBy(0.8),
      0: () => { scope.zoom_fit(); repaint(); },
      f: () => { scope.zoom_follow(); repaint(); },
      F: () => { scope.zoom_follow(); repaint(); },
      p: () => togglePractice(),
      P: () => togglePractice(),
      ...(practising() ? practiceKeys : {}),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  });

  // ---- practice -----------------------------------------------------------------------
  // The core asks and checks; the page shows its words and passes the typed answer on. In
  // an iframe, every checked answer is posted to the host page (to `origin=` when given).
  function practising() {
    return !$('practice-panel').hidden;
  }

  function showPractice() {
    const p = JSON.parse(scope.practice());
    $('practice-panel').hidden = !p;
    document.body.classList.toggle('practising', Boolean(p));
    $('practice-toggle').setAttribute('aria-pressed', String(Boolean(p)));
    if (!p) return;
    const menu = $('practice-kind');
    const kinds = p.kinds.some((k) => k.name === p.kind) ? p.kinds : [{ name: p.kind, label: p.kind }, ...p.kinds];
    if (menu.dataset.kinds !== JSON.stringify(kinds)) {
      menu.dataset.kinds = JSON.stringify(kinds);
      menu.replaceChildren(...kinds.map((k) => new Option(k.label, k.name)));
    }
    menu.value = p.kind;
    $('practice-question').textContent = p.question ?? '';
    setList($('practice-working'), p.working);
    $('practice-answer').inputMode = p.kind === 'value' ? 'decimal' : 'text';
    // A cells question is answered on the picture: no answer box.
    $('practice-answer').hidden = p.kind === 'cells';
    $('practice-answer-label').hidden = p.kind === 'cells';
    const status = $('practice-status');
    if (status.textContent !== (p.feedback ?? '')) status.textContent = p.feedback ?? '';
    status.dataset.status = p.status;
    $('practice-hint-text').textContent = p.hint ?? '';
    $('practice-score').textContent = p.score_text;
    $('practice-tolerance').textContent = p.tolerance;
    const open = p.asked && p.status === 'open';
    for (const id of ['practice-answer', 'practice-check', 'practice-hint', 'practice-show']) $(id).disabled = !open;
    canvas.classList.toggle('choosing', p.kind === 'cells' && open);
    $('practice-next').disabled = !p.asked;
  }

  function togglePractice() {
    setPlaying(false);
    // The first kind this view can ask (a value where there are steps).
    const first = JSON.parse(scope.practice_kinds())[0]?.name ?? 'value';
    scope.set_practice(practising() ? '' : first, 1);
    $('practice-answer').value = '';
    refresh();
    if (practising()) $('practice-answer').focus();
  }

  function checkAnswer() {
    // Enter on an answered question (a shape or field stays on show) asks the next one.
    if (JSON.parse(scope.practice())?.status !== 'open') { practiceKeys.n(); return; }
    const report = scope.practice_check($('practice-answer').value);
    if (report) {
      $('practice-answer').value = '';
      if (window.parent !== window) {
        const origin = JSON.parse(scope.practice())?.origin ?? '*';
        window.parent.postMessage(JSON.parse(report), origin);
      }
    }
    refresh();
    // A shape or field answered right stays on show: Next is the way on.
    const p = JSON.parse(scope.practice());
    const closed = p?.status !== 'open';
    $(closed ? 'practice-next' : p?.kind === 'cells' ? 'practice-check' : 'practice-answer').focus();
  }

  const practiceKeys = {
    h: () => { scope.practice_hint(); refresh(); },
    a: () => { scope.practice_reveal(); refresh(); },
    n: () => {
      scope.practice_next();
      $('practice-answer').value = '';
      refresh();
      // A cells question is answered on the picture, with the keyboard cursor there.
      $(JSON.parse(scope.practice())?.kind === 'cells' ? 'view' : 'practice-answer').focus();
    },
  };
  $('practice-toggle').addEventListener('click', togglePractice);
  $('practice-kind').addEventListener('change', (e) => {
    setPlaying(false);
    scope.set_practice(e.target.value, JSON.parse(scope.practice())?.seed ?? 1);
    $('practice-answer').value = '';
    refresh();
  });
  $('practice-form').addEventListener('submit', (e) => { e.preventDefault(); checkAnswer(); });
  $('practice-hint').addEventListener('click', practiceKeys.h);
  $('practice-show').addEventListener('click', practiceKeys.a);
  $('practice-next').addEventListener('click', practiceKeys.n);
  // In the answer box (a number), H, A and N are the panel's keys.
  $('practice-answer').addEventListener('keydown', (e) => {
    const action = !e.altKey && !e.ctrlKey && !e.metaKey && practiceKeys[e.key.toLowerCase()];
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
    assign($('hover-text'), 'textContent', scope.hover_text() ?? '');
  };

  // ---- zoom and pan -----------------------------------------------------------------------
  function showZoom() {
    const { mode, zoom, cropped } = JSON.parse(scope.zoom_state());
    const text = mode === 'follow' ? (cropped ? t('ui-zoom-following') : t('ui-zoom-whole'))
      : mode === 'fit' ? t('ui-zoom-whole') : t('ui-zoom-percent', { percent: Math.round(zoom * 100) });
    $('zoom-state').textContent = text;
  }
  function repaint() {
    scope.render();
    showZoom();
  }
  const zoomBy = (factor, point) => {
    scope.zoom_at(factor, ...(point ?? [canvas.clientWidth / 2, canvas.clientHeight / 2]));
    repaint();
  };
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    // A pinch on a touchpad arrives as a wheel with ctrlKey and small deltas.
    const speed = e.ctrlKey ? 0.01 : 0.0015;
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    zoomBy(Math.exp(-delta * speed), cssPoint(e));
  }, { passive: false });
  $('zoom-in').addEventListener('click', () => zoomBy(1.25));
  $('zoom-out').addEventListener('click', () => zoomBy(0.8));
  $('zoom-fit').addEventListener('click', () => { scope.zoom_fit(); repaint(); });
  $('zoom-follow').addEventListener('click', () => { scope.zoom_follow(); repaint(); });
  // The pointer's cell, or null when it left the picture (after any move still queued).
  const hoverAt = perFrame((point) => {
    if (point ? scope.hover_at(...point) : scope.hover_clear()) hoverChanged();
  });
  canvas.addEventListener('mousemove', (e) => hoverAt(cssPoint(e)));
  canvas.addEventListener('mouseleave', () => hoverAt(null));
  // Dragging a sampling point (deformable conv) moves its offset; dragging elsewhere pans
  // the picture; two fingers pinch-zoom. A drag is not a click.
  let dragging = false;
  let dragged = false;
  let dragFrame = 0;
  let pan = null; // {x, y, moved}: the last pointer position of a pan
  const pointers = new Map(); // pointerId → [x, y] of the touches on the picture
  let pinch = 0; // the distance between two touches at the last pinch step
  const spread = () => {
    const [a, b] = [...pointers.values()];
    return [Math.hypot(a[0] - b[0], a[1] - b[1]), [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]];
  };
  canvas.addEventListener('pointerdown', (e) => {
    const point = cssPoint(e);
    pointers.set(e.pointerId, point);
    canvas.setPointerCapture(e.pointerId);
    if (pointers.size === 2) {
      dragging = false;
      pan = null;
      pinch = spread()[0];
      return;
    }
    if (scope.overview_at(...point)) {
      dragged = true; // the click that follows is not a cell click
      repaint();
      return;
    }
    if (scope.drag_start(...point)) {
      dragging = true;
      dragged = false;
      e.preventDefault();
      return;
    }
    pan = { x: point[0], y: point[1], moved: false };
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!pointers.has(e.pointerId)) return;
    const point = cssPoint(e);
    pointers.set(e.pointerId, point);
    if (pointers.size === 2 && pinch > 0) {
      const [distance, middle] = spread();
      if (distance > 0) zoomBy(distance / pinch, middle);
      pinch = distance;
      dragged = true;
      return;
    }
    if (pan) {
      const [dx, dy] = [point[0] - pan.x, point[1] - pan.y];
      if (!pan.moved && Math.hypot(dx, dy) < 5) return;
      pan = { x: point[0], y: point[1], moved: true };
      dragged = true;
      canvas.classList.add('panning');
      scope.pan_by(dx, dy);
      repaint();
      return;
    }
    if (!dragging) return;
    dragged = true;
    cancelAnimationFrame(dragFrame);
    dragFrame = requestAnimationFrame(() => {
      try { scope.drag_to(...point); } catch (err) { $('alert').hidden = false; $('alert').textContent = err.message; }
      refresh();
    });
  });
  const pointerEnd = (e) => {
    pointers.delete(e.pointerId);
    if (pointers.size < 2) pinch = 0;
    pan = null;
    canvas.classList.remove('panning');
    if (!dragging) return;
    dragging = false;
    scope.drag_end();
  };
  canvas.addEventListener('pointerup', pointerEnd);
  canvas.addEventListener('pointercancel', pointerEnd);
  canvas.addEventListener('click', (e) => {
    if (dragged) { dragged = false; return; }
    const point = cssPoint(e);
    if (scope.pick_at(...point)) return refresh();
    // A cells question: a click chooses a cell (or takes it back) instead of editing it.
    if (scope.practice_pick_at(...point)) return refresh();
    openEditor(scope.editable_at(...point), point);
  });
  // Opens the value editor for a cell, near `point` (CSS pixels); the editor carries the cell.
  function openEditor(cell, point) {
    if (!cell) return;
    const { label, value, cell: index } = JSON.parse(cell);
    editing = index;
    const editor = $('editor');
    $('editor-label').textContent = t('ui-value-of', { label });
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
      scope.edit_cell(editing, $('editor-value').value);
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
    try { await navigator.clipboard.writeText(url); $('copy-link').textContent = t('ui-link-copied'); } catch (_) { prompt(t('ui-link-prompt'), url); }
  });
  $('copy-embed').addEventListener('click', async () => {
    const attr = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const src = `${location.origin}${location.pathname}?${scope.page_query()}&embed=1`;
    const code = `<iframe src="${attr(src)}" width="800" height="520" style="border:0;max-width:100%" title="${attr(`convscope: ${scope.caption()}`)}" loading="lazy" allow="clipboard-write"></iframe>`;
    try { await navigator.clipboard.writeText(code); $('copy-embed').textContent = t('ui-embed-copied'); } catch (_) { prompt(t('ui-embed-prompt'), code); }
  });
  const download = (blob, name) => {
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };
  const caption = () => $('export-caption').checked;
  $('copy-pytorch').addEventListener('click', async () => {
    let script;
    try {
      script = scope.pytorch_script();
    } catch (err) {
      $('copy-status').textContent = err.message;
      return;
    }
    try {
      await navigator.clipboard.writeText(script);
      $('copy-status').textContent = t('ui-code-copied');
    } catch (_) { prompt(t('ui-code-prompt'), script); }
  });
  $('export-svg').addEventListener('click', () => {
    download(new Blob([scope.export_svg(caption())], { type: 'image/svg+xml' }), `convscope-${scope.operator()}-step${scope.step()}.svg`);
  });
  $('export-png').addEventListener('click', () => {
    const off = document.createElement('canvas');
    scope.paint_export(off, 2, undefined, caption());
    off.toBlob((blob) => download(blob, `convscope-${scope.operator()}-step${scope.step()}.png`), 'image/png');
  });
  // The GIF: every step of the range painted on an off-screen canvas at the picture's size,
  // read back and encoded by the core; one frame per animation frame, so the page stays live
  // and Cancel works.
  let gifRun = 0;
  $('gif-cancel').addEventListener('click', () => { gifRun += 1; });
  $('export-gif').addEventListener('click', async () => {
    const run = ++gifRun;
    const n = scope.n_steps();
    const from = Math.max(0, Math.min(n, Math.round(Number($('gif-from').value) || 0)));
    const to = Math.max(from, Math.min(n, Math.round(Number($('gif-to').value) || n)));
    const fps = Number($('gif-fps').value) || 2;
    const off = document.createElement('canvas');
    const ctx = off.getContext('2d', { willReadFrequently: true });
    const pixels = (step) => {
      scope.paint_export(off, 1, step, caption());
      return ctx.getImageData(0, 0, off.width, off.height).data;
    };
    const status = $('gif-status');
    const progress = $('gif-progress');
    const done = (text) => {
      $('gif-cancel').hidden = true;
      progress.hidden = true;
      $('export-gif').disabled = false;
      status.textContent = text;
    };
    try {
      $('export-gif').disabled = true;
      $('gif-cancel').hidden = false;
      progress.hidden = false;
      const first = pixels(from);
      scope.gif_begin(off.width, off.height, fps, $('gif-loop').checked ? 0 : 1, first, pixels(to));
      const started = performance.now();
      for (let step = from; step <= to; step += 1) {
        if (run !== gifRun) { scope.gif_cancel(); done(t('ui-gif-cancelled')); return; }
        scope.gif_add_frame(step === from ? first : pixels(step));
        progress.value = (step - from + 1) / (to - from + 1);
        status.textContent = t('ui-gif-frame', { i: step - from + 1, n: to - from + 1 });
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      const bytes = scope.gif_finish();
      download(new Blob([bytes], { type: 'image/gif' }), `convscope-${scope.operator()}-steps${from}-${to}.gif`);
      done(t('ui-gif-done', { n: to - from + 1, kb: Math.round(bytes.length / 1024), ms: Math.round(performance.now() - started) }));
    } catch (err) {
      scope.gif_cancel();
      done(t('ui-gif-failed', { message: err.message }));
    }
  });

  // ---- size -----------------------------------------------------------------------------
  const wrap = $('canvas-wrap');
  const fit = () => {
    scope.resize(wrap.clientWidth, wrap.clientHeight, window.devicePixelRatio || 1);
    scope.render();
  };
  new ResizeObserver(fit).observe(wrap);
  // In a frame, tell the host page how tall the content is, so it can size the iframe.
  if (embed.on && window.parent !== window) {
    let posted = 0;
    const postHeight = () => {
      const height = Math.ceil($('embed-bar').closest('.stage').scrollHeight);
      if (height === posted) return;
      posted = height;
      window.parent.postMessage({ type: 'convscope:height', height }, '*');
    };
    new ResizeObserver(postHeight).observe(document.querySelector('.stage'));
    app.postHeight = postHeight;
  }

  buildOperatorMenu();
  buildParams();
  scope.resize(wrap.clientWidth, wrap.clientHeight, window.devicePixelRatio || 1);
  refresh();
  showWarnings();
  performance.mark('convscope:first-paint');
  return scope;
}
