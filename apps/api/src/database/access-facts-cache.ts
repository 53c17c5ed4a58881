import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ACCESS_CHANGES_CHANNEL, ChangeListener, CREDENTIALS_CHANGED, type RepositoryAccessFacts } from '@wharf/db';
import { LRUCache } from 'lru-cache';

import { CHANGE_NOTICES_URL } from './change-notices-url';

const MAX_ENTRIES = 10_000;
const SEPARATOR = '\u0000';

/**
 * The facts an access decision on a repository reads (its namespace, its visibility, the
 * caller's roles there), remembered per caller and repository so that a CI job asking for
 * a token again and again costs no database round trip. Correct across API processes:
 * PostgreSQL triggers announce at commit every change to namespaces, repositories' visibility,
 * members and teams (migration AccessChangeNotices), and every process then forgets
 * everything; while the announcements are not flowing, nothing is served from here. The
 * services that change these call `changed` too: this process forgets at once, and they
 * answer only once its own notice is back.
 */
@Injectable()
export class AccessFactsCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AccessFactsCache.name);
  /** `null`: the namespace does not exist. */
  private readonly entries = new LRUCache<string, { facts: RepositoryAccessFacts | null }>({ max: MAX_ENTRIES });
  /** Moves on every change: a load that raced one is not remembered. */
  private generation = 0;
  /** What else forgets when credentials change (see `onCredentialsChange`). */
  private readonly subscribers: (() => void)[] = [];
  private readonly listener: ChangeListener;

  constructor(@Inject(CHANGE_NOTICES_URL) url: string) {
    this.listener = new ChangeListener(
      url,
      ACCESS_CHANGES_CHANNEL,
      { changed: (payload) => this.forgetAll(payload === CREDENTIALS_CHANGED), reset: () => this.forgetAll(true) },
      (error) => this.logger.warn(`access change notices interrupted (${error.message}); reading access facts from the database until they resume`),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
  }

  /** The facts of `repository` for `userId` (null: no user), from memory when possible, else from `load`. */
  async lookup(repository: string, userId: string | null, load: () => Promise<RepositoryAccessFacts | undefined>): Promise<RepositoryAccessFacts | undefined> {
    const key = `${userId ?? ''}${SEPARATOR}${repository}`;
    if (this.listener.listening) {
      const cached = this.entries.get(key);
      if (cached) return cached.facts ?? undefined;
    }
    const generation = this.generation;
    const facts = await load();
    if (this.listener.listening && generation === this.generation) this.entries.set(key, { facts: facts ?? null });
    return facts;
  }

  /**
   * Namespaces, visibility, members or teams changed through this process: decides from the
   * database again, and resolves once the notice of the change has come back
   * (ChangeListener.caughtUp), so that the other processes have it before the caller answers.
   */
  async changed(): Promise<void> {
    this.forgetAll();
    await this.listener.caughtUp();
  }

  /**
   * Calls `forget` whenever a password, user, robot or token changes (announced with the
   * payload CREDENTIALS_CHANGED), and when the notices resume after a gap.
   */
  onCredentialsChange(forget: () => void): void {
    this.subscribers.push(forget);
  }

  private forgetAll(credentialsToo = false): void {
    this.generation++;
    this.entries.clear();
    if (credentialsToo) for (const forget of this.subscribers) forget();
  }
}
