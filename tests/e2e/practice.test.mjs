// Practice mode as a class uses it: a course page embeds convscope with practice=value, a
// student answers wrong, reads the hint, reveals, then answers right, keyboard only, and the
// course page receives each checked answer.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, pageUrl, screenshot } from './harness.mjs';

/** The sum a hint spells out (`… y[0,0,1,2] = 1·2 + (−1)·0 + … = ?`), worked out here. */
function sumOfHint(hint) {
  const terms = hint.slice(hint.lastIndexOf('] = ') + 4, hint.lastIndexOf(' = ?'));
  const number = (text) => Number(text.replace(/[()]/g, '').replace('−', '-'));
  return terms.split(' + ').reduce((sum, term) => sum + term.split('·').map(number).reduce((a, b) => a * b, 1), 0);
}

test('practice in an iframe: wrong, hint, answer, right, and the course page collects the scores', async () => {
  const session = await openPage('?op=conv2d', { viewport: { width: 1024, height: 900 } });
  try {
    const { page } = session;
    const src = pageUrl('?op=conv2d&practice=value&embed=1');
    await page.setContent(`<link rel="icon" href="data:,"><p>course page</p><iframe id="f" src="${src}" width="800" height="700"></iframe>`);
    await page.evaluate(() => {
      window.answers = [];
      window.addEventListener('message', (e) => { if (e.data?.type === 'convscope:answer') window.answers.push(e.data); });
    });
    const frame = page.frameLocator('#f');
    const question = frame.locator('#practice-question');
    await question.waitFor();
    assert.match(await question.textContent(), /^Question 1: what value does y\[0,0,\d+,\d+\] hold after step \d+\?/);
    // The step sentence asks too: the value is a question mark until answered.
    assert.match(await frame.locator('#step-text').textContent(), /= \? — work it out/);

    const answer = frame.locator('#practice-answer');
    await answer.fill('999');
    await answer.press('Enter');
    const status = frame.locator('#practice-status');
    assert.match(await status.textContent(), /^Not quite: 999 is [\d.]+ too high\./);
    assert.equal(await status.getAttribute('role'), 'status');
    await page.waitForFunction(() => window.answers.length === 1);
    const [first] = await page.evaluate(() => window.answers);
    assert.deepEqual(first, { type: 'convscope:answer', kind: 'value', op: 'conv2d', question: 1, correct: false, attempts: 1, score: { right: 0, attempted: 1 } });

    // H: the hint spells out the terms, still hiding the result; A reveals it.
    await answer.press('h');
    const hint = await frame.locator('#practice-hint-text').textContent();
    assert.match(hint, /^Hint: Step \d+ of \d+, kernel sweep: y\[0,0,\d+,\d+\] = .*·.* = \?$/);
    await answer.press('a');
    assert.equal(await status.textContent(), `The answer: ${String(sumOfHint(hint)).replace('-', '−')}.`);
    assert.equal(await answer.isDisabled(), true);
    await screenshot(page, 'practice-revealed');

    // N: question 2; worked out from its hint, the answer is right and question 3 follows.
    await frame.locator('#practice-next').focus();
    await page.keyboard.press('n');
    assert.match(await question.textContent(), /^Question 2:/);
    await answer.press('h');
    const value = sumOfHint(await frame.locator('#practice-hint-text').textContent());
    await answer.fill(String(value));
    await answer.press('Enter');
    assert.match(await status.textContent(), /^Right: y\[0,0,\d+,\d+\] = −?\d+\.$/);
    assert.match(await question.textContent(), /^Question 3:/);
    assert.match(await frame.locator('#practice-score').textContent(), /Score: 1 right of 2 attempted/);
    await page.waitForFunction(() => window.answers.length === 2);
    const second = (await page.evaluate(() => window.answers))[1];
    assert.deepEqual(second, { type: 'convscope:answer', kind: 'value', op: 'conv2d', question: 2, correct: true, attempts: 1, score: { right: 1, attempted: 2 } });
    assert.deepEqual(session.problems, [], 'console errors or warnings');
  } finally {
    await session.close();
  }
});

test('practice toggles from the header, gives the same question for the same link, and holds the picture at an open question', async () => {
  const session = await openPage('?op=conv2d&seed=3', { viewport: { width: 390, height: 844 } });
  try {
    const { page } = session;
    await page.click('#practice-toggle');
    assert.equal(await page.locator('#practice-toggle').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'practice-answer');
    await page.waitForFunction(() => location.search.includes('practice=value'));
    const text = await page.locator('#practice-question').textContent();
    // The same link asks the same question.
    const again = await openPage(`?${await page.evaluate(() => location.search.slice(1))}`);
    try {
      assert.equal(await again.page.locator('#practice-question').textContent(), text);
    } finally {
      await again.close();
    }
    // Stepping past an open question is not possible; the picture stays at its step.
    const step = await page.evaluate(() => window.convscope.scope.step());
    await page.locator('#view').focus();
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => window.convscope.scope.step()), step);
    await screenshot(page, 'practice-phone');
    await page.click('#practice-toggle');
    assert.equal(await page.locator('#practice-panel').isHidden(), true);
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => window.convscope.scope.step() === window.convscope.scope.n_steps()), true);
    assert.deepEqual(session.problems, [], 'console errors or warnings');
  } finally {
    await session.close();
  }
});

test('shape and field questions hide what they ask, check H × W and yes/no, and show the output once answered', async () => {
  const session = await openPage('?op=conv2d&height=7&width=6&stride=2&padding=1&practice=shape', { viewport: { width: 390, height: 844 } });
  try {
    const { page } = session;
    const question = page.locator('#practice-question');
    assert.match(await question.textContent(), /^Question 1: what are the height and width of the output y\?/);
    // Nothing beside the picture gives the size away: no formula, no facts, no step count.
    assert.equal(await page.locator('#step-count').textContent(), '0 / ?');
    assert.equal(await page.locator('#formula li').count(), 0);
    assert.equal(await page.locator('#facts li').count(), 0);
    const answer = page.locator('#practice-answer');
    await answer.fill('4 × 4');
    await answer.press('Enter');
    assert.equal(await page.locator('#practice-status').textContent(),
      'Not quite: the height 4 is right; the width 4 is 1 too high. Try again, ask for a hint or show the answer.');
    await answer.press('h');
    assert.match(await page.locator('#practice-hint-text').textContent(), /W_out = .* = ⌊\(6 \+ 2·1 − 1·\(3 − 1\) − 1\) \/ 2⌋ \+ 1 = \?$/);
    await answer.fill('4x3');
    await answer.press('Enter');
    assert.equal(await page.locator('#practice-status').textContent(), 'Question 1: right. The working:');
    assert.match(await page.locator('#practice-working').textContent(), /H_out = .* = 4W_out = .* = 3$/);
    // The output comes into view, whole; Next has the focus and Enter moves on.
    assert.equal(await page.evaluate(() => window.convscope.scope.step() === window.convscope.scope.n_steps()), true);
    assert.notEqual(await page.locator('#formula li').count(), 0);
    await screenshot(page, 'practice-shape-phone');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'practice-next');
    await page.keyboard.press('Enter');
    assert.match(await question.textContent(), /^Question 2: /);
    await page.waitForFunction(() => location.search.includes('question=2'));

    // The kind menu offers what this view can ask; the receptive-field view asks its field.
    await page.selectOption('#operator', 'receptive_field');
    const kinds = await page.locator('#practice-kind option').evaluateAll((options) => options.map((o) => o.value));
    assert.deepEqual(kinds.slice(-1), ['field']);
    await page.selectOption('#practice-kind', 'field');
    assert.match(await question.textContent(), /^Question 1: /);
    const p = await page.evaluate(() => JSON.parse(window.convscope.scope.practice()));
    assert.equal(p.conceals, true);
    await answer.press('a');
    assert.match(await page.locator('#practice-status').textContent(), /^The answer: /);
    assert.notEqual(await page.locator('#practice-working li').count(), 0);
    assert.deepEqual(session.problems, [], 'console errors or warnings');
  } finally {
    await session.close();
  }
});

test('a cells question is answered on the picture with the keyboard: choose, check, correct, right', async () => {
  const session = await openPage('?op=conv2d&height=5&width=5&practice=cells&seed=4', { viewport: { width: 1024, height: 768 } });
  try {
    const { page } = session;
    const question = await page.locator('#practice-question').textContent();
    const [, row, col] = question.match(/which cells does y\[0,0,(\d+),(\d+)\] read/).map(Number);
    assert.equal(await page.locator('#practice-answer').isHidden(), true, 'no answer box: the picture is the answer');
    // The keyboard cursor starts on x[0,0,0,0]; Shift+arrows move it, Enter chooses.
    await page.locator('#view').focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowLeft');
    const go = async (r, c) => {
      for (let i = 0; i < r; i += 1) await page.keyboard.press('Shift+ArrowDown');
      for (let i = 0; i < c; i += 1) await page.keyboard.press('Shift+ArrowRight');
    };
    const choose = async (cells) => {
      for (const [r, c] of cells) {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Shift+ArrowRight');
        await page.keyboard.press('Shift+ArrowLeft');
        for (let i = 0; i < 8; i += 1) await page.keyboard.press('Shift+ArrowUp');
        for (let i = 0; i < 8; i += 1) await page.keyboard.press('Shift+ArrowLeft');
        await go(r, c);
        await page.keyboard.press('Enter');
      }
    };
    // The 3×3 window minus one corner, plus one cell outside it.
    const window = [];
    for (let a = 0; a < 3; a += 1) for (let b = 0; b < 3; b += 1) window.push([row + a, col + b]);
    const outside = [row + 3 <= 4 ? row + 3 : row - 1, col];
    await choose([...window.slice(0, 8), outside]);
    await page.click('#practice-check');
    assert.equal(await page.locator('#practice-status').textContent(),
      'Not quite: 8 of the 9 cells are chosen, 1 missed, 1 chosen that do not belong (crossed). Change your choice and check again, ask for a hint or show the answer.');
    await screenshot(page, 'practice-cells-laptop');
    await page.locator('#view').focus();
    await choose([outside, window[8]]);
    await page.click('#practice-check');
    assert.match(await page.locator('#practice-status').textContent(), new RegExp(`^Right: y\\[0,0,${row},${col}\\] reads these 9 cells\\.`));
    assert.match(await page.locator('#practice-score').textContent(), /Score: 1 right of 1 attempted/);
    assert.deepEqual(session.problems, [], 'console errors or warnings');
  } finally {
    await session.close();
  }
});
