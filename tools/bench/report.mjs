// The bench's table, and the comparison of two runs' JSON.
export const fixed = (value, digits = 0) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : String(value));
const thousands = (value) => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : String(value));

/** A plain-text table: the first row is the header; columns of figures align right, text columns left. */
export function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  const figuresOnly = rows[0].map((_, column) => column > 0 && rows.slice(1).every((row) => /^[\d.,\s/%()-]*$|^NaN$/.test(String(row[column]))));
  const cell = (value, column) => (figuresOnly[column] ? String(value).padStart(widths[column]) : String(value).padEnd(widths[column]));
  return rows.map((row) => row.map(cell).join('  ').trimEnd()).join('\n');
}

export const HTTP_LABELS = {
  anchor: 'anchor: Nest + Fastify, HS256 JWT guard, constant JSON',
  health: 'bitro-api GET /health/live',
  me: 'bitro-api GET /v1/me',
  balance: 'bitro-api GET /v1/wallet/balance',
  healthMetricsOn: '  a fresh replica, metrics on: GET /health/live',
  meMetricsOn: '  a fresh replica, metrics on: GET /v1/me',
  balanceMetricsOn: '  a fresh replica, metrics on: GET /v1/wallet/balance',
  healthMetricsOff: '  a fresh replica, metrics off: GET /health/live',
  meMetricsOff: '  a fresh replica, metrics off: GET /v1/me',
  balanceMetricsOff: '  a fresh replica, metrics off: GET /v1/wallet/balance',
};

export function formatReport(result) {
  const { http, redemptions: r, openLoop, idleLatency, processes, postgres, settings } = result;
  const lines = [`bitro bench ${result.startedAt} (${result.commit}${settings.smoke ? ', smoke' : ''})`, ''];
  lines.push(
    table([
      ['HTTP (wrk, 50 connections)', 'req/s', 'p50 ms', 'p99 ms', 'of anchor', 'server CPU µs/req'],
      ...Object.entries(HTTP_LABELS).map(([key, label]) => [
        label,
        thousands(http[key].rps),
        fixed(http[key].p50Ms, 2),
        fixed(http[key].p99Ms, 2),
        `${fixed(http[key].ofAnchorPct)} %`,
        fixed(http[key].cpuUsPerRequest, 1),
      ]),
    ]),
    `Each server: a warm-up, then ${settings.httpRounds} windows of ${settings.httpSeconds} s, each right after one of the anchor; req/s and latencies are`,
    `the medians of its windows, "of anchor" the median of the pairs' ratios. The anchor's ${http.anchor.windows} windows: ${thousands(http.anchor.rpsMin)}-${thousands(http.anchor.rpsMax)} req/s.`,
    "Server CPU µs/req: the server process's own CPU time over its windows per request answered (work of other processes",
    'on its core does not count in it, unlike in req/s).',
    'Metrics on as a share of metrics off, the two fresh replicas (100 % = no overhead), by share of the anchor and by CPU per request:',
    `health ${fixed(http.health.ofMetricsOffPct)} % / ${fixed(http.health.ofMetricsOffCpuPct)} %, ` +
      `me ${fixed(http.me.ofMetricsOffPct)} % / ${fixed(http.me.ofMetricsOffCpuPct)} %, ` +
      `balance ${fixed(http.balance.ofMetricsOffPct)} % / ${fixed(http.balance.ofMetricsOffCpuPct)} %`,
    '',
  );
  lines.push(
    table([
      ['Redemptions', 'value'],
      [`${r.count} redemptions by ${r.users} users, all at once: accepted/s (retried)`, `${fixed(r.acceptedPerS, 1)} (${r.retried})`],
      ['  credited end to end/s', fixed(r.creditedPerS, 1)],
      [`  the warm-up burst before it (${r.firstBurst.count}, the first after start): credited/s, node CPU ms per redemption`, `${fixed(r.firstBurst.creditedPerS, 1)}, ${fixed(r.firstBurst.nodeCpuMsPerRedemption, 1)}`],
      [`offered ${openLoop.offeredPerS}/s for ${openLoop.seconds} s (${openLoop.count}, ${openLoop.retried} retried): accepted->credited p50 / p99 ms`, `${fixed(openLoop.p50Ms)} / ${fixed(openLoop.p99Ms)}`],
      [`idle, ${idleLatency.count} in a row: accepted p50 ms`, fixed(idleLatency.acceptedP50Ms, 1)],
      ['  credited after the request p50 / p99 ms', `${fixed(idleLatency.creditedP50Ms)} / ${fixed(idleLatency.creditedP99Ms)}`],
      ['CPU ms per redemption: bitro-api + gateway / PostgreSQL / total', `${fixed(r.cpuMsPerRedemption.node, 1)} / ${fixed(r.cpuMsPerRedemption.postgres, 1)} / ${fixed(r.cpuMsPerRedemption.total, 1)}`],
      ['statements / transactions (BEGIN) / write transactions per redemption', `${fixed(r.statementsPerRedemption, 1)} / ${fixed(r.transactionsPerRedemption, 1)} / ${fixed(r.writeTransactionsPerRedemption, 1)}`],
      ['balances checked (mismatched)', `${r.balances.checked} (${r.balances.mismatched})`],
    ]),
    '',
  );
  lines.push(
    table([
      ['Process', 'idle RSS MB', 'RSS after load MB', 'idle CPU % of a core'],
      ['bitro-api', fixed(processes.api.idleRssMb), fixed(processes.api.loadedRssMb), fixed(processes.api.idleCpuPct, 2)],
      ['bitcoin-gateway', fixed(processes.gateway.idleRssMb), fixed(processes.gateway.loadedRssMb), fixed(processes.gateway.idleCpuPct, 2)],
      ['regtest node', fixed(processes.regtest.idleRssMb), '', ''],
    ]),
    '',
  );
  for (const [title, list] of [['by total time', postgres.byTotalTime], ['by calls', postgres.byCalls]]) {
    lines.push(`Top statements of the redemption run ${title}:`);
    lines.push(table([['calls', 'total ms', 'statement'], ...list.map((s) => [String(s.calls), fixed(s.totalMs, 1), `${s.database}: ${s.query.slice(0, 110)}`])]).replace(/^/gm, '  '), '');
  }
  if (result.profile) {
    lines.push(`CPU profile of bitro-api during the redemption run (${result.profile.busyMs} ms busy): ${result.profile.path}`);
    lines.push(table([['self %', 'function', 'where'], ...result.profile.topFrames.map((f) => [fixed(f.selfPct, 1), f.function, f.location])]).replace(/^/gm, '  '));
    lines.push(table([['self %', 'package'], ...result.profile.byPackage.slice(0, 20).map((p) => [fixed(p.selfPct, 1), p.package])]).replace(/^/gm, '  '), '');
  }
  lines.push(`Placement: ${result.placement}`);
  lines.push(`Load average (1 min) of the machine at the start / the end: ${fixed(result.loadAverage.start, 2)} / ${fixed(result.loadAverage.end, 2)} (${result.cores} cores)`);
  return lines.join('\n');
}

/** Every number of the run's figures, by dotted path (what --compare and the smoke test look at). */
export function figures(result) {
  const out = {};
  const walk = (value, path) => {
    if (typeof value === 'number') out[path] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value)) for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
  };
  for (const key of ['http', 'redemptions', 'openLoop', 'idleLatency', 'processes', 'loadAverage']) walk(result[key], key);
  return out;
}

export function formatComparison(a, b, nameA, nameB) {
  const before = figures(a);
  const after = figures(b);
  const rows = [['figure', nameA, nameB, 'b/a']];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const ratio = before[key] && after[key] !== undefined ? `${fixed(after[key] / before[key], 2)}x` : '';
    rows.push([key, fixed(before[key] ?? Number.NaN, 2), fixed(after[key] ?? Number.NaN, 2), ratio]);
  }
  return table(rows);
}
