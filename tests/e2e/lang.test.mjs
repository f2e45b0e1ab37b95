// The page in Chinese: from lang= in the URL, else the browser's language; the language menu
// switches every word (menus, controls, sentences, the page's own text) and <html lang>, and
// keeps the choice in the link.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { BASE_URL, CHROME, CHROME_ARGS } from './harness.mjs';

const words = (page) => page.evaluate(() => ({
  lang: document.documentElement.lang,
  title: document.title,
  operator: document.querySelector('#operator option:checked').textContent,
  firstLabel: document.querySelector('#params label').textContent,
  step: document.getElementById('step-text').textContent,
  reset: document.getElementById('reset-edits').textContent,
  keys: document.querySelector('[data-i18n="ui-help-keys"]').textContent,
  kbd: document.querySelectorAll('[data-i18n="ui-help-keys"] kbd').length,
}));

test('the language: browser preference, lang= in the URL, and the menu', async () => {
  const browser = await chromium.launch({ executablePath: CHROME, args: CHROME_ARGS });
  try {
    const problems = [];
    const zhContext = await browser.newContext({ locale: 'zh-CN' });
    const page = await zhContext.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${BASE_URL}?op=conv_transpose2d`);
    await page.evaluate(() => window.convscope.ready);
    let w = await words(page);
    assert.equal(w.lang, 'zh-CN');
    assert.match(w.title, /逐步演示卷积算子/);
    assert.match(w.step, /尚未开始/);
    assert.equal(w.reset, '重置已编辑的单元格');
    assert.ok(w.kbd >= 10, `keys are <kbd>: ${w.kbd}`);
    assert.ok(!page.url().includes('lang='), 'the browser language is not written into the link');

    // The menu switches every word and keeps the choice in the link.
    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    w = await words(page);
    assert.match(w.step, /^Before the first of/);
    assert.equal(w.reset, 'Reset edited cells');
    await page.waitForFunction(() => location.search.includes('lang=en'));

    // lang= wins over the browser.
    const english = await browser.newPage({ locale: 'en-GB' });
    english.on('pageerror', (e) => problems.push(e.message));
    await english.goto(`${BASE_URL}?op=receptive_field&lang=zh-CN`);
    await english.evaluate(() => window.convscope.ready);
    w = await words(english);
    assert.equal(w.lang, 'zh-CN');
    assert.match(w.step, /步/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
