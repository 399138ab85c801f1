/**
 * KUOTA_TEST_NOW moves this test process's system clock to the given instant, and lets it run
 * on from there (as libfaketime's "@" mode does), so the suite can be run as if it were the last
 * day of a month, New Year's Day or a DST change (scripts/test-dates.ts). Without it, nothing changes.
 */
const target = process.env.KUOTA_TEST_NOW;
if (target) {
  const RealDate = Date;
  const at = new RealDate(target).getTime();
  if (Number.isNaN(at)) throw new Error(`KUOTA_TEST_NOW is not a date: ${target}`);
  // The timezone comes in the same way (vitest sets TZ in the test process): a date run in the wrong zone proves nothing.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (process.env.TZ && zone !== process.env.TZ) throw new Error(`TZ is ${process.env.TZ}, but dates read ${zone}`);
  const shift = at - RealDate.now();
  const now = () => RealDate.now() + shift;
  globalThis.Date = new Proxy(RealDate, {
    construct: (real, args: unknown[], newTarget) => Reflect.construct(real, args.length ? args : [now()], newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (real, key, receiver) => (key === 'now' ? now : Reflect.get(real, key, receiver)),
  });
}
