import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Checked as data and with dclint (no Docker engine here): the Compose Specification's schema, best practices, and
// the Bitcoin Core conventions the stack relies on.
const root = join(import.meta.dirname, '..', '..');
interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  restart?: string;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
}
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const bitcoind = compose.services.bitcoind;
const initScript = readFileSync(join(root, 'deploy/bitcoind/init-regtest-wallet.sh'), 'utf8');

function dclint(file: string): { status: number | null; messages: { rule: string; line: number; message: string }[] } {
  const run = spawnSync('npx', ['--no-install', 'dclint', file, '-c', join(root, '.dclintrc.yaml'), '-f', 'json'], { cwd: root, encoding: 'utf8' });
  const report = JSON.parse(run.stdout) as { messages: { rule: string; line: number; message: string }[] }[];
  return { status: run.status, messages: report.flatMap((f) => f.messages) };
}

describe('docker-compose.yml under dclint', () => {
  it('passes dclint with the committed .dclintrc.yaml (schema and rules), which says why each rule it turns off is off', () => {
    const run = dclint(join(root, 'docker-compose.yml'));
    expect(run.messages).toEqual([]);
    expect(run.status).toBe(0);
    const config = readFileSync(join(root, '.dclintrc.yaml'), 'utf8');
    const off = (parse(config) as { rules: Record<string, number> }).rules;
    for (const rule of Object.keys(off)) {
      expect(off[rule]).toBe(0);
      expect(config, `${rule} has a reason`).toMatch(new RegExp(`#[^\\n]+\\n\\s*${rule}: 0`));
    }
  });

  it('dclint reports what its rules check: the published port once its disable comment is gone', () => {
    const bare = composeText.replace(/^\s*# dclint disable-line no-unbound-port-interfaces\n/m, '\n');
    expect(bare).not.toBe(composeText);
    const dir = mkdtempSync(join(tmpdir(), 'dclint-'));
    try {
      writeFileSync(join(dir, 'docker-compose.yml'), bare);
      const run = dclint(join(dir, 'docker-compose.yml'));
      expect(run.messages.map((m) => m.rule)).toEqual(['no-unbound-port-interfaces']);
      expect(run.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Bitcoin Core in docker-compose.yml', () => {
  it('keeps long-running services up across failures and host restarts; one-shot jobs run once', () => {
    const oneShot = ['bitcoind-init', 'migrate', 'migrate-gateway'];
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.restart, name).toBe(oneShot.includes(name) ? 'no' : 'unless-stopped');
    }
  });

  it('gives bitcoind only a salted HMAC of the RPC password (-rpcauth), never the password, and checks health by cookie', () => {
    const command = bitcoind.command ?? [];
    expect(command.filter((arg) => /^-rpc(user|password)=/.test(arg))).toEqual([]);
    expect(command).toContain('-rpcauth=${BITCOIN_RPC_AUTH:?set BITCOIN_RPC_AUTH (node deploy/bitcoind/rpcauth.mjs bitro)}');
    expect(JSON.stringify(bitcoind.environment ?? {})).not.toMatch(/PASSWORD/);
    expect(bitcoind.healthcheck?.test).toEqual(['CMD', 'bitcoin-cli', '-regtest', '-datadir=/home/bitcoin/.bitcoin', 'getblockchaininfo']);
  });

  it('deploy/bitcoind/rpcauth.mjs prints what Core checks: HMAC-SHA256 keyed by the salt text (share/rpcauth/rpcauth.py)', () => {
    const out = execFileSync('node', [join(root, 'deploy/bitcoind/rpcauth.mjs'), 'bitro', 'correct horse'], { encoding: 'utf8' });
    const match = /^BITCOIN_RPC_AUTH='bitro:([0-9a-f]{32})\$([0-9a-f]{64})'$/m.exec(out);
    if (!match) throw new Error(`unexpected output: ${out}`);
    const [, salt, hmac] = match;
    // Core's CheckUserAuthorized (src/httprpc.cpp): HMAC_SHA256(key = salt string, message = password).
    expect(hmac).toBe(createHmac('sha256', salt).update('correct horse').digest('hex'));
    expect(hmac).not.toBe(createHmac('sha256', salt).update('wrong horse').digest('hex'));
    const generated = execFileSync('node', [join(root, 'deploy/bitcoind/rpcauth.mjs'), 'bitro'], { encoding: 'utf8' });
    const [, salt2, hmac2] = /'bitro:([0-9a-f]{32})\$([0-9a-f]{64})'/.exec(generated) ?? [];
    const [, password] = /^BITCOIN_RPC_PASSWORD='([^']+)'$/m.exec(generated) ?? [];
    expect(hmac2).toBe(createHmac('sha256', salt2).update(password).digest('hex'));
  });

  it('loads the gateway wallet on every start: -wallet=, and created with load_on_startup', () => {
    expect(bitcoind.command).toContain('-wallet=bitro');
    expect(compose.services['bitcoin-gateway'].environment?.BITCOIN_RPC_WALLET).toBe('bitro');
    expect(initScript).toMatch(/createwallet wallet_name="\$BITCOIN_RPC_WALLET" load_on_startup=true/);
    expect(initScript).toMatch(/loadwallet filename="\$BITCOIN_RPC_WALLET" load_on_startup=true/);
  });

  it('the init script mines out of initial block download on every run where the tip is stale, not only below height 101', () => {
    expect(initScript).toMatch(/-lt 101 \]; then\n\s+cli generatetoaddress 101 /);
    expect(initScript).toMatch(/elif cli getblockchaininfo \| grep -q '"initialblockdownload": true'; then\n\s+cli generatetoaddress 1 /);
    expect(spawnSync('sh', ['-n', join(root, 'deploy/bitcoind/init-regtest-wallet.sh')]).status).toBe(0);
  });
});
