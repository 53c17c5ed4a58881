export * from './blob-storage';
export * from './errors';
export * from './fs-storage';
export * from './keys';
export { readEach } from './pooled-body';
export * from './s3-storage';
