import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidEnvironmentError, loadEnv } from './load-env';
import { tracingEnvFields, tracingSettingsOf } from './tracing-env';

const schema = z.object(tracingEnvFields);
const settingsOf = (env: NodeJS.ProcessEnv) => tracingSettingsOf(loadEnv(schema, env), 'bitro-api');

describe('tracing settings from the OTEL_* variables', () => {
  it('are off by default', () => {
    expect(settingsOf({})).toMatchObject({ enabled: false, serviceName: 'bitro-api', sampler: 'parentbased_always_on', samplerRatio: 1 });
  });

  it('are on with an OTLP endpoint, exporting to its /v1/traces', () => {
    expect(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' })).toMatchObject({ enabled: true, tracesUrl: 'http://127.0.0.1:4318/v1/traces' });
    expect(settingsOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom' })).toMatchObject({ enabled: true, tracesUrl: 'http://collector:4318/custom' });
    expect(settingsOf({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ enabled: true, tracesUrl: 'http://localhost:4318/v1/traces' });
  });

  it('stay off when the exporter is none or the SDK disabled', () => {
    expect(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
    expect(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
  });

  it('read the sampler, the service name and the resource attributes', () => {
    const settings = settingsOf({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_SERVICE_NAME: 'bitro-api-eu',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod, service.version=2.0%2B1',
    });
    expect(settings).toMatchObject({ sampler: 'parentbased_traceidratio', samplerRatio: 0.25, serviceName: 'bitro-api-eu' });
    expect(settings.resourceAttributes).toEqual({ 'deployment.environment.name': 'prod', 'service.version': '2.0+1' });
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf'],
    ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'grpc'],
    ['OTEL_TRACES_EXPORTER', 'zipkin'],
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_RESOURCE_ATTRIBUTES', 'novalue'],
  ])('refuse %s=%s at start, naming the variable', (variable, value) => {
    expect(() => loadEnv(schema, { [variable]: value })).toThrow(InvalidEnvironmentError);
    try {
      loadEnv(schema, { [variable]: value });
    } catch (error) {
      expect((error as InvalidEnvironmentError).problems.map((problem) => problem.variable)).toEqual([variable]);
    }
  });

  it('accept http/json', () => {
    expect(settingsOf({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).enabled).toBe(true);
  });
});
