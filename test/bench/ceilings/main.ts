// A reference server, forked by the harness (servers/ceiling.ts): `main.js <kind> <json options>`.
// It answers `{ port }` over IPC once it listens, and ends with its parent.
import { startFileServer } from './file-server';
import { startHello } from './hello';
import { startSink } from './sink';
import { startTokenServer } from './token-server';

export type CeilingKind = 'hello' | 'file' | 'sink' | 'token';

async function start(kind: CeilingKind, options: Record<string, string>): Promise<number> {
  switch (kind) {
    case 'hello':
      return startHello();
    case 'file':
      return startFileServer(options.dir!);
    case 'sink':
      return startSink(options.dir!);
    case 'token':
      return startTokenServer(options.keyFile!, options.certFile!);
  }
}

if (require.main === module) {
  start(process.argv[2] as CeilingKind, JSON.parse(process.argv[3] ?? '{}') as Record<string, string>).then(
    (port) => process.send!({ port }),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
  process.on('disconnect', () => process.exit(0));
}
