export { PROBLEM_CONTENT_TYPE, ProblemException, problemSchema, problemType, type Problem, type InvalidParam } from './problem';
export { toProblem } from './to-problem';
export { ProblemFilter } from './problem.filter';
export { createFastifyAdapter, REQUEST_ID_HEADER, type HttpOptions } from './fastify-adapter';
export { createLogger, REDACTED_PATHS } from './logger';
export { defineRoute, Route, ROUTE_CONTRACT, type RouteContract, type RouteAccess, type BodyOf, type QueryOf, type ParamsOf } from './route-contract';
export { ContractValidationInterceptor } from './contract-validation.interceptor';
export { buildOpenApiDocument } from './openapi';
export { DocsModule } from './docs.module';
