// Page timings, not a test: time to first paint, then how long a slider change takes to
// reach the next frame and how long the synchronous update + render took.
//
//   node tests/e2e/bench.mjs ['?op=...'] [--slider NAME]... [--changes N]
//
// BASE_URL and CHROME come from the environment (`cargo xtask bench` sets both).

import { parseArgs } from 'node:util';
import { openPage, pageUrl } from './harness.mjs';

const DEFAULT_QUERY = '?op=conv2d&height=32&width=32&kernel_size=5';
const WARM_UP = 5;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    slider: { type: 'string', multiple: true, default: ['stride', 'padding'] },
    changes: { type: 'string', default: '60' },
  },
});
const query = positionals[0] ?? DEFAULT_QUERY;
const sliders = values.slider;
const measured = Number.parseInt(values.changes, 10);
if (!(measured >= 1)) throw new Error(`--changes wants a positive count, not ${values.changes}`);

const { page, problems, close } = await openPage(query);
try {
  const firstPaintMs = await page.evaluate(
    () => performance.getEntriesByName('convscope:first-paint')[0]?.startTime ?? null,
  );

  // Everything timed runs inside the page, so the CDP round trip is not in the figures.
  const samples = await page.evaluate(
    async ({ sliders, total }) => {
      const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      const inputs = sliders.map((name) => {
        const input = document.getElementById(`param-${name}`);
        if (!input) throw new Error(`no slider #param-${name} on this page`);
        // Each slider toggles between its starting value and a neighbour inside its range.
        const start = Number(input.value);
        const step = Number(input.step) || 1;
        const max = input.max === '' ? Infinity : Number(input.max);
        const other = start + step <= max ? start + step : start - step;
        return { name, input, values: [String(other), String(start)], next: 0 };
      });
      await nextFrame();
      const samples = [];
      for (let change = 0; change < total; change += 1) {
        const slider = inputs[change % inputs.length];
        const value = slider.values[slider.next];
        slider.next = 1 - slider.next;
        const rendersBefore = window.convscope.renders ?? 0;
        const started = performance.now();
        slider.input.value = value;
        slider.input.dispatchEvent(new Event('input', { bubbles: true }));
        await nextFrame();
        const frameMs = performance.now() - started;
        samples.push({
          slider: slider.name,
          value,
          frameMs,
          renderMs: window.convscope.lastRenderMs ?? null,
          repainted: (window.convscope.renders ?? 0) > rendersBefore,
        });
      }
      return samples;
    },
    { sliders, total: measured + WARM_UP },
  );

  const kept = samples.slice(WARM_UP);
  const frameMs = kept.map((sample) => sample.frameMs);
  const renderMs = kept.map((sample) => sample.renderMs).filter((ms) => typeof ms === 'number');
  const missed = kept.filter((sample) => !sample.repainted).length;

  console.log(`bench: ${pageUrl(query)}`);
  console.log(`sliders: ${sliders.join(', ')}; ${kept.length} samples after ${WARM_UP} warm-up changes`);
  console.log(`first paint:                  ${format(firstPaintMs)}`);
  console.log(`input -> next frame:          median ${format(percentile(frameMs, 50))}  p95 ${format(percentile(frameMs, 95))}`);
  console.log(`update + render (lastRenderMs): median ${format(percentile(renderMs, 50))}  p95 ${format(percentile(renderMs, 95))}  (${renderMs.length} samples)`);
  if (missed > 0) console.log(`warning: ${missed} of ${kept.length} changes did not bump window.convscope.renders`);
  if (problems.length > 0) console.log(`page problems:\n  ${problems.join('\n  ')}`);
} finally {
  await close();
}

/** Nearest-rank percentile; null for no data. */
function percentile(numbers, p) {
  if (numbers.length === 0) return null;
  const sorted = [...numbers].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function format(ms) {
  return typeof ms === 'number' ? `${ms.toFixed(2)} ms` : 'n/a';
}
