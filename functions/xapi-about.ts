import { tablelessHttpHandler } from '../shared/http/edge';
import * as route from '../shared/http/routes/xapi-about';

export const handler = tablelessHttpHandler(route.getXapiAbout, async () => ({
  body: { version: ['1.0.3'], extensions: {} },
  headers: { 'x-experience-api-version': '1.0.3' },
}));
