import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A local user (`user` is a reserved word, hence `app_user`). Owns the namespace of the same name. */
@Entity({ name: 'app_user' })
export class UserEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** The personal namespace; deleting it deletes the user. */
  @Column({ name: 'namespace_id', type: 'bigint', unique: true })
  namespaceId!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** Never the password itself. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** System administrator. */
  @Column({ type: 'boolean' })
  admin!: boolean;

  @Column({ type: 'boolean' })
  disabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Recorded at most once a minute. */
  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;
}

/**
 * A portal session. The cookie holds a random value; only its SHA-256 is kept here, and
 * logging out deletes the row, so a stolen cookie dies with it.
 */
@Entity({ name: 'session' })
export class SessionEntity {
  /** SHA-256 (hex) of the cookie value. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: string;

  /** Sent back by the portal in a header on every state-changing call. */
  @Column({ name: 'csrf_token', type: 'text' })
  csrfToken!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
