import { exportOwnData } from '../shared/domain/personal-data';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.exportMyData, async ({ actor }) => ({
  body: await exportOwnData(actor, new Date()),
  headers: { 'content-disposition': 'attachment; filename="kanryu-my-data.json"' },
}));
