import { Injectable } from '@nestjs/common';
import { MetricsCollector } from '@bitro/metrics';
import { NodeSyncProbe } from './node-sync.probe';

/** Whether the node answers RPC. Never fails: a node that does not answer is 0, which is the point. */
@Injectable()
export class NodeUpCollector extends MetricsCollector {
  readonly name = 'the node (up)';
  private readonly up = this.gauge({ name: 'bitro_gateway_node_up', help: 'Whether the Bitcoin node answered its last RPC (getblockchaininfo) (1) or not (0).' });

  constructor(private readonly node: NodeSyncProbe) {
    super();
  }

  async collect(): Promise<void> {
    const probe = await this.node.probe();
    this.up.set(probe.blocks === undefined ? 0 : 1);
  }
}

/** The node's chain as it reports it; left out of the scrape while the node does not answer (see bitro_gateway_node_up). */
@Injectable()
export class NodeCollector extends MetricsCollector {
  readonly name = 'the node';
  private readonly blocks = this.gauge({ name: 'bitro_gateway_node_blocks', help: "Height of the node's validated chain (getblockchaininfo.blocks)." });
  private readonly headers = this.gauge({ name: 'bitro_gateway_node_headers', help: 'Height of the best header chain the node knows (getblockchaininfo.headers).' });
  private readonly initialBlockDownload = this.gauge({
    name: 'bitro_gateway_node_initial_block_download',
    help: 'Whether the node is in initial block download (1) or not (0).',
  });

  constructor(private readonly node: NodeSyncProbe) {
    super();
  }

  async collect(): Promise<void> {
    const probe = await this.node.probe();
    if (probe.blocks === undefined || probe.headers === undefined) throw new Error(probe.error ?? 'the node did not answer');
    this.blocks.set(probe.blocks);
    this.headers.set(probe.headers);
    this.initialBlockDownload.set(probe.initialBlockDownload ? 1 : 0);
  }
}
