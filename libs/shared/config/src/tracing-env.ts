import { z } from 'zod';

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TraceSampler = (typeof SAMPLERS)[number];

const otlpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' });
/** Only OTLP over HTTP with JSON bodies is shipped (one exporter, no protobuf or gRPC code in the process). */
const otlpProtocol = z.string().trim().refine((value) => value === 'http/json', 'only http/json is supported (not http/protobuf or grpc)');

/** `key1=value1,key2=value2`, values percent-encoded (the OpenTelemetry specification's format). */
const resourceAttributes = z
  .string()
  .transform((value, context): Record<string, string> => {
    const attributes: Record<string, string> = {};
    for (const pair of value.split(',').map((entry) => entry.trim()).filter(Boolean)) {
      const at = pair.indexOf('=');
      const key = pair.slice(0, at).trim();
      if (at <= 0 || key === '') {
        context.addIssue({ code: 'custom', message: `"${pair}" is not key=value` });
        return z.NEVER;
      }
      try {
        attributes[key] = decodeURIComponent(pair.slice(at + 1).trim());
      } catch {
        context.addIssue({ code: 'custom', message: `the value of ${key} is not percent-encoded` });
        return z.NEVER;
      }
    }
    return attributes;
  });

/**
 * OpenTelemetry's standard variables for traces, the same in both processes. Tracing is off unless an exporter is asked
 * for: `OTEL_TRACES_EXPORTER=otlp`, or an OTLP endpoint given (and the exporter not `none`).
 */
export const tracingEnvFields = {
  OTEL_SDK_DISABLED: z.enum(['true', 'false', 'TRUE', 'FALSE']).optional(),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { error: 'must be otlp or none' }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpUrl.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol.optional(),
  OTEL_TRACES_SAMPLER: z.enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` }).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
  OTEL_RESOURCE_ATTRIBUTES: resourceAttributes.optional(),
};

type TracingEnv = z.output<z.ZodObject<typeof tracingEnvFields>>;

/** How a process traces: what `@bitro/tracing` starts from. */
export interface TracingSettings {
  enabled: boolean;
  /** Where spans are POSTed (OTLP/HTTP, JSON). */
  tracesUrl: string;
  sampler: TraceSampler;
  /** The ratio of the `*traceidratio` samplers (default 1). */
  samplerRatio: number;
  serviceName: string;
  resourceAttributes: Record<string, string>;
}

/** The default OTLP/HTTP receiver of the specification. */
const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

export function tracingSettingsOf(env: TracingEnv, defaultServiceName: string): TracingSettings {
  const exporter = env.OTEL_TRACES_EXPORTER ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none');
  const base = (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '');
  return {
    enabled: env.OTEL_SDK_DISABLED?.toLowerCase() !== 'true' && exporter === 'otlp',
    tracesUrl: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${base}/v1/traces`,
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerRatio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
    serviceName: env.OTEL_SERVICE_NAME ?? env.OTEL_RESOURCE_ATTRIBUTES?.['service.name'] ?? defaultServiceName,
    resourceAttributes: env.OTEL_RESOURCE_ATTRIBUTES ?? {},
  };
}
