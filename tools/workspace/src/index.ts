export { domainGenerator, type DomainOptions } from './domain/domain';
export { removeDomainGenerator, type RemoveDomainOptions } from './remove-domain/remove-domain';
