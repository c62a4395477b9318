// HTTP load with wrk (the Debian package), pinned to one core.
import { spawn } from 'node:child_process';
import { hasCommand } from '../dev/services.mjs';
import { cpuSeconds } from './proc-stats.mjs';

export function requireWrk() {
  if (!hasCommand('wrk')) throw new Error('wrk is not installed: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk` (macOS).');
  if (!hasCommand('taskset')) throw new Error('taskset is not installed: `apt-get install util-linux`.');
}

const UNITS = { us: 0.001, ms: 1, s: 1000 };

function durationMs(text) {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) throw new Error(`wrk: cannot read the duration "${text}"`);
  return Number(match[1]) * UNITS[match[2]];
}

/** Reads wrk's `--latency` report: requests/s, p50 and p99 in ms, and the counts of failed requests. */
export function parseWrk(output) {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const p50 = /^\s+50%\s+(\S+)/m.exec(output);
  const p99 = /^\s+99%\s+(\S+)/m.exec(output);
  if (!rps || !p50 || !p99) throw new Error(`wrk: unexpected output\n${output}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    rps: Number(rps[1]),
    p50Ms: durationMs(p50[1]),
    p99Ms: durationMs(p99[1]),
    failed: Number(non2xx?.[1] ?? 0) + (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

/** One wrk run of `seconds` against `url` from `core`; throws when any request failed. */
export function wrk({ url, headers = {}, seconds, connections, core }) {
  const args = ['-c', String(core), 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}\n${output}`));
      try {
        const result = parseWrk(output);
        if (result.failed > 0) return reject(new Error(`wrk: ${result.failed} requests to ${url} failed\n${output}`));
        resolve(result);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * wrk against `url` from `core`: a warm-up, then the measured window; with the server's CPU time per request over
 * that window (what other processes on its core take does not count, unlike in requests/s).
 */
export async function measureHttp({ url, headers, serverPid, warmupSeconds, seconds, connections, core }) {
  await wrk({ url, headers, seconds: warmupSeconds, connections, core });
  return combineWindows([await measureWindow({ url, headers, pid: serverPid }, seconds, connections, core)]);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * `target` against `anchor` (each `{ url, headers, pid }`, both servers already running on the same core): a warm-up of
 * the target, then `rounds` pairs of windows, the anchor's right before the target's. A machine whose speed drifts
 * over a run (measured on a 2-vCPU VM: the anchor at 17,900 req/s at the start of a run and 10,400 five minutes later)
 * moves both windows of a pair alike, so the target's share of the anchor is the median of the pairs' ratios.
 * Resolves the target's figures (medians of its windows; CPU µs per request over all of them) with `ofAnchorPct`, and
 * the anchor's windows.
 */
export async function measureAgainstAnchor({ target, anchor, rounds, seconds, warmupSeconds, connections, core }) {
  await wrk({ url: target.url, headers: target.headers, seconds: warmupSeconds, connections, core });
  const pairs = [];
  for (let round = 0; round < rounds; round++) {
    const anchorWindow = await measureWindow(anchor, seconds, connections, core);
    pairs.push({ anchor: anchorWindow, target: await measureWindow(target, seconds, connections, core) });
  }
  return {
    ...combineWindows(pairs.map((pair) => pair.target)),
    ofAnchorPct: median(pairs.map((pair) => (pair.target.rps / pair.anchor.rps) * 100)),
    anchorWindows: pairs.map((pair) => pair.anchor),
  };
}

/** The figures of windows taken together: medians of their requests/s and latencies, CPU µs per request over all. */
export function combineWindows(windows) {
  const total = (key) => windows.reduce((sum, window) => sum + window[key], 0);
  return {
    rps: median(windows.map((window) => window.rps)),
    p50Ms: median(windows.map((window) => window.p50Ms)),
    p99Ms: median(windows.map((window) => window.p99Ms)),
    cpuUsPerRequest: (total('cpuSeconds') * 1e6) / total('requests'),
  };
}

/** One window of wrk against a server, with the server's CPU time over it. */
async function measureWindow({ url, headers, pid }, seconds, connections, core) {
  const cpuBefore = cpuSeconds(pid);
  const result = await wrk({ url, headers, seconds, connections, core });
  return { ...result, cpuSeconds: cpuSeconds(pid) - cpuBefore, requests: result.rps * seconds };
}
