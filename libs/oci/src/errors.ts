/**
 * OCI distribution error codes (distribution-spec "Error Codes" plus the legacy codes
 * clients still understand) and the HTTP status each one maps to. The mapping is an
 * exhaustive switch so that adding a code without a status does not compile.
 */
export enum OciErrorCode {
  BlobUnknown = 'BLOB_UNKNOWN',
  BlobUploadInvalid = 'BLOB_UPLOAD_INVALID',
  BlobUploadUnknown = 'BLOB_UPLOAD_UNKNOWN',
  DigestInvalid = 'DIGEST_INVALID',
  ManifestBlobUnknown = 'MANIFEST_BLOB_UNKNOWN',
  ManifestInvalid = 'MANIFEST_INVALID',
  ManifestUnknown = 'MANIFEST_UNKNOWN',
  NameInvalid = 'NAME_INVALID',
  NameUnknown = 'NAME_UNKNOWN',
  SizeInvalid = 'SIZE_INVALID',
  TagInvalid = 'TAG_INVALID',
  RangeInvalid = 'RANGE_INVALID',
  PaginationNumberInvalid = 'PAGINATION_NUMBER_INVALID',
  Unauthorized = 'UNAUTHORIZED',
  Denied = 'DENIED',
  Unsupported = 'UNSUPPORTED',
  TooManyRequests = 'TOOMANYREQUESTS',
  Unavailable = 'UNAVAILABLE',
  Unknown = 'UNKNOWN',
}

export function httpStatusOf(code: OciErrorCode): number {
  switch (code) {
    case OciErrorCode.BlobUnknown:
    case OciErrorCode.BlobUploadUnknown:
    case OciErrorCode.ManifestUnknown:
    case OciErrorCode.NameUnknown:
      return 404;
    case OciErrorCode.BlobUploadInvalid:
    case OciErrorCode.DigestInvalid:
    case OciErrorCode.ManifestBlobUnknown:
    case OciErrorCode.ManifestInvalid:
    case OciErrorCode.NameInvalid:
    case OciErrorCode.SizeInvalid:
    case OciErrorCode.TagInvalid:
    case OciErrorCode.PaginationNumberInvalid:
      return 400;
    case OciErrorCode.RangeInvalid:
      return 416;
    case OciErrorCode.Unauthorized:
      return 401;
    case OciErrorCode.Denied:
      return 403;
    case OciErrorCode.Unsupported:
      return 405;
    case OciErrorCode.TooManyRequests:
      return 429;
    case OciErrorCode.Unavailable:
      return 503;
    case OciErrorCode.Unknown:
      return 500;
  }
}

const DEFAULT_MESSAGES: Record<OciErrorCode, string> = {
  [OciErrorCode.BlobUnknown]: 'blob unknown to registry',
  [OciErrorCode.BlobUploadInvalid]: 'blob upload invalid',
  [OciErrorCode.BlobUploadUnknown]: 'blob upload unknown to registry',
  [OciErrorCode.DigestInvalid]: 'provided digest did not match uploaded content',
  [OciErrorCode.ManifestBlobUnknown]: 'manifest references a manifest or blob unknown to registry',
  [OciErrorCode.ManifestInvalid]: 'manifest invalid',
  [OciErrorCode.ManifestUnknown]: 'manifest unknown to registry',
  [OciErrorCode.NameInvalid]: 'invalid repository name',
  [OciErrorCode.NameUnknown]: 'repository name not known to registry',
  [OciErrorCode.SizeInvalid]: 'provided length did not match content length',
  [OciErrorCode.TagInvalid]: 'manifest tag did not match URI',
  [OciErrorCode.RangeInvalid]: 'invalid content range',
  [OciErrorCode.PaginationNumberInvalid]: 'invalid number of results requested',
  [OciErrorCode.Unauthorized]: 'authentication required',
  [OciErrorCode.Denied]: 'requested access to the resource is denied',
  [OciErrorCode.Unsupported]: 'the operation is unsupported',
  [OciErrorCode.TooManyRequests]: 'too many requests',
  [OciErrorCode.Unavailable]: 'service unavailable',
  [OciErrorCode.Unknown]: 'unknown error',
};

/** A protocol error: thrown anywhere below the /v2 surface, serialised once by its filter. */
export class OciError extends Error {
  readonly status: number;
  /** Response headers that belong to this error (a challenge, Retry-After). */
  readonly headers: Record<string, string> = {};

  constructor(
    readonly code: OciErrorCode,
    message?: string,
    readonly detail?: unknown,
    status?: number,
  ) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.name = 'OciError';
    this.status = status ?? httpStatusOf(code);
  }

  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }
}

export interface OciErrorBody {
  errors: { code: string; message: string; detail?: unknown }[];
}

/** The wire body for one or more errors. All errors of one response share its status. */
export function errorBody(errors: readonly OciError[]): OciErrorBody {
  return {
    errors: errors.map((e) => (e.detail === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, detail: e.detail })),
  };
}

/** Several errors answered together (e.g. one MANIFEST_BLOB_UNKNOWN per missing digest). */
export class OciErrors extends Error {
  readonly status: number;

  constructor(readonly errors: readonly OciError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'OciErrors';
    this.status = errors[0]?.status ?? 500;
  }
}
