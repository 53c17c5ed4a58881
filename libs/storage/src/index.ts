export * from './blob-storage';
export * from './errors';
export * from './fs-storage';
export * from './keys';
export * from './s3-storage';
