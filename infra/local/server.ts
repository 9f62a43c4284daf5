import { createServer, type IncomingMessage, type Server } from 'node:http';
import { problemResponse } from '../../shared/http/problem';
import type { LocalRequest, LocalResponse } from './invoke';

/** API Gateway HTTP APIs refuse bodies over 10 MB before any Lambda runs. */
const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_BODY_LIMIT) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `page` answers the progress page's own paths (infra/local/page.ts); everything else goes to the API. */
export function startHttpServer(
  port: number,
  invoke: (request: LocalRequest) => Promise<LocalResponse>,
  page?: (method: string, url: string) => LocalResponse | undefined,
): Promise<Server> {
  const server = createServer(async (request, response) => {
    const pageAnswer = page?.(request.method ?? 'GET', request.url ?? '/');
    if (pageAnswer) {
      response.writeHead(pageAnswer.statusCode, pageAnswer.headers);
      response.end(pageAnswer.body);
      return;
    }
    let answer: LocalResponse;
    try {
      const body = await readBody(request);
      answer =
        body === 'too-large'
          ? problemResponse('payload-too-large', 'Request bodies are limited to 10 MB.', request.url)
          : await invoke({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body, sourceIp: request.socket.remoteAddress });
    } catch (error) {
      console.error('local host: invocation failed', error instanceof Error ? error.name : 'unknown');
      answer = problemResponse('internal', 'The local host failed to invoke the handler.', request.url);
    }
    response.writeHead(answer.statusCode, answer.headers);
    response.end(answer.bytes ?? answer.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
