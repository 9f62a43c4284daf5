import { tablelessHttpHandler } from '../shared/http/edge';
import * as route from '../shared/http/routes/health';

export const handler = tablelessHttpHandler(route.health, async () => ({ body: { status: 'ok' } }));
