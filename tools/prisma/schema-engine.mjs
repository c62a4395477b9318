#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary (see README.md). The Prisma CLI spawns
// it through PRISMA_SCHEMA_ENGINE_BINARY and speaks JSON-RPC over stdin/stdout; requests are
// answered by Prisma's WebAssembly build of the same engine, which reaches Postgres through
// @prisma/adapter-pg. stdout carries the protocol, so everything else goes to stderr.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const { values: args, positionals } = parseArgs({
  options: {
    datamodels: { type: 'string', multiple: true },
    datasource: { type: 'string' },
    // Accepted like the native binary does; the wasm engine has no equivalent options.
    'enabled-preview-features': { type: 'string' },
    'extension-types': { type: 'string' },
    version: { type: 'boolean', short: 'V' },
  },
  allowPositionals: true,
});

const wasm = await loadWasmEngine();
const engineHash = wasm.version();

// Same line format as the native engine's tracing output; the CLI reads `level` and `fields`.
function log(level, fields, target = 'schema_engine_cli') {
  process.stderr.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target })}\n`);
}

async function loadWasmEngine() {
  // The package's entry point imports the .wasm file as an ES module, which Node only
  // supports behind a flag, so instantiate it by hand against its JS glue.
  const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = await import(glueUrl);
  const bytes = await readFile(new URL('schema_engine_bg.wasm', glueUrl));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

// ---------------------------------------------------------------------------------------------
// Postgres connections
// ---------------------------------------------------------------------------------------------

const NO_URL = 'No datasource URL was given (datasource.url in prisma.config.ts).';

/** Splits Prisma's `?schema=` parameter (unknown to pg) off a Postgres URL. */
function parsePostgresUrl(rawUrl) {
  if (!rawUrl) throw new Error(NO_URL);
  const url = new URL(rawUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const database = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  return { url, schema, database };
}

function withDatabase(url, database) {
  const copy = new URL(url);
  copy.pathname = `/${encodeURIComponent(database)}`;
  return copy;
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

// adapter-pg 7.10 rejects Postgres' internal one-byte `"char"` type, which the engine's
// catalog queries return (pg_class.relkind, ...). pg already parses its values as strings.
function charAsText(result) {
  for (const { fields = [] } of [result].flat()) {
    for (const field of fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

class CatalogFriendlyClient extends pg.Client {
  query(...params) {
    const callbackAt = params.findIndex((param) => typeof param === 'function');
    if (callbackAt >= 0) {
      const callback = params[callbackAt];
      params[callbackAt] = (error, result) => callback(error, error ? result : charAsText(result));
    }
    const returned = super.query(...params);
    return returned instanceof Promise ? returned.then(charAsText) : returned;
  }
}

/** adapter-pg's factory, with the fixes the schema engine needs. */
class MigrationAdapterFactory extends PrismaPg {
  constructor({ url, schema }) {
    super(
      {
        connectionString: url.toString(),
        // As with the native engine, `?schema=` is the default schema of the connection: the
        // engine keeps `_prisma_migrations` there and leaves names in it unqualified.
        options: schema ? `-c search_path=${quoteIdent(schema)}` : undefined,
        Client: CatalogFriendlyClient,
      },
      schema ? { schema } : undefined,
    );
    this.url = url;
    this.schema = schema;
  }

  async connect() {
    const adapter = await super.connect();
    // adapter-pg splits scripts on every `;`, breaking string literals and function bodies.
    // Like the native engine, send a migration as one simple-protocol query (one transaction).
    adapter.executeScript = async (script) => {
      try {
        await adapter.underlyingDriver().query(script);
      } catch (error) {
        adapter.onError(error);
      }
    };
    return adapter;
  }

  // adapter-pg's own helper loses the database name to the connection string and drops the
  // database while its pool is still connected, so create and drop the shadow database here.
  async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await main.executeScript(`CREATE DATABASE ${quoteIdent(database)}`);
    const shadow = await new MigrationAdapterFactory({ url: withDatabase(this.url, database), schema: this.schema }).connect();
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      try {
        await disposeShadow();
        await main.executeScript(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
      } finally {
        await main.dispose();
      }
    };
    return shadow;
  }
}

/** The native engine's user-facing errors for common connection failures. */
function connectionError(error, url, database) {
  const location = `${url.hostname}:${url.port || 5432}`;
  const user = decodeURIComponent(url.username);
  const [code, message] = {
    '3D000': ['P1003', `Database \`${database}\` does not exist on the database server at \`${location}\`.`],
    '42P04': ['P1009', `Database \`${database}\` already exists on the database server at \`${location}\``],
    '28000': ['P1000', `Authentication failed against database server, the provided database credentials for \`${user}\` are not valid.`],
    '28P01': ['P1000', `Authentication failed against database server, the provided database credentials for \`${user}\` are not valid.`],
    ECONNREFUSED: ['P1001', `Can't reach database server at \`${location}\``],
    ENOTFOUND: ['P1001', `Can't reach database server at \`${location}\``],
    ETIMEDOUT: ['P1001', `Can't reach database server at \`${location}\``],
  }[error.code] ?? ['', error.message];
  return Object.assign(new Error(message), { code });
}

// ---------------------------------------------------------------------------------------------
// One-shot mode: `schema-engine --datasource '{"url":…}' cli can-connect-to-database`
// ---------------------------------------------------------------------------------------------

async function runCliCommand(command, rawUrl) {
  log('INFO', { message: 'Starting schema engine CLI', git_hash: engineHash });
  try {
    const { url, database } = parsePostgresUrl(rawUrl);
    // Creating or dropping a database needs a connection to another one.
    const maintenanceUrl = withDatabase(url, database === 'postgres' ? 'template1' : 'postgres');
    const commands = {
      'can-connect-to-database': [url, 'SELECT 1', 'Connection successful'],
      'create-database': [maintenanceUrl, `CREATE DATABASE ${quoteIdent(database)}`, `Database '${database}' was successfully created.`],
      'drop-database': [maintenanceUrl, `DROP DATABASE ${quoteIdent(database)}`, 'The database was successfully dropped.'],
    };
    if (!commands[command]) throw new Error(`Unknown cli subcommand: ${command}`);
    const [onUrl, sql, done] = commands[command];
    const client = new pg.Client({ connectionString: onUrl.toString() });
    try {
      await client.connect();
      await client.query(sql);
    } catch (error) {
      throw connectionError(error, url, database);
    } finally {
      await client.end().catch(() => undefined);
    }
    log('INFO', { message: done });
    process.exit(0);
  } catch (error) {
    // The CLI looks for exactly this record on stderr to report the failure.
    log('ERROR', { is_panic: false, error_code: error.code ?? '', message: error.message }, 'schema_engine::logger');
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC mode (no subcommand): one request per stdin line, one response per stdout line
// ---------------------------------------------------------------------------------------------

const panicRegistry = {
  message: '',
  set_message(message) {
    this.message = message;
  },
};

async function serveJsonRpc(datasource) {
  log('INFO', { message: 'Starting schema engine RPC server', git_hash: engineHash });
  globalThis.PRISMA_WASM_PANIC_REGISTRY = panicRegistry;
  let adapterFactory;
  let engine;

  // Started on the first request, so that any failure is reported as that request's error.
  async function startEngine() {
    const datamodels = await Promise.all((args.datamodels ?? []).map(async (path) => [path, await readFile(path, 'utf8')]));
    const noUrl = async () => {
      throw new Error(NO_URL);
    };
    const factory = datasource.url
      ? new MigrationAdapterFactory(parsePostgresUrl(datasource.url))
      : { provider: 'postgres', adapterName: '@prisma/adapter-pg', connect: noUrl, connectToShadowDb: noUrl };
    if (datasource.shadowDatabaseUrl) {
      // The wasm engine would not reset a given shadow database first, as the native one does.
      factory.connectToShadowDb = async () => {
        throw new Error('datasource.shadowDatabaseUrl is not supported by tools/prisma/schema-engine.mjs: remove it to use a temporary shadow database.');
      };
    }
    adapterFactory = bindMigrationAwareSqlAdapterFactory(factory);
    // `datamodels` must be undefined or non-empty.
    return wasm.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, forwardEngineLog, adapterFactory);
  }

  const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  // Requests from the engine to the CLI: the native engine prints `migrate diff` output this way.
  const pendingCalls = new Map();
  let lastCallId = 0;
  const callCli = (method, params) =>
    new Promise((resolve) => {
      pendingCalls.set(++lastCallId, resolve);
      send({ id: lastCallId, method, params });
    });

  const handlers = {
    async diff(params) {
      const { stdout, ...result } = await engine.diff(params);
      // The CLI adds the final newline itself.
      if (stdout) await callCli('print', { content: stdout.replace(/\n$/, '') });
      return { ...result, stdout: null };
    },
    getDatabaseVersion: (params) => engine.version(params),
    evaluateDataLoss: (params) => withMigrationsSchema(params, () => engine.evaluateDataLoss(params)),
    createMigration: (params) => withMigrationsSchema(params, () => engine.createMigration(params)),
  };

  // These two commands take the schema the migrations produce from a cache that only
  // devDiagnostic fills through our shadow database factory; applying migrations empties it
  // (e.g. `migrate dev` on a new database), and the wasm engine then fails instead of replaying.
  async function withMigrationsSchema({ migrationsList, filters }, command) {
    try {
      return await command();
    } catch (error) {
      if (!String(error?.message).includes('shadow DB must be provided through an external factory')) throw error;
      await engine.devDiagnostic({ migrationsList, filters });
      return command();
    }
  }

  async function handle({ id, method, params }) {
    try {
      engine ??= await startEngine();
      const handler = handlers[method] ?? (typeof engine[method] === 'function' ? (p) => engine[method](p) : undefined);
      if (!handler) return send({ id, error: { code: -32601, message: `Method not found: ${method}` } });
      send({ id, result: (await handler(params)) ?? {} });
    } catch (thrown) {
      const panicked = thrown instanceof WebAssembly.RuntimeError;
      const error = panicked ? new Error(panicRegistry.message || thrown.message) : originalAdapterError(thrown);
      log('ERROR', { message: error.message });
      send({
        id,
        error: {
          code: 4466,
          message: error.message,
          data: { is_panic: panicked, message: error.message, meta: error.meta ?? null, error_code: error.code ?? null },
        },
      });
      // A wasm instance that panicked is unusable; the native binary exits with 101 too.
      if (panicked) process.exit(101);
    }
  }

  // Plain JS errors thrown inside the adapter reach the engine as `GenericJs` error ids.
  function originalAdapterError(error) {
    const id = /External error id#(\d+)/.exec(String(error?.message))?.[1];
    const original = id === undefined ? undefined : adapterFactory?.errorRegistry.consumeError(Number(id))?.error;
    return original instanceof Error ? original : error;
  }

  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const message = JSON.parse(line);
    if (message.method === undefined) {
      pendingCalls.get(message.id)?.(message.result);
      pendingCalls.delete(message.id);
    } else {
      queue = queue.then(() => handle(message));
    }
  });
  lines.on('close', async () => {
    await queue;
    engine?.free();
    process.exit(0);
  });
}

function forwardEngineLog(line) {
  process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
}

// ---------------------------------------------------------------------------------------------

if (args.version) {
  process.stdout.write(`schema-engine-cli ${engineHash}\n`);
} else {
  const datasource = JSON.parse(args.datasource ?? '{}');
  if (positionals[0] === 'cli') await runCliCommand(positionals[1], datasource.url);
  else await serveJsonRpc(datasource);
}
