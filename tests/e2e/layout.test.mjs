// The page at the sizes it is used at: a phone puts the picture first, nothing scrolls
// sideways, the 800×520 embed fits its frame with its caption and whole step sentence and
// tells the host its height, and the picture zooms, pans and fits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { BASE_URL, CHROME, CHROME_ARGS, canvasHash, openPage, screenshot } from './harness.mjs';

async function operators(page) {
  return page.evaluate(() => JSON.parse(window.convscope.scope.operators()).map((o) => o.name));
}

/** Opens every operator at `viewport` in one browser and hands each loaded page to `check`. */
async function everyOperator(viewport, suffix, check) {
  const browser = await chromium.launch({ executablePath: CHROME, args: CHROME_ARGS });
  try {
    const page = await (await browser.newContext({ viewport })).newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(BASE_URL);
    await page.evaluate(() => window.convscope.ready);
    for (const op of await operators(page)) {
      await page.goto(`${BASE_URL}?op=${op}${suffix}`);
      await page.evaluate(() => window.convscope.ready);
      await check(page, op);
    }
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
}

const metrics = (page) => page.evaluate(() => {
  const box = (id) => document.getElementById(id).getBoundingClientRect();
  return {
    canvas: box('view').toJSON(),
    step: box('step-text').toJSON(),
    playback: document.querySelector('.playback').getBoundingClientRect().toJSON(),
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
  };
});

test('phone: the picture comes first, at least 300 px tall, and nothing scrolls sideways', async () => {
  await everyOperator({ width: 390, height: 844 }, '', async (page, op) => {
    const m = await metrics(page);
    assert.ok(m.canvas.top < 120, `${op}: the picture starts at ${m.canvas.top} px`);
    assert.ok(m.canvas.height >= 300, `${op}: the picture is ${m.canvas.height} px tall`);
    assert.ok(m.canvas.bottom <= 844, `${op}: the picture ends below the first screen`);
    assert.ok(m.scrollWidth <= 390, `${op}: the page is ${m.scrollWidth} px wide`);
  });
});

test('laptop and projector: the picture beside the controls, no sideways scrolling', async () => {
  for (const viewport of [{ width: 1024, height: 768 }, { width: 1920, height: 1080 }]) {
    await everyOperator(viewport, '', async (page, op) => {
      const m = await metrics(page);
      assert.ok(m.scrollWidth <= viewport.width, `${op} at ${viewport.width}: ${m.scrollWidth} px wide`);
      assert.ok(m.canvas.left > 300 && m.canvas.top < 80, `${op} at ${viewport.width}: picture at ${m.canvas.left},${m.canvas.top}`);
      assert.ok(m.playback.bottom <= viewport.height, `${op} at ${viewport.width}: the playback bar is below the screen`);
    });
  }
});

test('embed at 800×520: caption, picture, playback and the whole step sentence fit the frame', async () => {
  await everyOperator({ width: 800, height: 520 }, '&embed=1&step=1', async (page, op) => {
    const m = await metrics(page);
    assert.ok(m.scrollHeight <= 520, `${op}: the embed is ${m.scrollHeight} px tall`);
    assert.ok(m.step.bottom <= 520 && m.step.height > 0, `${op}: the step sentence ends at ${m.step.bottom}`);
    assert.ok(m.canvas.height >= 250, `${op}: the picture is ${m.canvas.height} px tall`);
    const caption = await page.locator('#caption').textContent();
    const title = await page.evaluate((name) => JSON.parse(window.convscope.scope.operators()).find((o) => o.name === name).title, op);
    assert.ok(caption.startsWith(title), `${op}: caption “${caption}”`);
    const href = await page.locator('#open-full').getAttribute('href');
    assert.ok(href.includes(`op=${op}`) && !href.includes('embed'), `${op}: open link ${href}`);
  });
});

test('embed options hide the caption and playback; the host page learns the height; the embed code reproduces the picture', async () => {
  const session = await openPage('?op=conv2d&stride=2&embed=1&caption=0&playback=0', { viewport: { width: 800, height: 520 } });
  try {
    const { page } = session;
    assert.equal(await page.locator('#embed-bar').isVisible(), false);
    assert.equal(await page.locator('.playback').isVisible(), false);
    assert.match(await page.evaluate(() => location.search), /caption=0/);
  } finally {
    await session.close();
  }
  const host = await openPage('?op=conv2d', { viewport: { width: 1024, height: 900 } });
  try {
    const { page } = host;
    await page.evaluate(() => { Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t) => { window.copied = t; } } }); });
    // The slider's repaint waits for the next frame; a click in the same task still copies
    // the new value (pending changes are applied before any other action).
    await page.locator('#param-stride').evaluate((el) => {
      el.value = '2';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      document.getElementById('copy-embed').click();
    });
    const code = await page.evaluate(() => window.copied);
    assert.match(code, /^<iframe src="[^"]*\?op=conv2d&amp;stride=2&amp;embed=1" width="800" height="520"/);
    assert.match(code, /title="convscope: conv2d[^"]*· stride=2"/);
    // A host page with that iframe receives the content height.
    const src = code.match(/src="([^"]*)"/)[1].replace(/&amp;/g, '&');
    await page.setContent(`<p>course page</p><iframe id="f" src="${src}" width="800" height="520"></iframe>`);
    const height = await page.evaluate(() => new Promise((resolve) => {
      window.addEventListener('message', (e) => { if (e.data?.type === 'convscope:height') resolve(e.data.height); });
    }));
    assert.ok(height > 200 && height <= 520, `posted height ${height}`);
  } finally {
    await host.close();
  }
});

test('zoom: a large picture follows the step at legible size; wheel, keys, Fit and drag change the view', async () => {
  const session = await openPage('?op=conv2d&height=32&width=32&step=300', { viewport: { width: 1024, height: 768 } });
  try {
    const { page } = session;
    const state = () => page.evaluate(() => JSON.parse(window.convscope.scope.zoom_state()));
    assert.deepEqual({ ...(await state()), zoom: undefined }, { mode: 'follow', cropped: true, zoom: undefined });
    assert.match(await page.locator('#zoom-state').textContent(), /following the step/);
    await screenshot(page, 'zoom-follow');
    const followed = await canvasHash(page);
    await page.focus('#view');
    await page.keyboard.press('0');
    assert.equal((await state()).mode, 'fit');
    assert.match(await page.locator('#zoom-state').textContent(), /whole picture/);
    assert.notEqual(await canvasHash(page), followed);
    const box = await page.locator('#view').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    const zoomed = await state();
    assert.equal(zoomed.mode, 'free');
    assert.ok(zoomed.zoom > 1.5, `zoom ${zoomed.zoom}`);
    assert.match(await page.locator('#zoom-state').textContent(), /zoom \d+%/);
    const before = await canvasHash(page);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 - 40, { steps: 5 });
    await page.mouse.up();
    assert.notEqual(await canvasHash(page), before, 'a drag pans the picture');
    await page.locator('#zoom-follow').click();
    assert.equal((await state()).mode, 'follow');
    assert.equal(await canvasHash(page), followed);
    // Playing moves the followed region with the step.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal((await state()).mode, 'follow');
  } finally {
    await session.close();
  }
});
