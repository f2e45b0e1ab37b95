// The page as a student uses it: operator menu, sliders, URL state, errors, embed mode,
// keyboard, hover and cell editing, all in headless Chromium.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankCanvasHash, canvasHash, openPage, screenshot } from './harness.mjs';

/** Opens a page, runs `body`, checks no console problems, always closes. */
/**
 * Canvas points (CSS px, relative to the canvas) where `probe` holds, scanned row by row from
 * `top`, across the left `share` of the canvas, every `step` px; points within 20 px of one
 * already found are skipped, and without `all` the first one found is returned alone.
 * `probe` is `editable`, `handle`, or the start of a hover sentence.
 */
async function findSpots(page, probe, { step = 3, top = 40, left = 5, share = 1, all = false } = {}) {
  const box = await page.locator('#view').boundingBox();
  const spots = await page.evaluate(({ width, height, probe, step, top, left, share, all }) => {
    const scope = window.convscope.scope;
    const hit = (x, y) => {
      if (probe === 'editable') return scope.editable_at(x, y);
      if (probe === 'handle') return scope.handle_at(x, y);
      scope.hover_at(x, y);
      return (scope.hover_text() ?? '').startsWith(probe);
    };
    const found = [];
    for (let y = top; y < height; y += step) {
      for (let x = left; x < width * share; x += step) {
        if (hit(x, y) && !found.some((s) => Math.hypot(s.x - x, s.y - y) < 20)) {
          found.push({ x, y });
          if (!all) return found;
        }
      }
    }
    return found;
  }, { ...box, probe, step, top, left, share, all });
  return { box, spots };
}

async function withPage(path, body, options) {
  const session = await openPage(path, options);
  try {
    await body(session);
    assert.deepEqual(session.problems, [], 'console errors or warnings');
  } finally {
    await session.close();
  }
}

const query = (page) => page.evaluate(() => location.search);
const waitForQuery = (page, fragment) =>
  page.waitForFunction((f) => location.search.includes(f), fragment, { timeout: 5000 });

test('every control has a visible label, and the operator menu comes from the registry', async () => {
  await withPage('', async ({ page }) => {
    // Every control on screen (a per-axis control hides its second slider until its axes differ).
    const labels = await page.$$eval('#params input, #params select, #operator', (controls) =>
      controls.filter((c) => c.checkVisibility()).map((c) => {
        // A <label for> or, in tables, the visible header cells named by aria-labelledby.
        const named = c.getAttribute('aria-labelledby')?.split(' ').map((id) => document.getElementById(id)) ?? [];
        const sources = [document.querySelector(`label[for="${c.id}"]`), ...named].filter(Boolean);
        const visible = sources.length > 0 && sources.every((e) => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
        return { id: c.id, text: sources.map((e) => e.textContent.trim()).join(' '), visible };
      }),
    );
    assert.ok(labels.length >= 10, `only ${labels.length} controls`);
    for (const { id, text, visible } of labels) {
      assert.ok(text.length > 0 && visible, `control #${id} has no visible label`);
    }
    assert.equal(await page.locator('label[for="operator"]').textContent(), 'Operator');
    const options = await page.$$eval('#operator option', (o) => o.map((x) => x.value));
    assert.deepEqual(options.slice(0, 2), ['conv2d', 'conv_transpose2d']);
  });
});

test('switching operator and moving Stride change the canvas and the URL; reloading restores it', async () => {
  await withPage('', async ({ page }) => {
    const first = await canvasHash(page);
    await page.selectOption('#operator', 'conv_transpose2d');
    await waitForQuery(page, 'op=conv_transpose2d');
    const transposed = await canvasHash(page);
    assert.notEqual(transposed, first, 'the canvas did not change with the operator');
    assert.ok(await page.locator('#param-output_padding').count(), 'transposed conv has an Output padding slider');

    await page.focus('#param-stride');
    await page.keyboard.press('ArrowRight'); // 2 → 3
    await waitForQuery(page, 'stride=3');
    assert.equal(await page.locator('#param-stride-value').textContent(), '3');
    const strided = await canvasHash(page);
    assert.notEqual(strided, transposed, 'the canvas did not change with the stride');
    await page.keyboard.press('Escape');
    await page.focus('#view');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await waitForQuery(page, 'step=2');
    const stepped = await canvasHash(page);
    const url = page.url();
    await screenshot(page, 'transposed-stride3');

    await page.goto(url);
    await page.waitForFunction(() => window.convscope?.renders > 0);
    await page.evaluate(() => window.convscope.ready);
    assert.equal(await canvasHash(page), stepped, 'reloading the URL did not restore the same picture');
    assert.equal(await page.$eval('#param-stride', (s) => s.value), '3');
    assert.equal(await page.$eval('#operator', (s) => s.value), 'conv_transpose2d');
  });
});

test('an invalid combination shows the alert, keeps the last picture, and recovers', async () => {
  await withPage('?op=conv2d&height=3&width=3', async ({ page }) => {
    assert.equal(await page.locator('#alert').isVisible(), false);
    const before = await canvasHash(page);
    await page.focus('#param-kernel_size');
    await page.keyboard.press('ArrowRight'); // 3 → 4: wider than the 3×3 input
    const alert = page.locator('[role="alert"]#alert');
    await alert.waitFor({ state: 'visible' });
    assert.match(await alert.textContent(), /dilated kernel spans 4 rows but the padded input has 3/);
    assert.equal(await page.$eval('#param-kernel_size', (c) => c.getAttribute('aria-invalid')), 'true');
    assert.equal(await canvasHash(page), before, 'the last valid picture must stay');
    await screenshot(page, 'invalid-kernel');

    await page.focus('#param-padding');
    await page.keyboard.press('ArrowRight'); // padding 1 makes it valid again
    await alert.waitFor({ state: 'hidden' });
    assert.notEqual(await canvasHash(page), before);
  });
});

test('bad URL values are reported and replaced by defaults, without a crash', async () => {
  await withPage('?op=conv2d&stride=abc&padding=999&kernel_size=-4&step=zz&bogus=1', async ({ page }) => {
    const warnings = page.locator('#warnings');
    await warnings.waitFor({ state: 'visible' });
    const text = await warnings.textContent();
    assert.match(text, /Stride must be a whole number/);
    assert.match(text, /Padding must be between 0 and 10, not 999/);
    assert.match(text, /unknown parameter/);
    assert.equal(await page.$eval('#param-stride', (s) => s.value), '1');
    assert.notEqual(await canvasHash(page), await blankCanvasHash(page));
    await page.waitForFunction(() => !location.search.includes('bogus'), null, { timeout: 5000 });
    assert.match(await query(page), /op=conv2d/, 'the URL is rewritten to valid values');
  });
  await withPage('?op=conv2d&height=2&width=2&kernel_size=9', async ({ page }) => {
    assert.match(await page.locator('#warnings').textContent(), /no valid output/);
  });
});

test('embed mode shows only the visualisation and its playback controls', async () => {
  await withPage('?op=conv_transpose2d&view=scatter&step=4&embed=1', async ({ page }) => {
    assert.equal(await page.locator('#operator').isVisible(), false);
    assert.equal(await page.locator('#params').isVisible(), false);
    assert.equal(await page.locator('header.site').isVisible(), false);
    assert.ok(await page.locator('#play').isVisible());
    assert.ok(await page.locator('#scrub').isVisible());
    assert.notEqual(await canvasHash(page), await blankCanvasHash(page));
    assert.match(await page.locator('#step-text').textContent(), /Step 4 of/);
    await screenshot(page, 'embed');
    await page.locator('#next').click();
    await waitForQuery(page, 'embed=1');
    await waitForQuery(page, 'step=5');
  }, { viewport: { width: 800, height: 500 } });
});

test('arrow keys, Home/End and Space drive the steps; the live region follows', async () => {
  await withPage('?op=conv2d', async ({ page }) => {
    const status = page.locator('[role="status"]#step-text');
    assert.match(await status.textContent(), /Before the first of 9 steps/);
    await page.focus('#view');
    await page.keyboard.press('ArrowRight');
    assert.match(await status.textContent(), /^Step 1 of 9, kernel sweep: y\[0,0,0,0\] = .* = /);
    const one = await status.textContent();
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await status.textContent(), one);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await status.textContent(), one);
    await page.keyboard.press('End');
    assert.match(await status.textContent(), /^Step 9 of 9/);
    await page.keyboard.press('Home');
    assert.match(await status.textContent(), /Before the first/);
    // Space plays; at 64 steps/s the 9 steps finish quickly and playback stops by itself.
    await page.selectOption('#speed', '64');
    await page.focus('#view');
    await page.keyboard.press(' ');
    await page.waitForFunction(() => document.getElementById('step-text').textContent.startsWith('Step 9 of 9'), null, { timeout: 5000 });
    assert.match(await page.locator('#play').textContent(), /Play/);
  });
});

test('hovering shows correspondences; clicking an input cell edits it and the edit lives in the URL', async () => {
  await withPage('?op=conv2d&step=1', async ({ page }) => {
    const before = await canvasHash(page);
    // Find an editable input cell by scanning the left part of the canvas.
    const { box, spots: [spot] } = await findSpots(page, 'editable', { step: 6, left: 10, share: 0.5 });
    assert.ok(spot, 'no editable cell found on the canvas');
    await page.mouse.move(box.x + spot.x, box.y + spot.y);
    const hovered = await canvasHash(page);
    assert.notEqual(hovered, before, 'hovering an input cell changes the picture');
    // A hover repaints over the kept picture of the step: the same pixels as a frame
    // painted whole (a resize and back repaints everything; the second of two new pictures
    // in a row, as in playback, is painted straight onto the canvas, without the layer).
    await page.evaluate(() => {
      const scope = window.convscope.scope;
      const view = document.getElementById('view');
      const [w, h, dpr] = [view.clientWidth, view.clientHeight, window.devicePixelRatio || 1];
      scope.resize(w + 20, h, dpr);
      scope.render();
      scope.resize(w, h, dpr);
      scope.render();
    });
    assert.equal(await canvasHash(page), hovered, 'a hovered frame over the kept base equals one painted whole');
    // Hovering away paints the picture into the layer again; hovering back reuses it.
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.mouse.move(box.x + spot.x, box.y + spot.y);
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
    assert.equal(await canvasHash(page), hovered, 'hovering away and back gives the same picture');
    await page.mouse.click(box.x + spot.x, box.y + spot.y);
    const editor = page.locator('#editor');
    await editor.waitFor({ state: 'visible' });
    assert.match(await page.locator('#editor-label').textContent(), /Value of x\[0,0,\d,\d\]/);
    await page.fill('#editor-value', '9');
    await page.keyboard.press('Enter');
    await editor.waitFor({ state: 'hidden' });
    await waitForQuery(page, 'edits=x.');
    assert.match(await page.locator('#step-text').textContent(), /Step 1 of 9/);
    // A non-number is refused with a message, and the editor stays open.
    await page.mouse.click(box.x + spot.x, box.y + spot.y);
    await editor.waitFor({ state: 'visible' });
    await page.fill('#editor-value', 'twelve');
    await page.keyboard.press('Enter');
    assert.match(await page.locator('#alert').textContent(), /not a number/);
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'hidden' });
  });
});

test('the canvas is drawn at device resolution on high-DPI screens', async () => {
  await withPage('?op=conv2d', async ({ page }) => {
    const size = await page.$eval('#view', (c) => ({ w: c.width, cw: c.clientWidth, h: c.height, ch: c.clientHeight }));
    assert.equal(size.w, Math.round(size.cw * 2));
    assert.equal(size.h, Math.round(size.ch * 2));
    await screenshot(page, 'hidpi');
  }, { deviceScaleFactor: 2 });
});

test('keyboard only: a cell cursor describes correspondences and edits a cell', async () => {
  await withPage('?op=conv2d', async ({ page }) => {
    await page.focus('#view');
    const before = await canvasHash(page);
    await page.keyboard.press('Shift+ArrowRight'); // the cursor appears on x[0,0,0,0]
    await page.keyboard.press('Shift+ArrowRight'); // … and moves to x[0,0,0,1]
    assert.match(await page.locator('#hover-text').textContent(), /^x\[0,0,0,1\] = .*; feeds 2 of y: y\[0,0,0,0\], y\[0,0,0,1\]$/);
    assert.notEqual(await canvasHash(page), before, 'the cursor is drawn');
    await page.keyboard.press(']'); // to the weight grid
    assert.match(await page.locator('#hover-text').textContent(), /^w\[0,0,0,1\]/);
    await page.keyboard.press('Enter');
    await page.locator('#editor').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'editor-value');
    await page.keyboard.type('4');
    await page.keyboard.press('Enter');
    await waitForQuery(page, 'edits=w.0.0.0.1%3A4');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'view', 'focus returns to the picture');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#hover-text').textContent(), '');
  });
});

test('every operator in the menu is selectable, draws, steps and round-trips through its URL', async () => {
  await withPage('', async ({ page }) => {
    const names = await page.$$eval('#operator option', (options) => options.map((o) => o.value));
    assert.ok(names.length >= 6, `only ${names.length} operators`);
    const seen = new Set();
    for (const name of names) {
      await page.selectOption('#operator', name);
      await waitForQuery(page, `op=${name}`);
      const hash = await canvasHash(page);
      assert.notEqual(hash, await blankCanvasHash(page), `${name} draws nothing`);
      assert.ok(!seen.has(hash), `${name} draws the same picture as another operator`);
      seen.add(hash);
      assert.ok((await page.locator('#formula li').count()) > 0, `${name} shows no formula`);
      await page.focus('#view');
      await page.keyboard.press('End');
      if (Number(await page.$eval('#scrub', (s) => s.max)) > 1) await page.keyboard.press('ArrowLeft');
      const text = await page.locator('#step-text').textContent();
      assert.match(text, /^Step \d+ of \d+, /, `${name} step text`);
      // The URL catches up with the page (it leaves out the step a page opens at).
      await page.waitForFunction(() => location.search.slice(1) === window.convscope.scope.query(), null, { timeout: 5000 });
      const url = page.url();
      const stepped = await canvasHash(page);
      await screenshot(page, `operator-${name}`);
      await page.goto(url);
      await page.evaluate(() => window.convscope.ready);
      assert.equal(await canvasHash(page), stepped, `${name}: reloading ${url} changed the picture`);
    }
  });
});

test('invalid channel and size settings of the upsampling operators are explained', async () => {
  const cases = [
    ['?op=pixel_shuffle', 'in_channels', 'ArrowRight', /5 channels must be divisible by upscale_factor² = 4/],
    ['?op=pixel_unshuffle', 'height', 'ArrowRight', /height 5 must be divisible by downscale_factor 2/],
    ['?op=bilinear_additive_upsample', 'channels', 'ArrowLeft', /3 channels must be divisible by channel_group 4/],
  ];
  for (const [path, control, key, message] of cases) {
    await withPage(path, async ({ page }) => {
      await page.focus(`#param-${control}`);
      await page.keyboard.press(key);
      const alert = page.locator('#alert');
      await alert.waitFor({ state: 'visible' });
      assert.match(await alert.textContent(), message);
      assert.equal(await page.$eval(`#param-${control}`, (c) => c.getAttribute('aria-invalid')), 'true');
    });
  }
});

test('layer-stack editor: a preset, a changed rate, an added layer, and errors beside their layer', async () => {
  await withPage('?op=receptive_field&preset=hdc_123', async ({ page }) => {
    const facts = () => page.locator('#facts').textContent();
    assert.match(await facts(), /on rates \[1, 2, 3\].*→ the rule predicts no gridding/);
    assert.match(await facts(), /map of one interior output pixel through these 3 layers: 0 of the 13 cells across its field are holes → no gridding/);
    assert.equal(await page.locator('#param-layers tbody tr').count(), 3);
    const before = await canvasHash(page);
    await screenshot(page, 'stack-hdc123');

    // Rate 2 → 4 in layer 2: [1, 4, 3] fails Wang et al.'s test (M₂ = 5 > 3), yet its map has
    // no holes: the page shows both and says why; the preset becomes custom.
    await page.fill('#param-layers-1-dilation', '4');
    await page.locator('#param-layers-1-dilation').dispatchEvent('change');
    await waitForQuery(page, 'preset=custom');
    await waitForQuery(page, 'layers=c3p1%2Cc3p2d4%2Cc3p3d3');
    assert.match(await facts(), /on rates \[1, 4, 3\].*M₂ > K.*→ the rule predicts gridding/);
    assert.match(await facts(), /0 of the 17 cells across its field are holes → no gridding/);
    assert.match(await facts(), /M₂ = 5 > K = 3, yet the map has no holes/);
    assert.doesNotMatch(await facts(), /a schedule without holes/);
    const changed = await canvasHash(page);
    assert.notEqual(changed, before, 'the gridding map did not change');

    // Add a layer: a copy of the last one, in the table and the URL.
    await page.click('#param-layers-add');
    assert.equal(await page.locator('#param-layers tbody tr').count(), 4);
    await waitForQuery(page, 'c3p3d3*2');
    assert.notEqual(await canvasHash(page), changed);

    // A kernel that no longer fits is reported on its own row, and the picture stays.
    const last = await canvasHash(page);
    await page.fill('#param-input_size', '1');
    await page.fill('#param-layers-0-kernel_size', '60');
    await page.locator('#param-layers-0-kernel_size').dispatchEvent('change');
    await page.locator('#alert').waitFor({ state: 'visible' });
    assert.match(await page.locator('#alert').textContent(), /layer 1: its 60-cell dilated kernel does not fit/);
    assert.equal(await page.locator('#param-layers-row-0.invalid').count(), 1);
    assert.equal(await canvasHash(page), last);

    // A preset replaces the stack (on a 33×33 input again).
    await page.fill('#param-input_size', '33');
    await page.selectOption('#param-preset', 'grid_248');
    await waitForQuery(page, 'preset=grid_248');
    assert.equal(await page.locator('#param-layers tbody tr').count(), 3);
    assert.equal(await page.$eval('#param-layers-2-dilation', (i) => i.value), '8');
    assert.match(await facts(), /holes \(gridding\)/);
    // 2, 4, 8 grids by both counts, and no three 3-tap layers can cover its 29-cell field.
    assert.match(await facts(), /14 of the 29 cells across its field are holes → gridding/);
    assert.match(await facts(), /no group of 3 rates with this 29-cell field can avoid holes/);
    await screenshot(page, 'stack-grid248');
  });
});

test('ASPP view: branches overlaid on one map, their sum, presets and a custom rate', async () => {
  await withPage('?op=aspp&preset=aspp_l&map_size=13&out_row=0&out_col=0', async ({ page }) => {
    const facts = () => page.locator('#facts').textContent();
    assert.match(await facts(), /rate 6: 4 of 9 taps on the map at \(0, 0\)/);
    assert.match(await facts(), /rate 24: 1 of 9 taps on the map at \(0, 0\).*a 1×1 conv/);
    await page.focus('#view');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    assert.match(
      await page.locator('#step-text').textContent(),
      /^Step 1 of 169, branches and their sum: y6\[0,0,0,0\] = .* \(5 of 9 taps read padding\); y12.*; y\[0,0,0,0\] = .* = /,
    );
    const before = await canvasHash(page);
    await page.selectOption('#param-preset', 'largefov');
    await waitForQuery(page, 'preset=largefov');
    assert.match(await facts(), /rate 12: /);
    assert.doesNotMatch(await facts(), /rate 6: /);
    assert.notEqual(await canvasHash(page), before);
    await page.focus('#param-rate1');
    await page.keyboard.press('ArrowRight');
    await waitForQuery(page, 'preset=custom');
    assert.match(await facts(), /rate 13: /);
    await screenshot(page, 'aspp');
  });
});

test('clicking the gridding map chooses the output pixel', async () => {
  await withPage('?op=receptive_field&preset=hdc_123', async ({ page }) => {
    // Find a map cell away from the centre by asking the page what is under the pointer.
    const { box, spots: [spot] } = await findSpots(page, 'n[0,0,10,', { step: 5, top: 60, left: 10 });
    assert.ok(spot, 'no map cell in row 10 found');
    await page.mouse.click(box.x + spot.x, box.y + spot.y);
    await waitForQuery(page, 'out_row=10');
    assert.match(await page.locator('#facts').textContent(), /coverage/);
    assert.match(await page.$eval('#param-out_row', (s) => s.value), /^10$/);
  });
});

test('a deep stack folds its per-layer facts after 24 lines; opened, they stay open and follow the sliders', async () => {
  await withPage('?op=receptive_field&preset=custom&layers=c3d2p2*40&input_size=64', async ({ page }) => {
    const shown = () => page.$$eval('#facts > li:not(.more)', (items) => items.map((li) => li.textContent));
    const folded = () => page.$$eval('#facts li.more li', (items) => items.map((li) => li.textContent));
    assert.equal((await shown()).length, 24);
    assert.equal(await page.locator('#facts li.more summary').textContent(), `${(await folded()).length} more lines`);
    assert.ok(!(await page.$eval('#facts li.more details', (d) => d.open)), 'the rest starts folded');
    assert.match((await folded()).at(-1), /^layer +40 conv k3 s1 p2 d2: .*map 64×64$/);
    await page.click('#facts li.more summary');
    await page.evaluate(() => {
      const input = document.getElementById('param-input_size');
      input.value = '60';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await waitForQuery(page, 'input_size=60');
    assert.ok(await page.$eval('#facts li.more details', (d) => d.open), 'an opened fold stays open');
    assert.match((await folded()).at(-1), /^layer +40 conv k3 s1 p2 d2: .*map 60×60$/);
    // Nothing lost or repeated: the lines, in order, are the run's facts.
    const all = [...(await shown()), ...(await folded())];
    assert.deepEqual(all, JSON.parse(await page.evaluate(() => JSON.stringify(window.convscope.scope.facts()))));
  });
});

test('deform_conv2d: a preset, the overview, and dragging a sampling point', async () => {
  await withPage('?op=deform_conv2d&step=9&input_values=random', async ({ page }) => {
    const text = () => page.locator('#step-text').textContent();
    const zoomed = await canvasHash(page);
    await page.selectOption('#param-offsets', 'rotate');
    await waitForQuery(page, 'offsets=rotate');
    assert.notEqual(await canvasHash(page), zoomed);
    await page.selectOption('#param-overview', 'on');
    await waitForQuery(page, 'overview=on');
    await screenshot(page, 'deform-overview');

    // Find a sampling point of the current step and drag it 40 pixels right.
    const { box, spots: [spot] } = await findSpots(page, 'handle');
    assert.ok(spot, 'no draggable sampling point found');
    const before = await text();
    await page.mouse.move(box.x + spot.x, box.y + spot.y);
    await page.mouse.down();
    await page.mouse.move(box.x + spot.x + 20, box.y + spot.y + 10, { steps: 4 });
    await page.mouse.move(box.x + spot.x + 40, box.y + spot.y + 20, { steps: 4 });
    await page.mouse.up();
    await waitForQuery(page, 'edits=o.');
    assert.notEqual(await text(), before, 'the step text follows the dragged point');
    assert.equal(await page.locator('#editor').isVisible(), false, 'a drag does not open the cell editor');
    await screenshot(page, 'deform-dragged');
    // The dragged offset survives a reload.
    const url = page.url();
    const dragged = await text();
    await page.goto(url);
    await page.evaluate(() => window.convscope.ready);
    assert.equal(await text(), dragged);
  });
});

test('RoI view: deformable pooling and its baselines on the same RoI', async () => {
  await withPage('?op=deform_roi_pool&step=5', async ({ page }) => {
    const text = () => page.locator('#step-text').textContent();
    assert.match(await text(), /^Step 5 of 9, deformable RoI bins: y\[0,0,1,1\] = /);
    const deform = await canvasHash(page);
    await page.selectOption('#param-method', 'align');
    await waitForQuery(page, 'method=align');
    assert.match(await text(), /RoIAlign bins/);
    assert.notEqual(await canvasHash(page), deform);
    await page.selectOption('#param-method', 'pool');
    await waitForQuery(page, 'method=pool');
    assert.match(await text(), /RoI max pooling: y\[0,0,1,1\] = max\(/);
    await screenshot(page, 'roi-pool');
    // An inverted RoI is explained beside its control; the picture stays.
    const pooled = await canvasHash(page);
    await page.fill('#param-x2', '1');
    await page.locator('#alert').waitFor({ state: 'visible' });
    assert.match(await page.locator('#alert').textContent(), /the RoI is inverted: x2/);
    assert.equal(await canvasHash(page), pooled);
  });
});

test('RoI view: dragging a corner resizes the RoI', async () => {
  await withPage('?op=deform_roi_pool&method=align', async ({ page }) => {
    const { box, spots: [spot] } = await findSpots(page, 'handle', { step: 2, share: 0.5 });
    assert.ok(spot, 'no RoI corner found');
    const before = await canvasHash(page);
    await page.mouse.move(box.x + spot.x, box.y + spot.y);
    await page.mouse.down();
    await page.mouse.move(box.x + spot.x + 60, box.y + spot.y + 60, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => /[?&]x1=\d/.test(location.search) && /[?&]y1=\d/.test(location.search), null, { timeout: 5000 });
    assert.notEqual(await canvasHash(page), before);
    assert.match(await page.locator('#facts').textContent(), /^RoI \(/);
    await screenshot(page, 'roi-dragged');
  });
});

test('deformable RoI pooling: dragging a bin sets its offset', async () => {
  await withPage('?op=deform_roi_pool&offsets=zero&step=5', async ({ page }) => {
    // All handles (bins and corners); the middle one of the 3×3 bins is the centre bin.
    const { box, spots } = await findSpots(page, 'handle', { step: 2, share: 0.5, all: true });
    assert.ok(spots.length >= 9, `found ${spots.length} handles`);
    const cx = spots.reduce((a, s) => a + s.x, 0) / spots.length;
    const cy = spots.reduce((a, s) => a + s.y, 0) / spots.length;
    const centre = spots.reduce((best, s) => (Math.hypot(s.x - cx, s.y - cy) < Math.hypot(best.x - cx, best.y - cy) ? s : best));
    const before = await page.locator('#step-text').textContent();
    await page.mouse.move(box.x + centre.x, box.y + centre.y);
    await page.mouse.down();
    await page.mouse.move(box.x + centre.x + 30, box.y + centre.y + 20, { steps: 4 });
    await page.mouse.up();
    await waitForQuery(page, 'edits=o.0.0.1.1');
    assert.notEqual(await page.locator('#step-text').textContent(), before);
    await screenshot(page, 'roi-bin-dragged');
  });
});

test('a strict Content-Security-Policy is served and declared, and nothing on the page breaks it', async () => {
  await withPage('?op=conv2d', async ({ page }) => {
    const response = await page.request.get(page.url());
    const header = response.headers()['content-security-policy'];
    for (const directive of ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"]) {
      assert.ok(header.includes(directive), `the served policy lacks ${directive}: ${header}`);
    }
    assert.ok(!header.includes('frame-ancestors'), 'course pages must be able to embed the page');
    assert.equal(response.headers()['x-content-type-options'], 'nosniff');
    const meta = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
    assert.equal(meta.replace("; connect-src 'self'", ''), header.replace("; connect-src 'self'", ''));
    assert.equal(await page.$$eval('*', (all) => all.filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length), 0);
    // Drive what sets styles and submits forms: the value editor and a control.
    await page.click('#view', { position: { x: 200, y: 140 } });
    await page.keyboard.press('Escape');
    await page.focus('#param-stride');
    await page.keyboard.press('ArrowRight');
    await waitForQuery(page, 'stride=2');
  });
});

test('per-axis controls: rows and columns apart, padding same and valid, all in the URL', async () => {
  await withPage('?op=conv2d&height=6&width=6', async ({ page }) => {
    assert.equal(await page.locator('#param-stride-cols').isVisible(), false, 'one slider while the axes agree');
    await page.uncheck('#param-stride-same');
    assert.ok(await page.locator('#param-stride-cols').isVisible());
    await page.focus('#param-stride');
    await page.keyboard.press('ArrowRight'); // rows 1 → 2, columns stay 1
    await waitForQuery(page, 'stride=2%2C1');
    assert.match(await page.locator('#formula').textContent(), /H_out = .*\/ 2⌋ \+ 1 = 2.*W_out = .*\/ 1⌋ \+ 1 = 4/s);
    await page.uncheck('#param-kernel_size-same');
    await page.focus('#param-kernel_size-cols');
    await page.keyboard.press('ArrowLeft'); // a 3×2 kernel
    await waitForQuery(page, 'kernel_size=3%2C2');
    assert.match(await page.locator('#facts').textContent(), /weights: 1·1·3·2 = 6/);
    // A URL with both axes reopens with the axes apart.
    await page.goto(page.url());
    await page.evaluate(() => window.convscope.ready);
    assert.equal(await page.$eval('#param-stride-same', (c) => c.checked), false);
    assert.equal(await page.$eval('#param-stride-cols', (c) => c.value), '1');

    // padding="same" keeps the size (refused with a stride, as in PyTorch), "valid" adds none.
    await page.selectOption('#param-padding-mode', 'same');
    await page.locator('#alert').waitFor({ state: 'visible' });
    assert.match(await page.locator('#alert').textContent(), /padding='same' is not supported for strided convolutions/);
    await page.check('#param-stride-same');
    await page.locator('#param-stride').fill('1');
    await page.locator('#param-stride').dispatchEvent('input');
    await page.locator('#alert').waitFor({ state: 'hidden' });
    await waitForQuery(page, 'padding=same');
    assert.match(await page.locator('#formula').textContent(), /padding='same'.*1 above, 1 below, 0 left, 1 right/);
    await screenshot(page, 'conv2d-padding-same');
  });
});

test('pooling offers dilation (max) and count_include_pad (average)', async () => {
  await withPage('?op=max_pool2d&dilation=2&kernel_size=2&stride=1&padding=0', async ({ page }) => {
    assert.equal(await page.$eval('#param-dilation', (s) => s.value), '2');
    assert.match(await page.locator('#facts').textContent(), /2×2 = 4 taps spread over 3×3 cells/);
    await page.focus('#view');
    await page.keyboard.press('ArrowRight');
    assert.match(await page.locator('#step-text').textContent(), /max\(/);
  });
  await withPage('?op=avg_pool2d&count_include_pad=false', async ({ page }) => {
    await page.focus('#view');
    await page.keyboard.press('ArrowRight');
    // The first window holds 4 input cells and 5 padding cells, which this divisor leaves out.
    assert.match(await page.locator('#step-text').textContent(), /\) \/ 4 = /);
    assert.match(await page.locator('#facts').textContent(), /count_include_pad=False/);
  });
});

test('interpolate draws bicubic’s 16 weighted taps, nearest-exact and area', async () => {
  await withPage('?op=interpolate&mode=bicubic&height=5&width=5&step=15', async ({ page }) => {
    const text = await page.locator('#step-text').textContent();
    assert.match(text, /the bicubic sample of x at row 0\.25, column 1\.75/);
    assert.match(text, /\(12 terms\)/);
    await screenshot(page, 'interpolate-bicubic');
  });
  for (const [mode, pattern] of [['nearest-exact', /⌊\(dst \+ ½\)/], ['area', /window = /]]) {
    await withPage(`?op=interpolate&mode=${mode}&scale_factor=0.5&height=6&width=6`, async ({ page }) => {
      assert.match(await page.locator('#formula').textContent(), pattern);
    });
  }
});

test('interpolate disables the controls the current setting does not read', async () => {
  await withPage('?op=interpolate', async ({ page }) => {
    const disabled = (name) => page.locator(`#param-${name}`).isDisabled();
    assert.equal(await disabled('out_height'), true, 'output size is not read under scale_factor');
    assert.equal(await disabled('out_width'), true);
    assert.equal(await disabled('scale_factor'), false);
    await page.selectOption('#param-resize_by', 'size');
    await waitForQuery(page, 'resize_by=size');
    assert.equal(await disabled('out_height'), false);
    assert.equal(await disabled('scale_factor'), true, 'scale_factor is not read when resizing by size');
    assert.match(await page.locator('.param[data-name="scale_factor"]').getAttribute('title'), /Used only when Resize by is scale_factor/);
    await page.selectOption('#param-mode', 'nearest');
    await waitForQuery(page, 'mode=nearest');
    assert.equal(await disabled('align_corners'), true, 'align_corners is for bilinear and bicubic only');
  });
});

test('an invalid slider value never reaches the address bar or Copy link', async () => {
  await withPage('?op=conv2d&stride=2', async ({ page }) => {
    await page.locator('#param-groups').fill('3');
    await page.waitForFunction(() => !document.querySelector('#param-groups-error').hidden);
    await page.waitForTimeout(400);
    assert.doesNotMatch(await query(page), /groups=/, 'the URL keeps the last valid setting');
    await page.evaluate(() => { navigator.clipboard.writeText = async (text) => { window.copied = text; }; });
    await page.click('#copy-link');
    const copied = await page.evaluate(() => window.copied ?? '');
    assert.match(copied, /\?op=conv2d&stride=2$/, copied);
  });
});

test('on a touch phone: tap to step, tap a cell to edit it, touch-drag a RoI corner', async () => {
  const phone = { viewport: { width: 390, height: 844 }, hasTouch: true };
  await withPage('?op=conv2d', async ({ page }) => {
    const text = () => page.locator('#step-text').textContent();
    await page.tap('#next');
    assert.match(await text(), /^Step 1 of /);
    await page.tap('#next');
    assert.match(await text(), /^Step 2 of /);
    const { box, spots: [spot] } = await findSpots(page, 'editable');
    assert.ok(spot, 'no editable cell found');
    await page.touchscreen.tap(box.x + spot.x, box.y + spot.y);
    await page.locator('#editor').waitFor({ state: 'visible' });
  }, phone);
  await withPage('?op=deform_roi_pool&method=align', async ({ page }) => {
    const { box, spots: [spot] } = await findSpots(page, 'handle', { step: 2, share: 0.5 });
    assert.ok(spot, 'no RoI corner found');
    const cdp = await page.context().newCDPSession(page);
    const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent', {
      type, touchPoints: type === 'touchEnd' ? [] : [{ x: box.x + x, y: box.y + y }],
    });
    await touch('touchStart', spot.x, spot.y);
    for (let i = 1; i <= 6; i += 1) await touch('touchMove', spot.x + 8 * i, spot.y + 8 * i);
    await touch('touchEnd');
    await page.waitForFunction(() => /[?&]x1=\d/.test(location.search), null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => window.scrollX), 0, 'the drag does not scroll the page sideways');
  }, phone);
});

test('receptive field: a pasted print(model) becomes the layer stack; an unreadable line is named', async () => {
  await withPage('?op=receptive_field', async ({ page }) => {
    await page.click('#param-layers-model summary');
    const vgg = [
      'Sequential(',
      '  (0): Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))',
      '  (1): ReLU(inplace=True)',
      '  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)',
      '  (3): Conv2d(64, 128, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))',
      ')',
    ].join('\n');
    await page.fill('#param-layers-model-text', vgg);
    await page.click('#param-layers-model-use');
    await waitForQuery(page, 'layers=c3p1%2Cp2s2%2Cc3p1');
    assert.match(await page.locator('#formula').textContent(), /field size r = .* = 8effective stride S = Π sₗ = 2/);
    assert.equal(await page.locator('#param-layers-model-error').isVisible(), false);
    await page.fill('#param-layers-model-text', `${vgg.slice(0, -2)}\n  (4): Linear(in_features=8, out_features=2, bias=True)\n)`);
    await page.click('#param-layers-model-use');
    assert.match(await page.locator('#param-layers-model-error').textContent(), /^line 6: Linear/);
    assert.match(await query(page), /layers=c3p1%2Cp2s2%2Cc3p1/, 'the stack stays as it was');
  });
});

test('export: SVG and PNG 2× with the caption, and a GIF of a step range with progress', async () => {
  await withPage('?op=conv_transpose2d&height=3&width=3&kernel_size=3&stride=2&padding=1', async ({ page }) => {
    const save = async (button) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      const path = await download.path();
      return { name: download.suggestedFilename(), bytes: (await import('node:fs')).readFileSync(path) };
    };
    const caption = await page.evaluate(() => window.convscope.scope.caption());
    assert.match(caption, /padding=1/);
    const svg = await save('#export-svg');
    assert.match(svg.name, /^convscope-conv_transpose2d-step\d+\.svg$/);
    assert.ok(svg.bytes.toString().includes(caption), 'the SVG carries the caption');
    await page.uncheck('#export-caption');
    assert.ok(!(await save('#export-svg')).bytes.toString().includes(caption), 'unless turned off');
    await page.check('#export-caption');
    const png = await save('#export-png');
    assert.equal(png.bytes.subarray(1, 4).toString(), 'PNG');
    const view = await page.locator('#view').boundingBox();
    assert.equal(png.bytes.readUInt32BE(16), Math.round(view.width) * 2, 'PNG at 2× the picture');
    const n = await page.evaluate(() => window.convscope.scope.n_steps());
    assert.equal(await page.inputValue('#gif-to'), String(n), 'the GIF range starts as the whole run');
    await page.fill('#gif-from', '2');
    await page.fill('#gif-to', '6');
    const gif = await save('#export-gif');
    assert.equal(gif.bytes.subarray(0, 6).toString(), 'GIF89a');
    assert.match(await page.locator('#gif-status').textContent(), /^GIF: 5 frames, \d+ KB/);
    assert.equal(gif.bytes.readUInt16LE(6), Math.round(view.width), 'GIF at the picture size');
  });
});

test('Copy as PyTorch copies a script with the shown tensors, for an analysis view too', async () => {
  await withPage('?op=conv2d&stride=2&padding=1', async ({ page }) => {
    await page.evaluate(() => { navigator.clipboard.writeText = async (text) => { window.copied = text; }; });
    await page.click('#copy-pytorch');
    const script = await page.evaluate(() => window.copied ?? '');
    assert.match(script, /^# convscope: conv2d/);
    assert.match(script, /y = F\.conv2d\(input=input_, weight=weight, bias=None, stride=\(2, 2\), padding=\(1, 1\)/);
    assert.match(script, /torch\.testing\.assert_close\(y, expected/);
    assert.match(await page.locator('#copy-status').textContent(), /script copied/);
  });
  await withPage('?op=checkerboard', async ({ page }) => {
    await page.evaluate(() => { navigator.clipboard.writeText = async (text) => { window.copied = text; }; });
    await page.click('#copy-pytorch');
    const script = await page.evaluate(() => window.copied ?? '');
    for (const call of ['F.conv_transpose2d(', 'F.interpolate(', 'F.pixel_shuffle(', 'bilinear_additive_upsample(']) {
      assert.ok(script.includes(call), `the checkerboard script calls ${call}`);
    }
    assert.match(await page.locator('#copy-status').textContent(), /script copied/);
  });
});

test('a long GIF shows its progress and can be cancelled', async () => {
  await withPage('?op=conv2d&height=24&width=24', async ({ page }) => {
    const n = await page.evaluate(() => window.convscope.scope.n_steps());
    assert.ok(n > 400, `${n} steps`);
    await page.click('#export-gif');
    await page.locator('#gif-progress').waitFor({ state: 'visible' });
    await page.waitForFunction(() => /^Frame \d+ of \d+/.test(document.querySelector('#gif-status').textContent));
    await page.click('#gif-cancel');
    await page.waitForFunction(() => document.querySelector('#gif-status').textContent === 'GIF cancelled.');
    assert.equal(await page.locator('#gif-progress').isVisible(), false);
    assert.equal(await page.locator('#export-gif').isDisabled(), false, 'a new GIF can be made');
  });
});
