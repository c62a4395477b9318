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
  const cpuBefore = cpuSeconds(serverPid);
  const { rps, p50Ms, p99Ms } = await wrk({ url, headers, seconds, connections, core });
  const cpuUsPerRequest = ((cpuSeconds(serverPid) - cpuBefore) * 1e6) / (rps * seconds);
  return { rps, p50Ms, p99Ms, cpuUsPerRequest };
}
