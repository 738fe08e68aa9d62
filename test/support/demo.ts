import request from 'supertest';
import { demoScenario } from '../../apps/cli/src/demo/scenario.js';
import { type TestApp, bearer } from './app.js';

/** Records the whole demo scenario through `POST /imports`; answers the last position appended. */
export async function loadDemo(test: TestApp): Promise<number> {
  const manager = await bearer('manager', { subject: 'demo-loader' });
  const rows = demoScenario();
  let position = 0;
  for (let start = 0; start < rows.length; start += 2_000) {
    const response = await request(test.app.getHttpServer())
      .post('/imports')
      .set('Authorization', manager)
      .send(rows.slice(start, start + 2_000))
      .expect(201);
    position = response.body.position;
  }
  return position;
}
