import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
