export const MediaType = {
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  DockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  OciEmpty: 'application/vnd.oci.empty.v1+json',
  OctetStream: 'application/octet-stream',
  Json: 'application/json',
} as const;

export type ManifestKind = 'image' | 'index';

const MANIFEST_KINDS: Readonly<Record<string, ManifestKind>> = {
  [MediaType.OciManifest]: 'image',
  [MediaType.DockerManifest]: 'image',
  [MediaType.OciIndex]: 'index',
  [MediaType.DockerManifestList]: 'index',
};

/** The manifest media types this registry stores; schema1 is deliberately absent. */
export const SUPPORTED_MANIFEST_MEDIA_TYPES: readonly string[] = Object.keys(MANIFEST_KINDS);

export function manifestKindOf(mediaType: string): ManifestKind | undefined {
  // Own keys only: `constructor`, `__proto__`, `toString`... are not manifest types.
  return Object.prototype.hasOwnProperty.call(MANIFEST_KINDS, mediaType) ? MANIFEST_KINDS[mediaType] : undefined;
}

/** Layer media types that clients never upload: their descriptors point at `urls` instead. */
const NON_DISTRIBUTABLE_LAYERS = new Set([
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
]);

export function isNonDistributable(mediaType: string): boolean {
  return NON_DISTRIBUTABLE_LAYERS.has(mediaType);
}

/** `type/subtype` of a Content-Type header, lower-cased, parameters dropped. */
export function essenceOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return essence === '' ? undefined : essence;
}
