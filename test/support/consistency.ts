import { S3BlobStorage } from '@wharf/storage';
import { Client } from 'pg';

export interface ConsistencyTarget {
  readonly database: { readonly url: string };
  readonly env: Record<string, string>;
}

/**
 * What must hold after any fault, whatever clients saw: every blob row has its object with
 * the right size; every manifest reference resolves; every open multipart upload and every
 * stored object belongs to a blob or to a live upload session. Returns the problems found.
 */
export async function consistencyProblems(target: ConsistencyTarget): Promise<string[]> {
  const env = target.env;
  const storage = new S3BlobStorage({
    endpoint: env.WHARF_S3_ENDPOINT!,
    bucket: env.WHARF_S3_BUCKET!,
    accessKey: env.WHARF_S3_ACCESS_KEY!,
    secretKey: env.WHARF_S3_SECRET_KEY!,
    region: env.WHARF_S3_REGION ?? 'us-east-1',
    partSize: 5 * 1024 * 1024,
  });
  const db = new Client({ connectionString: target.database.url });
  await db.connect();
  const problems: string[] = [];
  try {
    const blobs = (await db.query<{ digest: string; size: string; storage_key: string }>('SELECT digest, size, storage_key FROM blob')).rows;
    for (const blob of blobs) {
      const info = await storage.stat(blob.storage_key);
      if (!info) problems.push(`blob ${blob.digest}: object ${blob.storage_key} is missing`);
      else if (info.size !== Number(blob.size)) problems.push(`blob ${blob.digest}: object has ${info.size} bytes, row says ${blob.size}`);
    }
    const dangling = await db.query<{ digest: string }>('SELECT mb.digest FROM manifest_blob mb LEFT JOIN blob b ON b.digest = mb.digest WHERE b.digest IS NULL');
    for (const row of dangling.rows) problems.push(`a manifest references blob ${row.digest}, which has no row`);
    const children = await db.query<{ child_digest: string }>(
      `SELECT mc.child_digest FROM manifest_child mc JOIN manifest m ON m.id = mc.manifest_id
        WHERE NOT EXISTS (SELECT 1 FROM manifest c WHERE c.repository_id = m.repository_id AND c.digest = mc.child_digest)`,
    );
    for (const row of children.rows) problems.push(`an index references child ${row.child_digest}, which is not in its repository`);

    // A session owns every multipart upload of its key, recorded or not (a request that died
    // before recording its part); completing or aborting the session ends them all.
    const uploads = (await db.query<{ storage_key: string }>('SELECT storage_key FROM upload')).rows;
    const sessionKeys = new Set(uploads.map((u) => u.storage_key));
    for (const open of await storage.listOpenMultipartUploads()) {
      if (!sessionKeys.has(open.key)) problems.push(`multipart upload ${open.uploadId} of ${open.key} is open but no session owns it`);
    }
    const blobKeys = new Set(blobs.map((b) => b.storage_key));
    const uploadKeys = uploads.map((u) => u.storage_key);
    for (const key of await storage.listKeys()) {
      if (!blobKeys.has(key) && !uploadKeys.some((u) => key === u || key.startsWith(`${u}.tail-`))) problems.push(`object ${key} belongs to nothing`);
    }
  } finally {
    await db.end();
  }
  return problems;
}
