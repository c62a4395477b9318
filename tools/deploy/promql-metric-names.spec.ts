import { describe, expect, it } from 'vitest';
import { promqlMetricNames } from './promql-metric-names';

describe('promqlMetricNames', () => {
  it('finds the selected metrics, not functions, label names, matchers, ranges, keywords or numbers', () => {
    expect(
      promqlMetricNames(
        'histogram_quantile(0.99, sum by (job, route, le) (rate(bitro_http_request_duration_seconds_bucket{status=~"5..", route!="unmatched"}[$__rate_interval]))) > 1e3',
      ),
    ).toEqual(['bitro_http_request_duration_seconds_bucket']);
    expect(
      promqlMetricNames(
        '(max by (job, instance) (bitro_gateway_node_headers) - max by (job, instance) (bitro_gateway_node_blocks offset 5m)) > 0\nunless on (job, instance) max(up) without (instance) == bool 1',
      ),
    ).toEqual(['bitro_gateway_node_headers', 'bitro_gateway_node_blocks', 'up']);
    expect(promqlMetricNames('job:bitro_http_5xx_requests:rate5m / ignoring (status) group_left (route) job:bitro_http_requests:rate5m and vector(1)')).toEqual([
      'job:bitro_http_5xx_requests:rate5m',
      'job:bitro_http_requests:rate5m',
    ]);
    expect(promqlMetricNames('label_replace(bitro_outbox_backlog, "to", "$1", "from", "(.*)")')).toEqual(['bitro_outbox_backlog']);
  });
});
