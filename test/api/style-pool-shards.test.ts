import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { db, table } from '../../shared/data/client';
import { STYLE_POOL_SHARDS } from '../../shared/domain/candidate-pool';
import { runAggregation } from '../../shared/progress/aggregator';
import { call } from '../support/api';
import { centerToken, createLearner, openingBody, providerToken, registerCourse, registerEmployer, seedCatalog } from '../support/fixtures';

/**
 * The remote pool draws from every place-free learner in the country: no one partition may
 * take all their writes (issue 17, item 1). Entries are spread over the shards by learner,
 * and a remote opening still finds the candidates of every shard.
 */
describe('the national style pools', () => {
  it('spread place-free learners over every shard, one shard per learner, and a remote opening lists them all', async () => {
    await seedCatalog();
    const provider = await providerToken('prov-shards');
    const course = await registerCourse(provider, { skills: [{ skill: 'data-platform-design', level: 'a' }] });
    const learners = Array.from({ length: 48 }, (_, i) => `shard-remote-${i}`);
    for (const learnerId of learners) {
      await createLearner(learnerId, { workPrefectures: ['13'], workStyles: ['remote'], placeFreeConsent: true }, { linkProviders: ['prov-shards'] });
      const logged = await call('POST', '/v1/completions', { token: provider, body: { learnerId, courseId: course, completedOn: '2025-05-01' } });
      expect(logged.status, logged.text).toBe(201);
    }
    await runAggregation();

    const { Items = [] } = await db.send(
      new ScanCommand({ TableName: table(), FilterExpression: 'begins_with(pk, :pool)', ExpressionAttributeValues: { ':pool': 'POOL#Sremote' } }),
    );
    const byShard = new Map<string, number>();
    const shardsOf = new Map<string, Set<string>>();
    for (const item of Items.filter((i) => learners.includes(i.learnerId))) {
      byShard.set(item.pk, (byShard.get(item.pk) ?? 0) + 1);
      shardsOf.set(item.learnerId, (shardsOf.get(item.learnerId) ?? new Set()).add(item.pk));
    }
    expect(shardsOf.size).toBe(learners.length);
    expect([...shardsOf.values()].every((shards) => shards.size === 1)).toBe(true);
    expect(byShard.size).toBe(STYLE_POOL_SHARDS);
    expect(Math.max(...byShard.values())).toBeLessThanOrEqual((3 * learners.length) / STYLE_POOL_SHARDS);

    const employer = await registerEmployer('3987654321098', '境港リモート株式会社');
    const created = await call('POST', '/v1/openings', { token: employer, body: openingBody({ title: 'リモート 分析', workStyle: 'remote', headcount: 3 }) });
    expect(created.status, created.text).toBe(201);
    const openingId = created.json.openingId;
    expect((await call('PATCH', `/v1/openings/${openingId}`, { token: employer, body: { status: 'open' } })).status).toBe(200);
    const listed = new Set<string>();
    const center = await centerToken('31');
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/v1/openings/${openingId}/candidates?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
        token: center,
      });
      expect(page.status, page.text).toBe(200);
      for (const c of page.json.candidates) listed.add(c.candidate);
      cursor = page.json.cursor;
    } while (cursor);
    expect(learners.filter((id) => !listed.has(id))).toEqual([]);
  }, 120_000);
});
