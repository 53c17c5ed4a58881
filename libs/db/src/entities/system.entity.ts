import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A key that signs registry tokens, shared by every API process. The newest live key signs;
 * retired keys still verify tokens they signed until those expire.
 */
@Entity({ name: 'signing_key' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  algorithm!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  /** PKCS#8, sealed (encrypted) with the server's secret: never stored in the clear. */
  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}

/** A small system setting (self-registration...), changed at run time rather than in configuration. */
@Entity({ name: 'setting' })
export class SettingEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;
}

/**
 * Failed logins of an account or an address in the current fixed window, in the database so
 * that every API process throttles the same attacker.
 */
@Entity({ name: 'login_failure' })
export class LoginFailureEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ name: 'blocked_until', type: 'timestamptz', nullable: true })
  blockedUntil!: Date | null;
}
