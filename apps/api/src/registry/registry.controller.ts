import { All, Controller, Inject, Req, Res, UseFilters } from '@nestjs/common';
import {
  contentRangeHeader,
  isDigest,
  isSupportedAlgorithm,
  MAX_MANIFEST_BYTES,
  MediaType,
  nextPageLink,
  OciError,
  OciErrorCode,
  parseChunkRange,
  parsePageRequest,
  parseRegistryPath,
  uploadRangeHeader,
  type RegistryRoute,
} from '@wharf/oci';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ANONYMOUS } from '@wharf/authz';

import { AccessService } from '../access/access.service';
import { all, first, type Query } from '../common/query';
import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { contentLength, discardRest } from './discard-body';
import { RegistryAuth, type RegistryCaller } from './registry-auth';
import { RegistryExceptionFilter } from './registry-exception.filter';
import { BlobsService } from './services/blobs.service';
import { ListingService, type Page } from './services/listing.service';
import { ManifestsService } from './services/manifests.service';
import { UploadsService, type Body, type ChunkDeclaration } from './services/uploads.service';


function header(request: FastifyRequest, name: string): string | undefined {
  return first(request.headers[name]);
}

function hasBody(request: FastifyRequest): boolean {
  return header(request, 'transfer-encoding') !== undefined || (contentLength(request) ?? 0) > 0;
}

function chunkDeclaration(request: FastifyRequest): ChunkDeclaration {
  const range = header(request, 'content-range');
  const length = contentLength(request);
  return { ...(range !== undefined ? { range: parseChunkRange(range) } : {}), ...(length !== undefined ? { length } : {}) };
}

function body(request: FastifyRequest): Body {
  return request.raw;
}

/**
 * Reads up to `limit` bytes of a request body. Past the limit it stops reading (without
 * destroying the socket, so the caller can still answer) and returns undefined.
 */
function readAtMost(raw: FastifyRequest['raw'], limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      raw.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        void discardRest(raw);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    // The client went away mid-body: its mistake, not ours (no 500 logged); nobody reads the answer.
    const onError = () => {
      stop();
      reject(new OciError(OciErrorCode.ManifestInvalid, 'manifest body ended early'));
    };
    const onClose = onError;
    raw.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

/**
 * Reads a manifest body, refusing more than the limit (413) without keeping it: the rest is
 * discarded within bounds (see discardRest).
 */
async function readManifestBody(request: FastifyRequest): Promise<Buffer> {
  const tooLarge = () => new OciError(OciErrorCode.ManifestInvalid, `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`, undefined, 413);
  const declared = contentLength(request);
  if (declared !== undefined && declared > MAX_MANIFEST_BYTES) {
    void discardRest(request.raw);
    throw tooLarge();
  }
  const content = await readAtMost(request.raw, MAX_MANIFEST_BYTES);
  if (!content) throw tooLarge();
  return content;
}

const uploadLocation = (name: string, id: string) => `/v2/${name}/blobs/uploads/${id}`;

/**
 * The OCI distribution API. Paths are parsed from the right by libs/oci (names contain
 * slashes), then each endpoint parses its inputs, makes one service call and writes the
 * exact headers clients depend on. Bodies are never parsed by the framework: uploads
 * stream straight to storage.
 */
@Controller()
@UseFilters(RegistryExceptionFilter)
export class RegistryController {
  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(BlobsService) private readonly blobs: BlobsService,
    @Inject(UploadsService) private readonly uploads: UploadsService,
    @Inject(ManifestsService) private readonly manifests: ManifestsService,
    @Inject(ListingService) private readonly listing: ListingService,
    @Inject(RegistryAuth) private readonly auth: RegistryAuth,
    @Inject(AccessService) private readonly access: AccessService,
  ) {}

  @All(['v2', 'v2/*'])
  async handle(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const url = request.url;
    const queryStart = url.indexOf('?');
    const path = (queryStart === -1 ? url : url.slice(0, queryStart)).slice('/v2'.length).replace(/^\//, '');
    const parsed = parseRegistryPath(path);
    if (!parsed.ok) {
      if (parsed.reason === 'bad-name') throw new OciError(OciErrorCode.NameInvalid, 'invalid repository name', { name: parsed.name?.slice(0, 300) });
      // Not an OCI route: the spec has no code for that, so the closest one, with a 404.
      throw new OciError(OciErrorCode.Unsupported, 'no such endpoint', undefined, 404);
    }
    const query = request.query as Query;
    // Syntax first (it reveals nothing), then who is asking, then everything else.
    const caller = await this.auth.authorize(request, parsed.route, { from: first(query.from), mount: first(query.mount) });
    await this.dispatch(parsed.route, caller, request, reply, query);
  }

  private async dispatch(route: RegistryRoute, caller: RegistryCaller, request: FastifyRequest, reply: FastifyReply, query: Query): Promise<void> {
    const method = request.method;
    switch (route.kind) {
      case 'base':
        if (method === 'GET' || method === 'HEAD') return this.json(reply, 200, {});
        break;
      case 'catalog':
        if (method === 'GET') return this.catalog(caller, reply, query);
        break;
      case 'tags':
        if (method === 'GET') return this.tagList(route.name, reply, query);
        break;
      case 'manifest':
        if (method === 'GET' || method === 'HEAD') return this.getManifest(route.name, route.reference, method === 'GET', request, reply);
        if (method === 'PUT') return this.putManifest(route.name, route.reference, request, reply, query);
        if (method === 'DELETE') return this.deleteManifest(route.name, route.reference, reply);
        break;
      case 'blob':
        if (method === 'GET' || method === 'HEAD') return this.getBlob(route.name, route.digest, method === 'GET', request, reply);
        if (method === 'DELETE') return this.deleteBlob(route.name, route.digest, reply);
        break;
      case 'uploads':
        if (method === 'POST') return this.startUpload(route.name, caller, request, reply, query);
        break;
      case 'upload':
        if (method === 'GET') return this.uploadStatus(route.name, route.uploadId, caller, reply);
        if (method === 'PATCH') return this.patchUpload(route.name, route.uploadId, caller, request, reply);
        if (method === 'PUT') return this.completeUpload(route.name, route.uploadId, caller, request, reply, query);
        if (method === 'DELETE') return this.cancelUpload(route.name, route.uploadId, caller, reply);
        break;
      case 'referrers':
        if (method === 'GET') return this.referrers(route.name, route.digest, reply, query);
        break;
    }
    throw new OciError(OciErrorCode.Unsupported, `${method} is not supported here`);
  }

  private json(reply: FastifyReply, status: number, payload: unknown, contentType = 'application/json'): void {
    const bytes = Buffer.from(JSON.stringify(payload));
    reply.code(status).header('Content-Type', contentType).header('Content-Length', String(bytes.length)).send(bytes);
  }

  private empty(reply: FastifyReply, status: number, headers: Record<string, string>): void {
    reply.code(status).headers({ ...headers, 'Content-Length': '0' }).send();
  }

  private sendPage(reply: FastifyReply, path: string, page: Page, payload: unknown): void {
    if (page.next) reply.header('Link', nextPageLink(path, page.next.last, page.next.n));
    this.json(reply, 200, payload);
  }

  private async catalog(caller: RegistryCaller, reply: FastifyReply, query: Query): Promise<void> {
    // Filtered by who the caller is now: a deleted user sees what anonymous sees.
    const principal = (await this.access.principalFromKey(caller.principal)) ?? ANONYMOUS;
    const page = await this.listing.catalog(parsePageRequest(first(query.n), first(query.last)), principal);
    this.sendPage(reply, '/v2/_catalog', page, { repositories: page.items });
  }

  private async tagList(name: string, reply: FastifyReply, query: Query): Promise<void> {
    const page = await this.listing.tagsOf(name, parsePageRequest(first(query.n), first(query.last)));
    this.sendPage(reply, `/v2/${name}/tags/list`, page, { name, tags: page.items });
  }

  private async getManifest(name: string, reference: string, withContent: boolean, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const manifest = await this.manifests.fetch(name, reference, withContent);
    const etag = `"${manifest.digest}"`;
    reply.headers({
      'Content-Type': manifest.mediaType,
      'Docker-Content-Digest': manifest.digest,
      ETag: etag,
    });
    // No Content-Length: in a 304 it would have to be the 200's (RFC 9110 §8.6), not 0.
    if (header(request, 'if-none-match') === etag) return void reply.code(304).send();
    reply.code(200).header('Content-Length', String(manifest.size));
    reply.send(withContent ? manifest.content : undefined);
  }

  private async putManifest(name: string, reference: string, request: FastifyRequest, reply: FastifyReply, query: Query): Promise<void> {
    const content = await readManifestBody(request);
    const pushed = await this.manifests.push(name, reference, content, header(request, 'content-type'), all(query.tag));
    const headers: Record<string, string> = {
      Location: `/v2/${name}/manifests/${pushed.digest}`,
      'Docker-Content-Digest': isDigest(reference) ? reference : pushed.digest,
    };
    if (pushed.subject) headers['OCI-Subject'] = pushed.subject;
    if (pushed.tags.length > 0) headers['OCI-Tag'] = pushed.tags.join(', ');
    this.empty(reply, 201, headers);
  }

  private async deleteManifest(name: string, reference: string, reply: FastifyReply): Promise<void> {
    this.requireDeletes();
    await this.manifests.delete(name, reference);
    this.empty(reply, 202, {});
  }

  private async getBlob(name: string, digest: string, withContent: boolean, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!withContent) {
      const blob = await this.blobs.stat(name, digest);
      reply.code(200).headers({
        'Content-Length': String(blob.size),
        'Content-Type': MediaType.OctetStream,
        'Docker-Content-Digest': blob.digest,
        'Accept-Ranges': 'bytes',
        ETag: `"${blob.digest}"`,
      });
      return reply.send();
    }
    const content = await this.blobs.open(name, digest, header(request, 'range'));
    const { blob } = content;
    reply.headers({ 'Docker-Content-Digest': blob.digest, 'Accept-Ranges': 'bytes', ETag: `"${blob.digest}"` });
    switch (content.kind) {
      case 'redirect':
        return this.empty(reply, 307, { Location: content.url });
      case 'unsatisfiable':
        reply.header('Content-Range', `bytes */${blob.size}`);
        throw new OciError(OciErrorCode.RangeInvalid, 'requested range not satisfiable', { size: blob.size });
      case 'stream':
        reply.header('Content-Type', MediaType.OctetStream);
        if (content.range.kind === 'partial') {
          const { start, end } = content.range.range;
          reply.code(206).header('Content-Range', contentRangeHeader(content.range.range, blob.size)).header('Content-Length', String(end - start + 1));
        } else {
          reply.code(200).header('Content-Length', String(blob.size));
        }
        return reply.send(content.stream);
    }
  }

  private async deleteBlob(name: string, digest: string, reply: FastifyReply): Promise<void> {
    this.requireDeletes();
    await this.blobs.unlink(name, digest);
    this.empty(reply, 202, {});
  }

  private async startUpload(name: string, caller: RegistryCaller, request: FastifyRequest, reply: FastifyReply, query: Query): Promise<void> {
    const mount = first(query.mount);
    const from = first(query.from);
    // A mount needs pull on its source; without it, an upload opens as if nothing was asked.
    if (mount !== undefined && from !== undefined && caller.mayMountFromSource) {
      const mounted = await this.uploads.mount(name, from, mount);
      if (mounted) return this.blobCreated(reply, name, mounted.digest);
    }
    const digest = first(query.digest);
    if (digest !== undefined && mount === undefined) {
      const stored = await this.uploads.uploadMonolithic(name, caller.principal, digest, body(request), chunkDeclaration(request));
      return this.blobCreated(reply, name, stored.value);
    }
    const algorithm = first(query['digest-algorithm']);
    if (algorithm !== undefined && !isSupportedAlgorithm(algorithm)) {
      throw new OciError(OciErrorCode.DigestInvalid, `unsupported digest algorithm ${algorithm.slice(0, 50)}`);
    }
    const session = await this.uploads.start(name, caller.principal, algorithm);
    // Clients that chunk their uploads send chunks at least this long (S3 stages shorter ones).
    const minChunkLength = this.uploads.minChunkLength;
    if (minChunkLength !== undefined) reply.header('OCI-Chunk-Min-Length', String(minChunkLength));
    this.uploadAccepted(reply, name, session.id, 0, 202);
  }

  private async patchUpload(name: string, uploadId: string, caller: RegistryCaller, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const size = await this.uploads.append(name, uploadId, caller.principal, body(request), chunkDeclaration(request));
    this.uploadAccepted(reply, name, uploadId, size, 202);
  }

  private async completeUpload(name: string, uploadId: string, caller: RegistryCaller, request: FastifyRequest, reply: FastifyReply, query: Query): Promise<void> {
    const digest = await this.uploads.complete(name, uploadId, caller.principal, first(query.digest), hasBody(request) ? body(request) : undefined, chunkDeclaration(request));
    this.blobCreated(reply, name, digest.value);
  }

  private async uploadStatus(name: string, uploadId: string, caller: RegistryCaller, reply: FastifyReply): Promise<void> {
    const session = await this.uploads.status(name, uploadId, caller.principal);
    this.uploadAccepted(reply, name, uploadId, session.size, 204);
  }

  private async cancelUpload(name: string, uploadId: string, caller: RegistryCaller, reply: FastifyReply): Promise<void> {
    await this.uploads.cancel(name, uploadId, caller.principal);
    this.empty(reply, 204, { 'Docker-Upload-UUID': uploadId });
  }

  private async referrers(name: string, digest: string, reply: FastifyReply, query: Query): Promise<void> {
    // Media types hold no spaces: a `+` decoded as a space was meant as a `+`.
    const artifactType = first(query.artifactType)?.replace(/ /g, '+');
    const referrers = await this.manifests.referrers(name, digest, artifactType);
    if (artifactType) reply.header('OCI-Filters-Applied', 'artifactType');
    this.json(reply, 200, { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: referrers }, MediaType.OciIndex);
  }

  private uploadAccepted(reply: FastifyReply, name: string, uploadId: string, size: number, status: number): void {
    this.empty(reply, status, {
      Location: uploadLocation(name, uploadId),
      Range: uploadRangeHeader(size),
      'Docker-Upload-UUID': uploadId,
    });
  }

  private blobCreated(reply: FastifyReply, name: string, digest: string): void {
    this.empty(reply, 201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
  }

  private requireDeletes(): void {
    if (!this.config.deleteEnabled) throw new OciError(OciErrorCode.Unsupported, 'deletes are disabled on this registry');
  }
}
