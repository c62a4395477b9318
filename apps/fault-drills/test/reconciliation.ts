import type { System } from '@bitro/system-testing';

/** What `npm run reconcile` found: nothing when clean, otherwise its closing lines naming the ids that drifted. */
export interface Reconciliation {
  clean: boolean;
  findings: string[];
}

/**
 * The cross-domain reconciliation (`reconcile`, ADR 20) over the whole history with no grace: once the drill's load
 * is settled, nothing may be in flight or have drifted.
 */
export function reconcile(system: System): Reconciliation {
  const { code, output } = system.command('reconcile', '--grace-seconds', '0', '--all');
  const findings = output.split('\n').filter((line) => line.startsWith('reconcile:') && line !== 'reconcile: DRIFT');
  return code === 0 ? { clean: true, findings: [] } : { clean: false, findings: findings.length > 0 ? findings : [`reconcile exited ${code}: ${output.slice(-500)}`] };
}
