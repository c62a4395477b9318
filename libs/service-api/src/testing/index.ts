// Stand-ins of service-api interfaces for the tests of the domains that use them (never imported by production code).
export * from './test-users';
