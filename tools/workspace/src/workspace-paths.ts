/** The files outside a domain's own folders that wire it into the workspace. */
export const TSCONFIG_BASE = 'tsconfig.base.json';
export const SERVICE_API_INDEX = 'libs/service-api/src/index.ts';
export const DOMAINS_MODULE = 'apps/bitro-api/src/app/domains.module.ts';

/** The two folders a domain owns: its library and its service-api contracts. */
export const domainDir = (name: string): string => `libs/${name}`;
export const serviceApiDir = (name: string): string => `libs/service-api/src/${name}`;

/** The import path of a domain library, `@bitro/<name>`, and the file it points to. */
export const importPathOf = (name: string): string => `@bitro/${name}`;
export const entryPointOf = (name: string): string => `./libs/${name}/src/index.ts`;
export const API_INFO = 'apps/bitro-api/src/app/api-info.ts';
