import type { paths } from './generated/schema';

type RequiredKeys<T> = { [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K> ? never : K }[keyof T];

/** A request's headers with `Idempotency-Key` optional: the client sends one when the caller does not. */
type KeyOptional<H> = Omit<H, 'Idempotency-Key'> & { 'Idempotency-Key'?: string };

type WithOptionalKey<Parameters> = Parameters extends { header: infer H }
  ? [RequiredKeys<Omit<H, 'Idempotency-Key'>>] extends [never]
    ? Omit<Parameters, 'header'> & { header?: KeyOptional<H> }
    : Omit<Parameters, 'header'> & { header: KeyOptional<H> }
  : Parameters;

type ClientOperation<Operation> = Operation extends { parameters: infer Parameters } ? Omit<Operation, 'parameters'> & { parameters: WithOptionalKey<Parameters> } : Operation;

/** The document's paths as the client takes them: every operation as documented, its Idempotency-Key left to the client. */
export type ClientPaths = { [Path in keyof paths]: { [Method in keyof paths[Path]]: ClientOperation<paths[Path][Method]> } };
