import { describe, expect, it } from '@jest/globals';
import { ConsoleLogger } from '@nestjs/common';
import { ProcessResources, ShutdownRequested } from './process-resources.js';

function resourcesRecording(closed: string[]) {
  const resources = new ProcessResources(new ConsoleLogger({ logLevels: [] }));
  const open = (name: string, closing: () => Promise<void> = async () => undefined) =>
    resources.open(
      name,
      async () => name,
      async () => {
        await closing();
        closed.push(name);
      },
    );
  return { resources, open };
}

describe('ProcessResources', () => {
  it('closes what was opened, newest first, once', async () => {
    const closed: string[] = [];
    const { resources, open } = resourcesRecording(closed);
    await open('database server');
    await open('application');

    await Promise.all([resources.close(), resources.close()]);

    expect(closed).toEqual(['application', 'database server']);
  });

  it('lets the step in progress finish when asked to close, then closes it too', async () => {
    const closed: string[] = [];
    const { resources } = resourcesRecording(closed);
    let finishOpening!: () => void;
    const opening = resources.open(
      'database server',
      () => new Promise<string>((resolve) => (finishOpening = () => resolve('server'))),
      async () => void closed.push('database server'),
    );

    const closing = resources.close();
    finishOpening();

    await expect(opening).rejects.toBeInstanceOf(ShutdownRequested);
    await closing;
    expect(closed).toEqual(['database server']);
    await expect(
      resources.open(
        'application',
        async () => 'app',
        async () => {},
      ),
    ).rejects.toThrow(ShutdownRequested);
  });

  it('closes the rest when one of them fails to close', async () => {
    const closed: string[] = [];
    const { resources, open } = resourcesRecording(closed);
    await open('database server');
    await open('application', async () => {
      throw new Error('pool already ended');
    });

    await resources.close();

    expect(closed).toEqual(['database server']);
  });
});
