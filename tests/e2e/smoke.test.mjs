// The first browser test: the page loads, paints the view and says nothing alarming.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankCanvasHash, canvasColourCount, canvasHash, openPage, screenshot } from './harness.mjs';

test('page loads, paints the view and logs no problems', async () => {
  const { page, problems, close } = await openPage();
  try {
    assert.equal(await page.locator('canvas#view').count(), 1, 'there is one <canvas id="view">');
    assert.notEqual(await canvasHash(page), await blankCanvasHash(page), 'the canvas is blank');
    assert.ok((await canvasColourCount(page)) >= 2, 'the canvas is a single flat colour');
    await screenshot(page, 'smoke');
    assert.deepEqual(problems, [], 'console errors or warnings');
  } finally {
    await close();
  }
});
