import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mapBounded } from '../src/verify/checks/map-bounded.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('results keep the input order; at most `limit` run at once', async () => {
  let running = 0;
  let most = 0;
  const results = await mapBounded([30, 5, 20, 1, 10], 2, async (ms) => {
    most = Math.max(most, ++running);
    await sleep(ms);
    running--;
    return ms * 2;
  });
  assert.equal(results, [60, 10, 40, 2, 20]);
  assert.is(most, 2);
});

test('onSettled hears each result in input order, as soon as it and all before it are in', async () => {
  const heard: [number, number, number][] = [];
  const started = Date.now();
  await mapBounded(
    [60, 5, 5, 120],
    4,
    async (ms) => {
      await sleep(ms);
      return ms;
    },
    (r, i) => heard.push([i, r, Date.now() - started]),
  );
  assert.equal(
    heard.map(([i, r]) => [i, r]),
    [
      [0, 60],
      [1, 5],
      [2, 5],
      [3, 120],
    ],
  );
  // Items 1 and 2 finished first but wait for item 0; item 3 is heard alone, later.
  assert.ok(heard[1]![2] >= 55 && heard[1]![2] < 110, `item 1 heard at ${heard[1]![2]} ms`);
  assert.ok(heard[3]![2] >= 115, `item 3 heard at ${heard[3]![2]} ms`);
});

test('nothing to do: no workers, no calls', async () => {
  const heard: number[] = [];
  assert.equal(
    await mapBounded(
      [],
      3,
      async () => 1,
      (r) => heard.push(r),
    ),
    [],
  );
  assert.equal(heard, []);
});

test.run();
