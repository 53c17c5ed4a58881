import { parseDigest } from './digest';
import { OciError, OciErrorCode } from './errors';
import { essenceOf, isNonDistributable, manifestKindOf, MediaType, type ManifestKind } from './media-types';

/** Spec: registries must accept manifests of at least 4 MB; larger ones get 413. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Bound on descriptors per manifest, so one request cannot make unbounded work. */
export const MAX_MANIFEST_REFERENCES = 10_000;

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly urls?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: Readonly<Record<string, unknown>>;
}

export interface ParsedManifest {
  readonly mediaType: string;
  readonly kind: ManifestKind;
  readonly config?: Descriptor;
  /** Image layers, in order; empty for an index. */
  readonly layers: readonly Descriptor[];
  /** Index children; empty for an image manifest. */
  readonly manifests: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

function invalid(message: string, detail?: unknown): OciError {
  return new OciError(OciErrorCode.ManifestInvalid, message, detail);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseAnnotations(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw invalid(`${where}.annotations must map strings to strings`);
  }
  return value as Record<string, string>;
}

function parseDescriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw invalid(`${where} must be a descriptor object`);
  const { mediaType, digest, size, artifactType, urls } = value;
  if (typeof mediaType !== 'string' || mediaType === '') throw invalid(`${where}.mediaType is required`);
  if (typeof digest !== 'string') throw invalid(`${where}.digest is required`);
  try {
    parseDigest(digest);
  } catch {
    throw invalid(`${where}.digest is not a valid digest`, { digest });
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalid(`${where}.size must be a non-negative integer`);
  if (artifactType !== undefined && typeof artifactType !== 'string') throw invalid(`${where}.artifactType must be a string`);
  if (urls !== undefined && (!Array.isArray(urls) || !urls.every((u) => typeof u === 'string'))) throw invalid(`${where}.urls must be strings`);
  return {
    mediaType,
    digest,
    size,
    ...(artifactType !== undefined ? { artifactType } : {}),
    ...(urls !== undefined ? { urls: urls as string[] } : {}),
    ...(value.annotations !== undefined ? { annotations: parseAnnotations(value.annotations, where) } : {}),
    ...(isObject(value.platform) ? { platform: value.platform } : {}),
  };
}

function parseDescriptorList(value: unknown, where: string): Descriptor[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`${where} must be an array`);
  if (value.length > MAX_MANIFEST_REFERENCES) throw invalid(`${where} has more than ${MAX_MANIFEST_REFERENCES} entries`);
  return value.map((d, i) => parseDescriptor(d, `${where}[${i}]`));
}

/**
 * Resolves the manifest media type from the request's Content-Type and the body, as the
 * spec orders it: the header wins unless it is absent or generic, then the body's own
 * `mediaType`, then the shape of the body.
 */
function resolveMediaType(contentType: string | undefined, body: Record<string, unknown>): string {
  const header = essenceOf(contentType);
  const declared = body.mediaType;
  if (declared !== undefined && typeof declared !== 'string') throw invalid('mediaType must be a string');
  if (header === MediaType.DockerSchema1 || header === MediaType.DockerSchema1Signed || body.schemaVersion === 1) {
    throw invalid('schema1 manifests are not supported');
  }
  let mediaType: string;
  if (header !== undefined && header !== MediaType.Json && header !== MediaType.OctetStream) {
    mediaType = header;
    if (declared !== undefined && declared !== header) {
      throw invalid('manifest mediaType does not match Content-Type', { contentType: header, mediaType: declared });
    }
  } else if (declared !== undefined) {
    mediaType = declared;
  } else if (body.manifests !== undefined) {
    mediaType = MediaType.OciIndex;
  } else {
    mediaType = MediaType.OciManifest;
  }
  if (manifestKindOf(mediaType) === undefined) throw invalid(`unsupported manifest media type ${mediaType}`);
  return mediaType;
}

/** Parses and validates a manifest or index exactly as pushed. Throws MANIFEST_INVALID. */
export function parseManifest(bytes: Uint8Array, contentType: string | undefined): ParsedManifest {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw invalid('manifest is not valid JSON');
  }
  if (!isObject(body)) throw invalid('manifest must be a JSON object');
  const mediaType = resolveMediaType(contentType, body);
  if (body.schemaVersion !== 2) throw invalid('schemaVersion must be 2');
  const kind = manifestKindOf(mediaType)!;
  if (body.artifactType !== undefined && typeof body.artifactType !== 'string') throw invalid('artifactType must be a string');
  const common = {
    mediaType,
    kind,
    ...(body.subject !== undefined ? { subject: parseDescriptor(body.subject, 'subject') } : {}),
    ...(typeof body.artifactType === 'string' ? { artifactType: body.artifactType } : {}),
    ...(body.annotations !== undefined ? { annotations: parseAnnotations(body.annotations, 'manifest') } : {}),
  };
  if (kind === 'image') {
    if (body.manifests !== undefined) throw invalid('an image manifest cannot have manifests');
    if (body.config === undefined) throw invalid('config is required');
    return { ...common, config: parseDescriptor(body.config, 'config'), layers: parseDescriptorList(body.layers, 'layers'), manifests: [] };
  }
  if (body.layers !== undefined || body.config !== undefined) throw invalid('an index cannot have layers or config');
  if (body.manifests === undefined) throw invalid('manifests is required');
  return { ...common, layers: [], manifests: parseDescriptorList(body.manifests, 'manifests') };
}

/** Blobs the repository must hold for this manifest: config and distributable layers. */
export function requiredBlobs(manifest: ParsedManifest): Descriptor[] {
  const layers = manifest.layers.filter((l) => !(isNonDistributable(l.mediaType) && l.urls && l.urls.length > 0));
  return manifest.config ? [manifest.config, ...layers] : layers;
}

/** The artifact type a referrers listing shows for a manifest. */
export function artifactTypeOf(manifest: ParsedManifest): string | undefined {
  return manifest.artifactType ?? (manifest.kind === 'image' ? manifest.config?.mediaType : undefined);
}
