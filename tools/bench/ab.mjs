#!/usr/bin/env node
// `npm run bench:ab -- --a <main.js>`: two builds of bitro-api side by side as replicas of one private stack, the HTTP
// routes measured on each in turn, round after round; prints requests/s (and as a share of the anchor's), the server's
// CPU per request, and B as a share of A. See README.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import { loadBitroClient } from '../dev/bitro-client.mjs';
import { clientFactory, signUpUsers } from './redemptions.mjs';
import { fixed, table } from './report.mjs';
import { LOAD_CORE, MEASURED_ROUTES, Stack } from './stack.mjs';
import { measureHttp, requireWrk } from './wrk.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: 'dist/apps/bitro-api/main.js' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
if (!values.a) throw new Error('usage: npm run bench:ab -- --a <bitro-api main.js of build A> [--b <main.js>] [--rounds 3] [--seconds 6]');
const settings = {
  rounds: Number(values.rounds ?? (values.smoke ? 1 : 3)),
  seconds: Number(values.seconds ?? (values.smoke ? 1 : 6)),
  warmupSeconds: values.smoke ? 1 : 2,
  connections: 50,
};
const log = (message) => console.error(`[bench:ab] ${message}`);
const mean = (xs) => xs.reduce((sum, x) => sum + x, 0) / xs.length;

async function main() {
  requireWrk();
  const dir = mkdtempSync(join(tmpdir(), 'bitro-bench-ab-'));
  const stack = new Stack(root, dir, log);
  try {
    log(`starting the private stack (logs in ${dir})...`);
    const product = await stack.startProduct({ reviewDailyKrw: 10n ** 15n });
    const bitro = await loadBitroClient({ build: false });
    const [user] = await signUpUsers(bitro, clientFactory(bitro, product.apiUrl).connect, 1, Date.now());
    const bearer = { authorization: `Bearer ${user.session.accessToken}` };
    const builds = {};
    for (const [name, script] of [['A', values.a], ['B', values.b]]) {
      builds[name] = await stack.startApiReplica(`bitro-api-${name}`, product.env, { metrics: false, script: relative(root, resolve(script)) });
    }

    const measure = (url, headers, serverPid) => measureHttp({ url, headers, serverPid, ...settings, core: LOAD_CORE });
    const runs = { anchor: [] };
    const anchorToken = jwt.sign({ sub: 'bench' }, product.env.JWT_SECRET, { algorithm: 'HS256', expiresIn: '1d' });
    for (let round = 0; round < settings.rounds; round++) {
      log(`round ${round + 1} of ${settings.rounds}...`);
      const anchor = await stack.startAnchor(product.env.JWT_SECRET);
      runs.anchor.push(await measure(anchor.url, { authorization: `Bearer ${anchorToken}` }, anchor.pid).finally(() => anchor.stop()));
      // A first in odd rounds, B first in even ones: a drift of the machine's load skews the two alike.
      const order = round % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
      for (const [route, path, signedIn] of MEASURED_ROUTES) {
        for (const name of order) {
          const { url, pid } = builds[name];
          (runs[`${route} ${name}`] ??= []).push(await measure(`${url}${path}`, signedIn ? bearer : {}, pid));
        }
      }
    }

    const anchorRps = mean(runs.anchor.map((run) => run.rps));
    const result = { settings, builds: { A: values.a, B: values.b }, anchor: { rps: anchorRps, cpuUsPerRequest: mean(runs.anchor.map((run) => run.cpuUsPerRequest)) }, routes: {} };
    for (const [route] of MEASURED_ROUTES) {
      const figures = (name) => {
        const rps = mean(runs[`${route} ${name}`].map((run) => run.rps));
        return { rps, ofAnchorPct: (rps / anchorRps) * 100, cpuUsPerRequest: mean(runs[`${route} ${name}`].map((run) => run.cpuUsPerRequest)) };
      };
      const [a, b] = [figures('A'), figures('B')];
      result.routes[route] = { A: a, B: b, bOfARpsPct: (b.rps / a.rps) * 100, bOfACpuPct: (a.cpuUsPerRequest / b.cpuUsPerRequest) * 100 };
    }
    console.log(`A: ${values.a}\nB: ${values.b}\nrounds: ${settings.rounds}, ${settings.seconds} s per route and build in each; anchor ${fixed(anchorRps)} req/s\n`);
    console.log(
      table([
        ['route', 'A req/s', 'A of anchor', 'A CPU µs/req', 'B req/s', 'B of anchor', 'B CPU µs/req', 'B/A req/s', 'B/A by CPU'],
        ...MEASURED_ROUTES.map(([route]) => {
          const { A: a, B: b, bOfARpsPct, bOfACpuPct } = result.routes[route];
          const share = (pct) => `${fixed(pct, 1)} %`;
          return [route, fixed(a.rps), share(a.ofAnchorPct), fixed(a.cpuUsPerRequest, 1), fixed(b.rps), share(b.ofAnchorPct), fixed(b.cpuUsPerRequest, 1), share(bOfARpsPct), share(bOfACpuPct)];
        }),
      ]),
    );
    const out = values.out ?? join(root, '.bench', `ab-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nJSON: ${out}`);
  } catch (error) {
    log(`failed; the processes' logs are kept in ${dir}`);
    throw error;
  } finally {
    await stack.stop();
  }
  rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[bench:ab] ${error.stack ?? error}`);
    process.exit(1);
  },
);
