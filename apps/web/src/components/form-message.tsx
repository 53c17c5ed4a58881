import styles from './form-message.module.css';

/** The outcome of a form: an error (alert) or a confirmation (status). */
export function FormMessage({ error, success }: { error?: string | null; success?: string | null }) {
  if (error) {
    return (
      <p role="alert" className={`${styles.message} ${styles.error}`}>
        {error}
      </p>
    );
  }
  if (success) {
    return (
      <p role="status" className={`${styles.message} ${styles.success}`}>
        {success}
      </p>
    );
  }
  return null;
}
