import * as xapi from '../../schemas/xapi';
import { route } from '../route';

export const getXapiAbout = route({
  method: 'GET',
  path: '/xapi/about',
  handler: 'xapi-about',
  data: 'none',
  access: { kind: 'public' },
  summary: 'xAPI About resource: the xAPI versions this Learning Record Store speaks',
  tag: 'xapi',
  responses: { 200: { description: 'Versions', schema: xapi.about } },
});
