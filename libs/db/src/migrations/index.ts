import { RegistryCore1764288000000 } from './1764288000000-registry-core';

/** Every migration, oldest first. A merged migration is never edited: add a new one. */
export const MIGRATIONS = [RegistryCore1764288000000];
