import { essenceOf, isNonDistributable, manifestKindOf, MediaType, SUPPORTED_MANIFEST_MEDIA_TYPES } from './media-types';

// Spec (protocol.md §3): accepted manifest types are the OCI manifest/index and the Docker
// schema2 manifest/list; schema1 is refused. Non-distributable (OCI) and foreign (Docker) layers
// carrying `urls` are never uploaded.

describe('MediaType constants', () => {
  it.each([
    [MediaType.OciManifest, 'application/vnd.oci.image.manifest.v1+json'],
    [MediaType.OciIndex, 'application/vnd.oci.image.index.v1+json'],
    [MediaType.DockerManifest, 'application/vnd.docker.distribution.manifest.v2+json'],
    [MediaType.DockerManifestList, 'application/vnd.docker.distribution.manifest.list.v2+json'],
    [MediaType.DockerSchema1, 'application/vnd.docker.distribution.manifest.v1+json'],
    [MediaType.DockerSchema1Signed, 'application/vnd.docker.distribution.manifest.v1+prettyjws'],
    [MediaType.OciEmpty, 'application/vnd.oci.empty.v1+json'],
  ])('%s is spelled as in the specs', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('manifestKindOf / SUPPORTED_MANIFEST_MEDIA_TYPES', () => {
  it.each([
    [MediaType.OciManifest, 'image'],
    [MediaType.DockerManifest, 'image'],
    [MediaType.OciIndex, 'index'],
    [MediaType.DockerManifestList, 'index'],
  ])('%s is a supported %s', (mediaType, kind) => {
    expect(manifestKindOf(mediaType)).toBe(kind);
    expect(SUPPORTED_MANIFEST_MEDIA_TYPES).toContain(mediaType);
  });

  it.each([
    MediaType.DockerSchema1,
    MediaType.DockerSchema1Signed,
    MediaType.Json,
    MediaType.OctetStream,
    MediaType.OciEmpty,
    'application/vnd.oci.image.config.v1+json',
    'application/vnd.oci.image.layer.v1.tar+gzip',
    'application/vnd.oci.artifact.manifest.v1+json',
    'APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON',
    '',
    'constructor',
    '__proto__',
    'toString',
  ])('%j is not a manifest type', (mediaType) => {
    expect(manifestKindOf(mediaType)).toBeUndefined();
    expect(SUPPORTED_MANIFEST_MEDIA_TYPES).not.toContain(mediaType);
  });

  it('lists exactly the four accepted manifest types', () => {
    expect([...SUPPORTED_MANIFEST_MEDIA_TYPES].sort()).toEqual(
      [MediaType.DockerManifest, MediaType.DockerManifestList, MediaType.OciIndex, MediaType.OciManifest].sort(),
    );
  });
});

describe('isNonDistributable', () => {
  it.each([
    'application/vnd.oci.image.layer.nondistributable.v1.tar',
    'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
    'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
    'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ])('%s is non-distributable', (mediaType) => {
    expect(isNonDistributable(mediaType)).toBe(true);
  });

  it.each([
    'application/vnd.oci.image.layer.v1.tar',
    'application/vnd.oci.image.layer.v1.tar+gzip',
    'application/vnd.oci.image.layer.v1.tar+zstd',
    'application/vnd.docker.image.rootfs.diff.tar.gzip',
    'application/vnd.oci.image.config.v1+json',
    'application/octet-stream',
    '',
  ])('%s is distributable', (mediaType) => {
    expect(isNonDistributable(mediaType)).toBe(false);
  });
});

describe('essenceOf', () => {
  it.each([
    ['plain type', MediaType.OciManifest, MediaType.OciManifest],
    ['parameters dropped', `${MediaType.OciManifest}; charset=utf-8`, MediaType.OciManifest],
    ['several parameters dropped', 'application/json; charset=utf-8; q=1', 'application/json'],
    ['parameter without space', 'application/json;charset=utf-8', 'application/json'],
    ['surrounding whitespace trimmed', `  ${MediaType.OciIndex}  ; x=y`, MediaType.OciIndex],
    ['lower-cased (media types are case-insensitive)', 'Application/VND.OCI.Image.Manifest.V1+JSON', MediaType.OciManifest],
  ])('%s', (_label, header, expected) => {
    expect(essenceOf(header)).toBe(expected);
  });

  it.each([
    ['missing header', undefined],
    ['empty header', ''],
    ['blank header', '   '],
    ['parameters only', '; charset=utf-8'],
  ])('%s → undefined', (_label, header) => {
    expect(essenceOf(header)).toBeUndefined();
  });
});
