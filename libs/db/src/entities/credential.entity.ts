import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A robot account of an organization, for CI and other machines: `robot$<namespace>+<name>`. */
@Entity({ name: 'robot' })
@Unique(['namespaceId', 'name'])
export class RobotEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'namespace_id', type: 'bigint' })
  namespaceId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  /** Its permissions: globs over repositories of its organization, and the actions allowed there. */
  @Column({ type: 'jsonb' })
  rules!: { pattern: string; actions: string[] }[];

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'boolean' })
  disabled!: boolean;

  /** The user who created it; null once that user is deleted (the robot stays). */
  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}

/** A user's personal access token: a password substitute for CLIs, narrowed by scope. */
@Entity({ name: 'personal_token' })
@Unique(['userId', 'name'])
export class PersonalTokenEntity {
  /** Chosen by Wharf and part of the token, so that it is found without scanning hashes. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ type: 'text' })
  scope!: 'read' | 'read-write' | 'read-write-delete';

  /** Only these namespaces (by name), when set; null for no such limit. */
  @Column({ type: 'text', array: true, nullable: true })
  namespaces!: string[] | null;

  /** Only repositories whose full name matches one of these globs, when set. */
  @Column({ type: 'text', array: true, nullable: true })
  repositories!: string[] | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}

/**
 * A refresh token (docker's identity token) of the OAuth2 token flow. It stands for the
 * credential that obtained it, exactly one of a user or a robot (and the personal token, if
 * one was used), so that revoking or deleting that credential ends it.
 */
@Entity({ name: 'refresh_token' })
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId!: string | null;

  @Column({ name: 'robot_id', type: 'bigint', nullable: true })
  robotId!: string | null;

  @Column({ name: 'personal_token_id', type: 'uuid', nullable: true })
  personalTokenId!: string | null;

  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
