// pods/exec over WebSocket, as kubectl 1.32 speaks it (the remotecommand channel protocols
// v5/v4.channel.k8s.io): binary messages whose first byte is the stream (0 stdin, 1 stdout,
// 2 stderr, 3 error, 4 resize; v5's 255 closes a stream), the command's end reported on the
// error stream as a metav1.Status (NonZeroExitCode with an ExitCode cause). Commands run in the
// docker kubelet's containers; the fake kubelet has none to run them in.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Api } from './api.js';
import type { DockerRuntime } from './controllers/docker-runtime.js';
import type { Obj } from './store.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export class ExecHandler {
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false });

  constructor(
    private readonly api: Api,
    private readonly runtime: DockerRuntime | undefined,
    /** 'admin' may exec; anyone else is refused as RBAC would. */
    private readonly authenticate: (req: IncomingMessage) => string | undefined,
  ) {}

  /** Handles an upgrade request; false when it is not a pods/exec URL. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'https://kubesim');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    if (!m) return false;
    const [namespace, name] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
    const user = this.authenticate(req);
    if (!user) return refuse(socket, 401, status(401, 'Unauthorized', 'Unauthorized'));
    if (user !== 'admin') return refuse(socket, 403, status(403, 'Forbidden', `pods "${name}" is forbidden: User "kubesim-${user}" cannot create resource "pods/exec" in API group "" in the namespace "${namespace}"`));
    let pod: Obj;
    try {
      pod = this.api.get({ resource: this.api.resourceFor('pods'), namespace, name });
    } catch {
      return refuse(socket, 404, status(404, 'NotFound', `pods "${name}" not found`));
    }
    const names = ((pod.spec?.containers ?? []) as Obj[]).map((c) => c.name as string);
    const container = url.searchParams.get('container') ?? (names.length === 1 ? names[0]! : undefined);
    if (!container) return refuse(socket, 400, status(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`));
    if (!names.includes(container)) return refuse(socket, 400, status(400, 'BadRequest', `container ${container} is not valid for pod ${name}`));
    const command = url.searchParams.getAll('command');
    if (!command.length) return refuse(socket, 400, status(400, 'BadRequest', 'you must specify at least 1 command'));
    if (!this.runtime) return refuse(socket, 400, status(400, 'BadRequest', `unable to upgrade connection: kubesim runs commands only with --kubelet docker (pod ${name}, container ${container})`));
    const stdin = url.searchParams.get('stdin') === 'true';
    const tty = url.searchParams.get('tty') === 'true';
    void this.runtime.exec(pod, container, { command, stdin, tty }).then(
      (session) => {
        if (!session) return refuse(socket, 400, status(400, 'BadRequest', `unable to upgrade connection: container not found ("${container}")`));
        this.wss.handleUpgrade(req, socket, head, (ws) => this.stream(ws, session, command));
        return true;
      },
      (err: Error) => refuse(socket, 500, status(500, 'InternalError', `unable to upgrade connection: ${err.message}`)),
    );
    return true;
  }

  private stream(ws: WebSocket, session: NonNullable<Awaited<ReturnType<DockerRuntime['exec']>>>, command: string[]): void {
    const send = (channel: number, data: Buffer) => ws.readyState === ws.OPEN && ws.send(Buffer.concat([Buffer.from([channel]), data]));
    session.stdout.on('data', (d: Buffer) => send(STDOUT, d));
    session.stderr.on('data', (d: Buffer) => send(STDERR, d));
    ws.on('message', (raw: Buffer) => {
      const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
      if (data[0] === STDIN) session.write(data.subarray(1));
      else if (data[0] === CLOSE && data[1] === STDIN) session.closeStdin();
      else if (data[0] === RESIZE) {
        try {
          const size = JSON.parse(data.subarray(1).toString('utf8')) as { Width: number; Height: number };
          session.resize(size.Width, size.Height);
        } catch {
          // a garbled resize is ignored, as the kubelet does
        }
      }
    });
    void session.done.then(async () => {
      const code = await session.exitCode();
      const result =
        code === 0
          ? { metadata: {}, status: 'Success' }
          : { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } };
      send(ERROR, Buffer.from(JSON.stringify(result)));
      ws.close(1000);
    });
  }
}

function status(code: number, reason: string, message: string): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** Answers an upgrade request with a plain HTTP error, as the API server does before upgrading. */
function refuse(socket: Duplex, code: number, body: Obj): true {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${code} ${String(body.reason)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
  return true;
}
