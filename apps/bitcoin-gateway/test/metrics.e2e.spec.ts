import { contractFamilies, freePort, type MetricsScrape, scrapeMetrics } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './test-gateway';

describe('bitcoin-gateway metrics', () => {
  let gateway: TestGateway;
  let metricsUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    gateway = await startTestGateway({ METRICS_HOST: '127.0.0.1', METRICS_PORT: String(port) });
    metricsUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => gateway?.close());

  const node = <T>(method: string) => gateway.rpc<T>(method, []);

  it('are served on the metrics port only, never on the public one', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).not.toBe(200);
    expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(200);
  });

  it("report the node's height, headers and initial block download, and the wallet's balance, as the node does", async () => {
    const initial = await scrapeMetrics(metricsUrl);
    // A fresh chain: the genesis block only, in initial block download.
    expect(initial.value('bitro_gateway_node_up')).toBe(1);
    expect(initial.value('bitro_gateway_node_blocks')).toBe(0);
    expect(initial.value('bitro_gateway_node_initial_block_download')).toBe(1);

    gateway.node.controls.mine(101, await gateway.rpc<string>('getnewaddress', []));
    const scraped = await scrapeMetrics(metricsUrl);
    const chain = await node<{ blocks: number; headers: number; initialblockdownload: boolean }>('getblockchaininfo');
    const balances = await node<{ mine: { trusted: number; untrusted_pending: number; immature: number } }>('getbalances');
    expect(chain.blocks).toBe(101);
    expect(scraped.value('bitro_gateway_node_blocks')).toBe(chain.blocks);
    expect(scraped.value('bitro_gateway_node_headers')).toBe(chain.headers);
    expect(scraped.value('bitro_gateway_node_initial_block_download')).toBe(chain.initialblockdownload ? 1 : 0);
    const { trusted, untrusted_pending, immature } = balances.mine;
    expect(scraped.value('bitro_gateway_wallet_balance_sats')).toBe(Math.round((trusted + untrusted_pending + immature) * 1e8));
    expect(scraped.value('bitro_gateway_wallet_balance_sats')).toBeGreaterThan(0);
  });

  it('report the fee estimate, the deposit scan lag, payouts in flight and the reserves difference', async () => {
    gateway.node.controls.setFeeRate(3_000n);
    // The gateway's deposit scan may move its cursor meanwhile: a scrape between two equal readings of it.
    const cursorHeight = async () => Number((await gateway.query(`SELECT block_height FROM gateway.chain_cursors WHERE name = 'deposits'`))[0]?.['block_height'] ?? 0);
    let scraped: MetricsScrape;
    let height: number;
    do {
      height = await cursorHeight();
      scraped = await scrapeMetrics(metricsUrl);
    } while ((await cursorHeight()) !== height);
    expect(scraped.value('bitro_gateway_deposit_scan_lag_blocks')).toBe(101 - height);
    expect(scraped.value('bitro_gateway_fee_estimate_sat_per_vbyte')).toBe(3);
    expect(scraped.labels('bitro_gateway_payouts').map((labels) => labels['state']).sort()).toEqual(['broadcast', 'failed', 'signed']);
    expect(scraped.value('bitro_gateway_payouts')).toBe(0);
    expect(scraped.value('bitro_gateway_payout_oldest_age_seconds')).toBe(0);
    expect(scraped.value('bitro_gateway_chain_ledger_difference_sats')).toBe(0);
    for (const name of ['bitro_events_publications_incomplete', 'bitro_outbox_backlog', 'bitro_queue_jobs', 'bitro_pg_pool_connections', 'process_resident_memory_bytes']) {
      expect(scraped.has(name), name).toBe(true);
    }
  });

  it("serve every family the alert rules and the dashboard use (deploy/prometheus/metric-names.json), of the contract's type", async () => {
    const scraped = await scrapeMetrics(metricsUrl);
    for (const { name, type } of contractFamilies('bitcoin-gateway')) expect(scraped.type(name), name).toBe(type);
  });

  it('while the node is down: node_up 0, the chain families left out, the rest served', async () => {
    await gateway.node.controls.down();
    let scraped: MetricsScrape;
    try {
      scraped = await scrapeMetrics(metricsUrl);
    } finally {
      await gateway.node.controls.up();
    }
    expect(scraped.value('bitro_gateway_node_up')).toBe(0);
    expect(scraped.has('bitro_gateway_node_blocks')).toBe(false);
    expect(scraped.has('bitro_gateway_wallet_balance_sats')).toBe(false);
    expect(scraped.has('bitro_gateway_payouts')).toBe(true);
    expect(scraped.has('bitro_outbox_backlog')).toBe(true);
  });
});
