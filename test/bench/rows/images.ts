// B7: many small images pushed at once, as a CI fleet does.
import { interleave, type Runner } from '../measure';
import { pullPush, type Registry } from '../servers/registry';
import { RssSampler } from '../support/processes';
import { percentile } from '../support/stats';
import { sizeLabel } from '../plan';
import type { Row } from './row';

export const b7: Row = {
  id: 'B7',
  title: 'Concurrent small-image pushes',
  perStorage: true,
  async run(phase) {
    const { images, imageLayerBytes, imageConfigBytes } = phase.plan;
    const repositories = Array.from({ length: images }, (_, i) => `bench/b7-${String(i).padStart(2, '0')}`);
    const runner =
      (target: Registry | 'sink'): Runner =>
      async (round) => {
        const label = target === 'sink' ? 'sink' : target.label;
        const sampler = new RssSampler(target === 'sink' ? phase.sink.pid : target.pid);
        try {
          const result = await phase.worker.run({
            kind: 'images',
            origin: target === 'sink' ? phase.sink.url : target.url,
            authorization: target === 'sink' ? 'none' : await target.authorization(repositories.map(pullPush)),
            repositories,
            tag: round < 0 ? 'warm-up' : `run-${round + 1}`,
            seed: `b7${phase.suffix}-${label}-${round}`,
            configSize: imageConfigBytes,
            layerSize: imageLayerBytes,
          });
          return { seconds: result.seconds, p99: percentile([...result.each].sort((a, b) => a - b), 99), rss: sampler.stop() };
        } finally {
          sampler.stop();
        }
      };
    const measured = await interleave(`B7${phase.suffix}`, phase.plan, { wharf: runner(phase.wharf), peer: runner(phase.peer), ceiling: runner('sink') });
    const name = `${images} concurrent pushes of an image (${imageConfigBytes} B config, ${sizeLabel(imageLayerBytes)} layer, manifest) (${phase.storage})`;
    const common = { peerOf: `Distribution 2.8.2 (${phase.storage === 'fs' ? 'filesystem' : 'S3'}), same pushes`, ceilingOf: 'Node server: the same requests, bodies → file with node:crypto SHA-256' };
    phase.results.figure(measured, { id: `B7${phase.suffix}`, name: `${name}: all done`, unit: 's', better: 'lower', metric: 'seconds', ...common });
    phase.results.figure(measured, { id: `B7-p99${phase.suffix}`, name: `${name}: p99 per image`, unit: 's', better: 'lower', metric: 'p99', ...common });
    phase.results.figure(measured, { id: `B7-rss${phase.suffix}`, name: `${name}: peak server RSS`, unit: 'MiB', better: 'lower', metric: 'rss', ...common });
  },
};
