// A small Cloudflare API for tests of our provisioning: the D1, Queues and R2 bucket account endpoints that
// wrangler calls (list with paging, create), with the real envelope ({success, errors, messages,
// result, result_info}), the real refusals (a duplicate name is a 4xx with an error code, an
// unknown account is 404) and a bearer token check. Point wrangler at it with
// CLOUDFLARE_API_BASE_URL=<url>/client/v4.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

const envelope = (result, extra = {}) => ({ success: true, errors: [], messages: [], result, ...extra });
const failure = (code, message) => ({ success: false, errors: [{ code, message }], messages: [], result: null });

export async function startFakeCloudflare({
  port = 0,
  accountId = "0123456789abcdef0123456789abcdef",
  token = "test-token",
} = {}) {
  const databases = new Map(); // name → { uuid, name, created_at, version }
  const queues = new Map(); // name → { queue_id, queue_name, created_on, modified_on }
  const buckets = new Map(); // name → { name, creation_date, location }
  const calls = [];

  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const url = new URL(req.url, "http://fake");
      calls.push({ method: req.method, path: url.pathname, body });
      const send = (status, payload) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return send(403, failure(10000, "Authentication error"));
      const m = url.pathname.match(/^\/client\/v4\/accounts\/([^/]+)\/(d1\/database|queues|r2\/buckets)$/);
      if (!m) return send(404, failure(7003, `Could not route to ${url.pathname}`));
      if (m[1] !== accountId) return send(404, failure(7003, "Could not route to account"));
      const page = Number(url.searchParams.get("page") ?? 1);
      const perPage = Number(url.searchParams.get("per_page") ?? 20);
      const list = (items) => {
        const slice = items.slice((page - 1) * perPage, page * perPage);
        return envelope(slice, {
          result_info: { page, per_page: perPage, count: slice.length, total_count: items.length },
        });
      };
      let input = {};
      try {
        input = body ? JSON.parse(body) : {};
      } catch {
        return send(400, failure(10001, "Invalid JSON body"));
      }
      if (m[2] === "d1/database") {
        if (req.method === "GET") return send(200, list([...databases.values()]));
        if (req.method === "POST") {
          if (typeof input.name !== "string" || !input.name) return send(400, failure(7400, "name is required"));
          if (databases.has(input.name)) return send(400, failure(7502, "A database with that name already exists"));
          const db = {
            uuid: randomUUID(),
            name: input.name,
            created_at: new Date().toISOString(),
            version: "production",
          };
          databases.set(db.name, db);
          return send(200, envelope(db));
        }
      } else if (m[2] === "r2/buckets") {
        if (req.method === "GET") return send(200, envelope({ buckets: [...buckets.values()] }));
        if (req.method === "POST") {
          if (typeof input.name !== "string" || !input.name) return send(400, failure(10005, "name is required"));
          if (buckets.has(input.name))
            return send(409, failure(10004, "The bucket you tried to create already exists, and you own it."));
          const bucket = { name: input.name, creation_date: new Date().toISOString(), location: "WEUR" };
          buckets.set(bucket.name, bucket);
          return send(200, envelope(bucket));
        }
      } else {
        // Cloudflare answers the queue list in one response.
        if (req.method === "GET") return send(200, envelope([...queues.values()]));
        if (req.method === "POST") {
          const name = input.queue_name;
          if (typeof name !== "string" || !name) return send(400, failure(11000, "queue_name is required"));
          if (queues.has(name)) return send(409, failure(11009, "Queue name already taken"));
          const now = new Date().toISOString();
          const q = {
            queue_id: randomUUID().replaceAll("-", ""),
            queue_name: name,
            created_on: now,
            modified_on: now,
            producers: [],
            producers_total_count: 0,
            consumers: [],
            consumers_total_count: 0,
          };
          queues.set(name, q);
          return send(200, envelope(q));
        }
      }
      return send(405, failure(10405, "Method not allowed"));
    });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    apiBase: `${url}/client/v4`,
    accountId,
    token,
    databases,
    queues,
    buckets,
    calls,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
