import { OciError, OciErrorCode } from './errors';
import { artifactTypeOf, MAX_MANIFEST_BYTES, MAX_MANIFEST_REFERENCES, parseManifest, requiredBlobs, type ParsedManifest } from './manifest';
import { MediaType } from './media-types';

// Spec (protocol.md §3, reliability §4(a) #9–#11, #16, #17): media type from Content-Type
// (parameters dropped), else body `mediaType` when the header is missing or application/json,
// else inferred from the shape; a differing body `mediaType` → MANIFEST_INVALID; schema1 refused;
// schemaVersion 2; `manifests` with `layers` → MANIFEST_INVALID; conformance extras accepted.

const d = (c: string, n = 64) => `sha256:${c.repeat(n)}`;
const CONFIG = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('c'), size: 7023 };
const LAYER = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('1'), size: 32654 };
const LAYER2 = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('2'), size: 16724 };
const CHILD = { mediaType: MediaType.OciManifest, digest: d('e'), size: 7143, platform: { architecture: 'amd64', os: 'linux' } };
const SUBJECT = { mediaType: MediaType.OciManifest, digest: d('5'), size: 1234 };

type Json = Record<string, unknown>;

const image = (extra: Json = {}): Json => ({ schemaVersion: 2, mediaType: MediaType.OciManifest, config: CONFIG, layers: [LAYER, LAYER2], ...extra });
const index = (extra: Json = {}): Json => ({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [CHILD], ...extra });
const without = (body: Json, ...keys: string[]): Json => Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
const bytesOf = (body: unknown): Uint8Array => new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
const parse = (body: unknown, contentType?: string): ParsedManifest => parseManifest(bytesOf(body), contentType);

function invalidOf(body: unknown, contentType?: string): OciError {
  try {
    parse(body, contentType);
  } catch (error) {
    expect(error).toBeInstanceOf(OciError);
    const e = error as OciError;
    expect(e.code).toBe(OciErrorCode.ManifestInvalid);
    expect(e.status).toBe(400);
    return e;
  }
  throw new Error('expected MANIFEST_INVALID');
}

describe('limits', () => {
  it('accepts manifests of at least 4 MiB (spec: at least 4 MB)', () => {
    expect(MAX_MANIFEST_BYTES).toBeGreaterThanOrEqual(4 * 1024 * 1024);
  });

  it('parses a manifest close to the byte limit', () => {
    const big = image({ annotations: { pad: 'x'.repeat(MAX_MANIFEST_BYTES - 1_000) } });
    expect(bytesOf(big).byteLength).toBeLessThanOrEqual(MAX_MANIFEST_BYTES);
    expect(parse(big, MediaType.OciManifest).kind).toBe('image');
  });
});

describe('parseManifest: media type resolution', () => {
  it.each([
    ['OCI manifest', MediaType.OciManifest, image(), 'image'],
    ['Docker schema2', MediaType.DockerManifest, image({ mediaType: MediaType.DockerManifest }), 'image'],
    ['OCI index', MediaType.OciIndex, index(), 'index'],
    ['Docker manifest list', MediaType.DockerManifestList, index({ mediaType: MediaType.DockerManifestList }), 'index'],
  ])('takes %s from Content-Type', (_label, contentType, body, kind) => {
    expect(parse(body, contentType)).toMatchObject({ mediaType: contentType, kind });
  });

  it.each([
    ['charset parameter', `${MediaType.OciManifest}; charset=utf-8`],
    ['no space before the parameter', `${MediaType.OciManifest};charset=utf-8`],
    ['different case', 'application/VND.OCI.image.manifest.v1+JSON'],
  ])('drops parameters / case of Content-Type (%s)', (_label, contentType) => {
    expect(parse(image(), contentType).mediaType).toBe(MediaType.OciManifest);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['application/json', 'application/json'],
    ['application/json with charset', 'application/json; charset=utf-8'],
  ])('uses the body mediaType when Content-Type is %s', (_label, contentType) => {
    expect(parse(image({ mediaType: MediaType.DockerManifest }), contentType).mediaType).toBe(MediaType.DockerManifest);
    expect(parse(index({ mediaType: MediaType.DockerManifestList }), contentType)).toMatchObject({ mediaType: MediaType.DockerManifestList, kind: 'index' });
  });

  it.each([
    ['missing', undefined],
    ['application/json', 'application/json'],
  ])('infers from the shape when Content-Type is %s and the body has no mediaType', (_label, contentType) => {
    expect(parse(without(image(), 'mediaType'), contentType)).toMatchObject({ mediaType: MediaType.OciManifest, kind: 'image' });
    expect(parse(without(index(), 'mediaType'), contentType)).toMatchObject({ mediaType: MediaType.OciIndex, kind: 'index' });
  });

  // Not in the checklist (which names only "missing or application/json"): the code also treats
  // application/octet-stream as "no type given". Kept as is; pinned here so a change is deliberate.
  it('treats application/octet-stream like a missing Content-Type', () => {
    expect(parse(image({ mediaType: MediaType.DockerManifest }), 'application/octet-stream').mediaType).toBe(MediaType.DockerManifest);
    expect(parse(without(index(), 'mediaType'), 'application/octet-stream').kind).toBe('index');
  });

  it('accepts a body without mediaType when Content-Type is specific (conformance)', () => {
    expect(parse(without(image(), 'mediaType'), MediaType.OciManifest).mediaType).toBe(MediaType.OciManifest);
    expect(parse(without(index(), 'mediaType'), MediaType.OciIndex).mediaType).toBe(MediaType.OciIndex);
  });

  it.each([
    ['image body type vs index header', image(), MediaType.OciIndex],
    ['OCI body type vs Docker header', image(), MediaType.DockerManifest],
    ['Docker body type vs OCI header', image({ mediaType: MediaType.DockerManifest }), MediaType.OciManifest],
    ['index body type vs manifest-list header', index(), MediaType.DockerManifestList],
  ])('refuses a body mediaType that differs from Content-Type (%s)', (_label, body, contentType) => {
    invalidOf(body, contentType);
  });

  it.each([
    ['text/plain header', image(), 'text/plain'],
    ['wildcard header', image(), '*/*'],
    ['OCI empty type as header', image(), MediaType.OciEmpty],
    ['config type as header', image(), 'application/vnd.oci.image.config.v1+json'],
    ['artifact manifest header', image(), 'application/vnd.oci.artifact.manifest.v1+json'],
    ['unknown body type, no header', image({ mediaType: 'application/vnd.example+json' }), undefined],
    ['unknown body type, json header', image({ mediaType: 'application/vnd.example+json' }), 'application/json'],
    ['empty body type, no header', image({ mediaType: '' }), undefined],
    // Object.prototype members are not manifest types (index-shaped bodies: the only shape
    // such a bogus "kind" would let through).
    ['Object.prototype key as header', without(index(), 'mediaType'), 'constructor'],
    ['__proto__ as header', without(index(), 'mediaType'), '__proto__'],
    ['Object.prototype key as body type', index({ mediaType: 'toString' }), undefined],
    ['hasOwnProperty as body type', index({ mediaType: 'hasOwnProperty' }), 'application/json'],
  ])('refuses an unsupported media type (%s)', (_label, body, contentType) => {
    invalidOf(body, contentType);
  });

  it.each([
    ['number', 2],
    ['null', null],
    ['object', { type: MediaType.OciManifest }],
    ['array', [MediaType.OciManifest]],
  ])('refuses a body mediaType that is a %s', (_label, mediaType) => {
    invalidOf(image({ mediaType }), MediaType.OciManifest);
    invalidOf(image({ mediaType }), undefined);
  });
});

describe('parseManifest: schema1 and schemaVersion', () => {
  const schema1 = { schemaVersion: 1, name: 'team/app', tag: 'latest', architecture: 'amd64', fsLayers: [{ blobSum: d('1') }], history: [] };

  it.each([
    ['schema1 Content-Type', schema1, MediaType.DockerSchema1],
    ['signed schema1 Content-Type', schema1, MediaType.DockerSchema1Signed],
    ['signed schema1 with parameters', schema1, `${MediaType.DockerSchema1Signed}; charset=utf-8`],
    ['schema1 body without Content-Type', schema1, undefined],
    ['schema1 body as application/json', schema1, 'application/json'],
    ['schema1 body mediaType', { ...schema1, mediaType: MediaType.DockerSchema1 }, undefined],
    ['schema1 Content-Type on a schema2-looking body', image(), MediaType.DockerSchema1],
    ['schemaVersion 1 under an OCI Content-Type', image({ schemaVersion: 1 }), MediaType.OciManifest],
  ])('refuses %s', (_label, body, contentType) => {
    invalidOf(body, contentType);
  });

  it.each([
    ['missing', undefined],
    ['0', 0],
    ['3', 3],
    ['the string "2"', '2'],
    ['2.5', 2.5],
    ['null', null],
    ['true', true],
  ])('refuses schemaVersion %s', (_label, schemaVersion) => {
    const body = schemaVersion === undefined ? without(image(), 'schemaVersion') : image({ schemaVersion });
    expect(invalidOf(body, MediaType.OciManifest).message).toMatch(/schemaVersion/);
    const idx = schemaVersion === undefined ? without(index(), 'schemaVersion') : index({ schemaVersion });
    invalidOf(idx, MediaType.OciIndex);
  });

  it('accepts schemaVersion written as 2.0', () => {
    expect(parse('{"schemaVersion":2.0,"config":' + JSON.stringify(CONFIG) + ',"layers":[]}', MediaType.OciManifest).kind).toBe('image');
  });
});

describe('parseManifest: JSON', () => {
  it.each([
    ['empty body', ''],
    ['truncated JSON', '{"schemaVersion":2,'],
    ['not JSON', 'hello'],
    ['JSON with a trailing comma', '{"schemaVersion":2,}'],
    ['a UTF-8 BOM before the JSON', '\uFEFF' + JSON.stringify(image())],
  ])('refuses %s', (_label, text) => {
    invalidOf(text, MediaType.OciManifest);
  });

  it.each([
    ['null', 'null'],
    ['an array', JSON.stringify([image()])],
    ['a string', '"manifest"'],
    ['a number', '2'],
    ['true', 'true'],
  ])('refuses a JSON document that is %s', (_label, text) => {
    invalidOf(text, MediaType.OciManifest);
    invalidOf(text, undefined);
  });

  it('accepts surrounding whitespace (the digest, not the parser, pins the bytes)', () => {
    expect(parse(`\n  ${JSON.stringify(image())}  \n`, MediaType.OciManifest).kind).toBe('image');
  });

  it('reads only the view of a Uint8Array, not its whole buffer', () => {
    const text = JSON.stringify(image());
    const buffer = new TextEncoder().encode(`garbage${text}garbage`);
    expect(parseManifest(buffer.subarray(7, 7 + text.length), MediaType.OciManifest).kind).toBe('image');
  });

  it('accepts a Node Buffer', () => {
    expect(parseManifest(Buffer.from(JSON.stringify(index())), MediaType.OciIndex).kind).toBe('index');
  });
});

describe('parseManifest: image manifests', () => {
  it('returns config, layers in order and no children', () => {
    const parsed = parse(image(), MediaType.OciManifest);
    expect(parsed).toEqual({ mediaType: MediaType.OciManifest, kind: 'image', config: CONFIG, layers: [LAYER, LAYER2], manifests: [] });
  });

  it('accepts an image without layers (artifact, conformance "no layers")', () => {
    expect(parse(image({ layers: [] }), MediaType.OciManifest).layers).toEqual([]);
  });

  // image-spec lists `layers` as required; the code tolerates its absence. Kept, pinned.
  it('tolerates a missing layers field', () => {
    expect(parse(without(image(), 'layers'), MediaType.OciManifest).layers).toEqual([]);
  });

  it('refuses an image without config', () => {
    invalidOf(without(image(), 'config'), MediaType.OciManifest);
    invalidOf(without(image({ mediaType: MediaType.DockerManifest }), 'config'), MediaType.DockerManifest);
    invalidOf(without(image(), 'config', 'mediaType'), undefined);
  });

  it.each([
    ['OCI header', MediaType.OciManifest, image({ manifests: [CHILD] })],
    ['Docker header', MediaType.DockerManifest, image({ mediaType: MediaType.DockerManifest, manifests: [CHILD] })],
    ['index header', MediaType.OciIndex, index({ layers: [LAYER] })],
    ['list header', MediaType.DockerManifestList, index({ mediaType: MediaType.DockerManifestList, layers: [LAYER] })],
    ['no header, no mediaType', undefined, without(image({ manifests: [CHILD] }), 'mediaType')],
    ['no header, image mediaType', undefined, image({ manifests: [CHILD] })],
    ['no header, index mediaType', undefined, index({ layers: [LAYER] })],
    ['empty arrays', MediaType.OciManifest, image({ manifests: [], layers: [] })],
  ])('refuses both manifests and layers (%s)', (_label, contentType, body) => {
    invalidOf(body, contentType);
  });

  it('refuses an index that carries a config', () => {
    invalidOf(index({ config: CONFIG }), MediaType.OciIndex);
    invalidOf(without(index({ config: CONFIG }), 'mediaType'), undefined);
  });

  it('refuses an index without manifests', () => {
    invalidOf(without(index(), 'manifests'), MediaType.OciIndex);
  });

  it('accepts an empty index', () => {
    expect(parse(index({ manifests: [] }), MediaType.OciIndex).manifests).toEqual([]);
  });

  it.each([
    ['layers as an object', image({ layers: { 0: LAYER } })],
    ['layers as null', image({ layers: null })],
    ['layers as a string', image({ layers: 'none' })],
    ['config as an array', image({ config: [CONFIG] })],
    ['config as null', image({ config: null })],
    ['a null layer', image({ layers: [LAYER, null] })],
    ['a string layer', image({ layers: [LAYER.digest] })],
  ])('refuses %s', (_label, body) => {
    invalidOf(body, MediaType.OciManifest);
  });

  it.each([
    ['manifests as an object', index({ manifests: { 0: CHILD } })],
    ['manifests as null', index({ manifests: null })],
    ['a child that is a string', index({ manifests: [CHILD.digest] })],
  ])('refuses an index with %s', (_label, body) => {
    invalidOf(body, MediaType.OciIndex);
  });
});

describe('parseManifest: descriptors', () => {
  const withLayer = (layer: unknown) => image({ layers: [layer] });

  it.each([
    ['no mediaType', without(LAYER, 'mediaType')],
    ['empty mediaType', { ...LAYER, mediaType: '' }],
    ['numeric mediaType', { ...LAYER, mediaType: 1 }],
    ['no digest', without(LAYER, 'digest')],
    ['numeric digest', { ...LAYER, digest: 1 }],
    ['malformed digest', { ...LAYER, digest: 'sha256:abc' }],
    ['uppercase digest', { ...LAYER, digest: LAYER.digest.toUpperCase() }],
    ['path traversal digest', { ...LAYER, digest: 'sha256:../../x' }],
    ['unsupported digest algorithm', { ...LAYER, digest: `md5:${'a'.repeat(32)}` }],
    ['no size', without(LAYER, 'size')],
    ['negative size', { ...LAYER, size: -1 }],
    ['fractional size', { ...LAYER, size: 1.5 }],
    ['string size', { ...LAYER, size: '10' }],
    ['null size', { ...LAYER, size: null }],
    ['unsafe integer size', { ...LAYER, size: 2 ** 53 }],
    ['non-string artifactType', { ...LAYER, artifactType: 5 }],
    ['urls that is a string', { ...LAYER, urls: 'https://example.com/x' }],
    ['urls with a non-string', { ...LAYER, urls: ['https://example.com/x', 1] }],
    ['annotations that is an array', { ...LAYER, annotations: ['a'] }],
    ['annotations with a non-string value', { ...LAYER, annotations: { a: 1 } }],
    ['annotations null', { ...LAYER, annotations: null }],
  ])('refuses a layer with %s', (_label, layer) => {
    invalidOf(withLayer(layer), MediaType.OciManifest);
  });

  it.each([
    ['config without digest', image({ config: without(CONFIG, 'digest') })],
    ['config with a bad size', image({ config: { ...CONFIG, size: -5 } })],
    ['child without mediaType', index({ manifests: [without(CHILD, 'mediaType')] })],
    ['child with a bad digest', index({ manifests: [{ ...CHILD, digest: 'sha256:zz' }] })],
    ['subject without digest', image({ subject: without(SUBJECT, 'digest') })],
    ['subject as a string', image({ subject: SUBJECT.digest })],
    ['subject as null', image({ subject: null })],
  ])('refuses %s', (_label, body) => {
    invalidOf(body, undefined);
  });

  it('accepts size 0 (the empty blob) and sha512 digests', () => {
    const empty = { mediaType: MediaType.OciEmpty, digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 };
    const zero = { ...LAYER, digest: `sha512:${'f'.repeat(128)}`, size: 0 };
    expect(parse(image({ config: empty, layers: [zero] }), MediaType.OciManifest)).toMatchObject({ config: empty, layers: [zero] });
  });

  it('accepts unknown config and layer media types (artifacts)', () => {
    const config = { ...CONFIG, mediaType: 'application/vnd.example.oci.conformance.v1' };
    const layer = { ...LAYER, mediaType: 'application/octet-stream' };
    expect(parse(image({ config, layers: [layer] }), MediaType.OciManifest)).toMatchObject({ config, layers: [layer] });
  });

  it('accepts descriptor data, artifactType, urls, annotations and platform', () => {
    const layer = {
      ...LAYER,
      data: Buffer.from('hello').toString('base64'),
      artifactType: 'application/vnd.example.sbom',
      urls: ['https://example.com/blob'],
      annotations: { 'org.opencontainers.image.title': 'layer.tar' },
    };
    const parsed = parse(image({ layers: [layer] }), MediaType.OciManifest);
    expect(parsed.layers[0]).toEqual({
      mediaType: LAYER.mediaType,
      digest: LAYER.digest,
      size: LAYER.size,
      artifactType: 'application/vnd.example.sbom',
      urls: ['https://example.com/blob'],
      annotations: { 'org.opencontainers.image.title': 'layer.tar' },
    });
    expect(parse(index(), MediaType.OciIndex).manifests[0]).toEqual(CHILD);
  });

  it('accepts unknown extra fields everywhere (conformance "custom fields")', () => {
    const body = image({
      'org.example.extra': { nested: [1, 2, 3] },
      config: { ...CONFIG, extra: true },
      layers: [{ ...LAYER, 'x-custom': 'y' }],
      subject: { ...SUBJECT, whatever: null },
    });
    const parsed = parse(body, MediaType.OciManifest);
    expect(parsed.config).toEqual(CONFIG);
    expect(parsed.layers).toEqual([LAYER]);
    expect(parsed.subject).toEqual(SUBJECT);
    expect(parse(index({ extra: 'field', manifests: [{ ...CHILD, extra: 1 }] }), MediaType.OciIndex).manifests).toEqual([CHILD]);
  });

  it('drops a non-object platform instead of failing', () => {
    expect(parse(index({ manifests: [{ ...CHILD, platform: 'linux/amd64' }] }), MediaType.OciIndex).manifests[0]).not.toHaveProperty('platform');
  });
});

describe('parseManifest: artifact fields', () => {
  it('parses subject, artifactType and annotations of an image', () => {
    const parsed = parse(
      image({ artifactType: 'application/vnd.example.sbom', subject: SUBJECT, annotations: { 'org.example.a': 'b' } }),
      MediaType.OciManifest,
    );
    expect(parsed.subject).toEqual(SUBJECT);
    expect(parsed.artifactType).toBe('application/vnd.example.sbom');
    expect(parsed.annotations).toEqual({ 'org.example.a': 'b' });
  });

  it('parses subject, artifactType and annotations of an index', () => {
    const parsed = parse(index({ artifactType: 'application/vnd.example.bundle', subject: SUBJECT, annotations: { k: 'v' } }), MediaType.OciIndex);
    expect(parsed).toMatchObject({ kind: 'index', subject: SUBJECT, artifactType: 'application/vnd.example.bundle', annotations: { k: 'v' } });
  });

  it('parses a subject whose manifest may not exist (never checked here)', () => {
    const subject = { mediaType: MediaType.OciIndex, digest: `sha512:${'0'.repeat(128)}`, size: 0 };
    expect(parse(image({ subject }), MediaType.OciManifest).subject).toEqual(subject);
  });

  it('omits absent optional fields', () => {
    const parsed = parse(image(), MediaType.OciManifest);
    expect(parsed).not.toHaveProperty('subject');
    expect(parsed).not.toHaveProperty('artifactType');
    expect(parsed).not.toHaveProperty('annotations');
  });

  it.each([
    ['artifactType that is a number', { artifactType: 1 }],
    ['artifactType that is null', { artifactType: null }],
    ['annotations with a non-string value', { annotations: { a: true } }],
    ['annotations that is a string', { annotations: 'a=b' }],
  ])('refuses %s', (_label, extra) => {
    invalidOf(image(extra), MediaType.OciManifest);
    invalidOf(index(extra), MediaType.OciIndex);
  });

  it('accepts empty annotations', () => {
    expect(parse(image({ annotations: {} }), MediaType.OciManifest).annotations).toEqual({});
  });
});

describe('parseManifest: reference limits', () => {
  const layers = (n: number) => Array.from({ length: n }, () => LAYER);

  it(`accepts exactly MAX_MANIFEST_REFERENCES (${MAX_MANIFEST_REFERENCES}) layers or children`, () => {
    expect(parse(image({ layers: layers(MAX_MANIFEST_REFERENCES) }), MediaType.OciManifest).layers).toHaveLength(MAX_MANIFEST_REFERENCES);
    const children = Array.from({ length: MAX_MANIFEST_REFERENCES }, () => CHILD);
    expect(parse(index({ manifests: children }), MediaType.OciIndex).manifests).toHaveLength(MAX_MANIFEST_REFERENCES);
  });

  it('refuses one layer or child more than the limit', () => {
    expect(invalidOf(image({ layers: layers(MAX_MANIFEST_REFERENCES + 1) }), MediaType.OciManifest).message).toMatch(/more than/);
    const children = Array.from({ length: MAX_MANIFEST_REFERENCES + 1 }, () => CHILD);
    invalidOf(index({ manifests: children }), MediaType.OciIndex);
  });

  it('refuses 100k layers without validating each one', () => {
    const started = Date.now();
    invalidOf(image({ layers: Array.from({ length: 100_000 }, () => ({})) }), MediaType.OciManifest);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('requiredBlobs', () => {
  const nd = (mediaType: string, urls?: string[]) => ({ mediaType, digest: d('9'), size: 10, ...(urls ? { urls } : {}) });
  const URLS = ['https://store.example.com/blobs/sha256/9'];

  it('requires the config first, then every layer in order', () => {
    expect(requiredBlobs(parse(image(), MediaType.OciManifest))).toEqual([CONFIG, LAYER, LAYER2]);
  });

  it('requires only the config of a layerless artifact', () => {
    expect(requiredBlobs(parse(image({ layers: [] }), MediaType.OciManifest))).toEqual([CONFIG]);
  });

  it.each([
    'application/vnd.oci.image.layer.nondistributable.v1.tar',
    'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
    'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
    'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ])('skips a %s layer that carries urls', (mediaType) => {
    const parsed = parse(image({ layers: [nd(mediaType, URLS), LAYER] }), MediaType.OciManifest);
    expect(requiredBlobs(parsed)).toEqual([CONFIG, LAYER]);
  });

  it('requires a non-distributable layer without urls (nothing to fetch it from)', () => {
    const layer = nd('application/vnd.oci.image.layer.nondistributable.v1.tar+gzip');
    expect(requiredBlobs(parse(image({ layers: [layer] }), MediaType.OciManifest))).toEqual([CONFIG, layer]);
    const emptyUrls = nd('application/vnd.oci.image.layer.nondistributable.v1.tar', []);
    expect(requiredBlobs(parse(image({ layers: [emptyUrls] }), MediaType.OciManifest))).toEqual([CONFIG, emptyUrls]);
  });

  it('requires a distributable layer even when it carries urls', () => {
    const layer = { ...LAYER, urls: URLS };
    expect(requiredBlobs(parse(image({ layers: [layer] }), MediaType.OciManifest))).toEqual([CONFIG, layer]);
  });

  it('requires no blobs for an index (children are manifests) nor for a subject', () => {
    expect(requiredBlobs(parse(index({ subject: SUBJECT }), MediaType.OciIndex))).toEqual([]);
    expect(requiredBlobs(parse(image({ subject: SUBJECT }), MediaType.OciManifest))).not.toContainEqual(SUBJECT);
  });
});

describe('artifactTypeOf', () => {
  it('prefers the manifest artifactType', () => {
    expect(artifactTypeOf(parse(image({ artifactType: 'application/vnd.example.sig' }), MediaType.OciManifest))).toBe('application/vnd.example.sig');
  });

  it("falls back to an image's config.mediaType", () => {
    expect(artifactTypeOf(parse(image(), MediaType.OciManifest))).toBe(CONFIG.mediaType);
    const config = { mediaType: 'application/vnd.example.oci.conformance.v1', digest: d('c'), size: 2 };
    expect(artifactTypeOf(parse(image({ config }), MediaType.OciManifest))).toBe('application/vnd.example.oci.conformance.v1');
  });

  it("uses an index's artifactType", () => {
    expect(artifactTypeOf(parse(index({ artifactType: 'application/vnd.example.bundle' }), MediaType.OciIndex))).toBe('application/vnd.example.bundle');
  });

  it('omits it for an index without artifactType', () => {
    expect(artifactTypeOf(parse(index(), MediaType.OciIndex))).toBeUndefined();
  });
});
