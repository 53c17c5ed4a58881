import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ChangeListener, MANIFEST_CHANGES_CHANNEL, type StoredManifest } from '@wharf/db';
import { LRUCache } from 'lru-cache';

import { CHANGE_NOTICES_URL } from './change-notices-url';

/** Fixed bounds: at most this many lookups, holding at most this many manifest bytes. */
const MAX_ENTRIES = 10_000;
const MAX_BYTES = 64 * 1024 * 1024;
const ENTRY_OVERHEAD_BYTES = 256;

const SEPARATOR = '\u0000';
const repositoryOfKey = (key: string) => key.slice(0, key.indexOf(SEPARATOR));

/**
 * Manifest lookups by (repository, tag or digest), remembered so that a pull of a hot tag
 * costs no database round trip. Correct across API processes: PostgreSQL triggers announce
 * every change of a repository's tags and manifests at commit (ChangeListener), and
 * each process drops that repository's entries. While the announcements are not flowing
 * (starting, reconnecting) nothing is served from here. Unknown references are not
 * remembered. A process also forgets at once what it changed itself (`changed`), and
 * answers its client only once its own notice is back.
 */
@Injectable()
export class ManifestCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ManifestCache.name);
  /** Cache keys by repository id (what notices name), and repository ids by name. */
  private readonly keysByRepository = new Map<string, Set<string>>();
  private readonly repositoryIds = new Map<string, string>();
  private readonly entries = new LRUCache<string, StoredManifest>({
    max: MAX_ENTRIES,
    maxSize: MAX_BYTES,
    sizeCalculation: (manifest) => ENTRY_OVERHEAD_BYTES + (manifest.content?.length ?? 0),
    dispose: (manifest, key) => this.unindex(manifest.repositoryId, key),
  });
  /** Moves on every change: a lookup that raced one is not remembered. */
  private generation = 0;
  private readonly listener: ChangeListener;

  constructor(@Inject(CHANGE_NOTICES_URL) url: string) {
    this.listener = new ChangeListener(
      url,
      MANIFEST_CHANGES_CHANNEL,
      { changed: (repositoryId) => repositoryId && this.forget(repositoryId), reset: () => this.clear() },
      (error) => this.logger.warn(`manifest change notices interrupted (${error.message}); reading manifests from the database until they resume`),
    );
  }

  /**
   * A PostgreSQL backend that lives exactly as long as this process's connection to the
   * database (its notice listener's), or undefined while that is down: upload claims name it,
   * so that the claims of a process that died end with it (UploadClaim).
   */
  get sessionPid(): number | undefined {
    return this.listener.backendPid;
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
  }

  /**
   * The manifest `reference` names in `repository`, from memory when possible, else from
   * `load` (which must answer with content when `withContent`).
   */
  async lookup(repository: string, reference: string, withContent: boolean, load: () => Promise<StoredManifest | undefined>): Promise<StoredManifest | undefined> {
    const key = `${repository}${SEPARATOR}${reference}`;
    if (this.listener.listening) {
      const cached = this.entries.get(key);
      if (cached && (!withContent || cached.content)) return cached;
    }
    const generation = this.generation;
    const manifest = await load();
    if (manifest && this.listener.listening && generation === this.generation) this.remember(key, manifest);
    return manifest;
  }

  /**
   * This process changed the tags or manifests of `repository` (by name): forgets them here,
   * and resolves once the notice of the change has come back (ChangeListener.caughtUp), so
   * that the other processes have it before the client hears of the change.
   */
  async changed(repository: string): Promise<void> {
    this.generation++;
    const id = this.repositoryIds.get(repository);
    if (id !== undefined) this.forget(id);
    await this.listener.caughtUp();
  }


  private remember(key: string, manifest: StoredManifest): void {
    if (ENTRY_OVERHEAD_BYTES + (manifest.content?.length ?? 0) > MAX_BYTES / 16) return;
    this.entries.set(key, manifest);
    let keys = this.keysByRepository.get(manifest.repositoryId);
    if (!keys) this.keysByRepository.set(manifest.repositoryId, (keys = new Set()));
    keys.add(key);
    this.repositoryIds.set(repositoryOfKey(key), manifest.repositoryId);
  }

  private forget(repositoryId: string): void {
    this.generation++;
    const keys = this.keysByRepository.get(repositoryId);
    if (!keys) return;
    // Deleting an entry runs dispose → unindex, which empties the index as it goes.
    for (const key of [...keys]) this.entries.delete(key);
  }

  private clear(): void {
    this.generation++;
    this.entries.clear();
    this.keysByRepository.clear();
    this.repositoryIds.clear();
  }

  private unindex(repositoryId: string, key: string): void {
    const keys = this.keysByRepository.get(repositoryId);
    if (!keys?.delete(key) || keys.size > 0) return;
    this.keysByRepository.delete(repositoryId);
    const name = repositoryOfKey(key);
    if (this.repositoryIds.get(name) === repositoryId) this.repositoryIds.delete(name);
  }
}
