import { exportOwnData } from '../shared/domain/personal-data';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/learner-export';

export const handler = httpHandler(route.exportMyData, async ({ actor }) => ({
  body: await exportOwnData(actor, new Date()),
  headers: { 'content-disposition': 'attachment; filename="kanryu-my-data.json"' },
}));
