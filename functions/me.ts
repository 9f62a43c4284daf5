import { tablelessHttpHandler } from '../shared/http/edge';
import * as route from '../shared/http/routes/me';

export const handler = tablelessHttpHandler(route.me, async ({ actor }) => ({ body: actor }));
