export const PG_POOL = Symbol.for('bitro.pg.pool');
export const REDIS = Symbol.for('bitro.redis');
