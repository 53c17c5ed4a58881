export * from './digest';
export * from './errors';
export * from './manifest';
export * from './media-types';
export * from './names';
export * from './pagination';
export * from './range';
export * from './routes';
