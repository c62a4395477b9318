// Preloaded into bitro-api by seed-scale-plans.mjs (node --require): appends every statement the process sends to
// PostgreSQL, with its parameters, to SCALE_QUERY_LOG as one JSON line. Prisma's adapter and every other user of pg
// go through Client#query, so this is the SQL the product runs.
const { appendFileSync } = require('node:fs');
const { Client } = require('pg');

const file = process.env.SCALE_QUERY_LOG;
const query = Client.prototype.query;
const toJson = (value) => (value instanceof Date ? value.toISOString() : Buffer.isBuffer(value) ? `\\x${value.toString('hex')}` : value);

Client.prototype.query = function (config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  const params = (typeof config === 'string' ? values : config?.values) ?? [];
  if (file && typeof text === 'string') {
    appendFileSync(file, `${JSON.stringify({ text, values: Array.isArray(params) ? params.map(toJson) : [] }, (_key, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
  }
  return query.call(this, config, values, callback);
};
