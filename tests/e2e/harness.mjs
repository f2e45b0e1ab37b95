// Shared helpers for the browser tests and the bench: launch Chromium through
// playwright-core, open the page, collect console problems, hash and capture the canvas.
//
// `cargo xtask test` and `cargo xtask bench` set BASE_URL (the server they start) and CHROME.

import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8000/';
export const CHROME = process.env.CHROME || '/usr/bin/chromium';
export const CHROME_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Reading canvas pixels back (getImageData) makes Chromium suggest willReadFrequently;
// that advice is the only console message a test may ignore.
const IGNORED_CONSOLE = [/willReadFrequently/];
const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

/**
 * Opens BASE_URL + path in a fresh headless Chromium and waits for `window.convscope.ready`.
 *
 * @param {string} path  appended to BASE_URL, e.g. '' or '?op=conv2d&stride=2'
 * @param {{ deviceScaleFactor?: number, viewport?: {width: number, height: number},
 *           readyTimeoutMs?: number }} options
 * @returns {Promise<{ browser, context, page, problems: string[], close: () => Promise<void> }>}
 *   `problems` keeps filling while the page lives: console errors and warnings, uncaught
 *   page errors and failed requests, each as one line of text.
 */
export async function openPage(
  path = '',
  { deviceScaleFactor = 1, viewport = { width: 1280, height: 900 }, readyTimeoutMs = 20_000, hasTouch = false } = {},
) {
  const browser = await chromium.launch({ executablePath: CHROME, args: CHROME_ARGS });
  const close = () => browser.close();
  const problems = [];
  const url = pageUrl(path);
  try {
    const context = await browser.newContext({ viewport, deviceScaleFactor, hasTouch, isMobile: hasTouch });
    const page = await context.newPage();
    // Every Content-Security-Policy violation (an inline handler, a style attribute set from a
    // string, an eval) fails the test like a console error.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
      );
    });
    page.on('console', (message) => {
      const type = message.type();
      if (type !== 'error' && type !== 'warning') return;
      const text = message.text();
      if (IGNORED_CONSOLE.some((pattern) => pattern.test(text))) return;
      const { url: source, lineNumber } = message.location();
      problems.push(`console.${type}: ${text}${source ? ` (${source}:${lineNumber})` : ''}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.stack || error.message}`));
    page.on('requestfailed', (request) =>
      problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
    );

    const response = await page.goto(url);
    if (!response || !response.ok()) {
      throw new Error(`GET ${url} answered ${response ? response.status() : 'nothing'}`);
    }
    await page.waitForFunction(() => window.convscope?.ready, undefined, {
      timeout: readyTimeoutMs,
    });
    await page.evaluate(
      (timeoutMs) =>
        Promise.race([
          Promise.resolve(window.convscope.ready).then(() => undefined),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs),
          ),
        ]),
      readyTimeoutMs,
    );
    return { browser, context, page, problems, close };
  } catch (error) {
    await close();
    const seen = problems.length ? `\npage problems:\n  ${problems.join('\n  ')}` : '';
    throw new Error(`opening ${url} failed: ${error.message}${seen}`, { cause: error });
  }
}

/** BASE_URL + path, tolerating a leading '/' on the path. */
export function pageUrl(path = '') {
  return new URL(path.replace(/^\//, ''), BASE_URL).href;
}

/** 32-bit FNV-1a of a string, as 8 hex digits. */
export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Hash of the canvas's PNG (`toDataURL()`); `selector` defaults to the main view. */
export async function canvasHash(page, selector = '#view') {
  const dataUrl = await page.$eval(selector, (canvas) => canvas.toDataURL());
  return fnv1a(dataUrl);
}

/** Hash of an untouched canvas of the same size as `selector`, to compare against. */
export async function blankCanvasHash(page, selector = '#view') {
  const dataUrl = await page.$eval(selector, (canvas) => {
    const blank = document.createElement('canvas');
    blank.width = canvas.width;
    blank.height = canvas.height;
    return blank.toDataURL();
  });
  return fnv1a(dataUrl);
}

/** Number of distinct RGBA colours on a coarse grid of samples (at most 64 × 64) of the canvas. */
export async function canvasColourCount(page, selector = '#view') {
  return page.$eval(selector, (canvas) => {
    const { width, height } = canvas;
    if (width === 0 || height === 0) return 0;
    const copy = document.createElement('canvas');
    copy.width = width;
    copy.height = height;
    const context = copy.getContext('2d');
    context.drawImage(canvas, 0, 0);
    const pixels = context.getImageData(0, 0, width, height).data;
    const colours = new Set();
    const stepX = Math.max(1, Math.floor(width / 64));
    const stepY = Math.max(1, Math.floor(height / 64));
    for (let y = 0; y < height; y += stepY) {
      for (let x = 0; x < width; x += stepX) {
        const at = (y * width + x) * 4;
        colours.add(
          ((pixels[at] << 24) | (pixels[at + 1] << 16) | (pixels[at + 2] << 8) | pixels[at + 3]) >>> 0,
        );
      }
    }
    return colours.size;
  });
}

/** Saves a full-page screenshot to tests/e2e/screenshots/NAME.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
