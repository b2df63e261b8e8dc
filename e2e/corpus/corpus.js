// The generated bad-input corpus: hostile tokens, bodies, path parameters, query strings and headers.
import { createHmac, randomUUID } from 'node:crypto';

export const SECRET = process.env.SUPABASE_JWT_SECRET ?? 'super-secret-jwt-token-with-at-least-32-characters-long';
const b64 = (s) => Buffer.from(typeof s === 'string' ? s : JSON.stringify(s)).toString('base64url');
export function jwt(header, claims, secret = SECRET) {
  const head = b64(header);
  const body = b64(claims);
  const sig = secret === null ? '' : createHmac(header.alg === 'HS512' ? 'sha512' : 'sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}
const now = () => Math.floor(Date.now() / 1000);
export const hs256 = (claims, secret = SECRET) => jwt({ alg: 'HS256', typ: 'JWT' }, claims, secret);
export const ANON_KEY = hs256({ iss: 'supabase-demo', role: 'anon', iat: 1700000000, exp: 2000000000 });
export const SERVICE_KEY = hs256({ iss: 'supabase-demo', role: 'service_role', iat: 1700000000, exp: 2000000000 });

/** Tokens that every route must refuse (401/4xx), whatever the route. */
export function hostileTokens(userId) {
  const user = (extra = {}) => ({ sub: userId, aud: 'authenticated', role: 'authenticated', email: 'x@example.test',
    iat: now() - 10, exp: now() + 3600, session_id: randomUUID(), ...extra });
  return {
    'alg none (service_role)': jwt({ alg: 'none', typ: 'JWT' }, { role: 'service_role', exp: now() + 3600 }, null),
    'alg none (user)': jwt({ alg: 'none', typ: 'JWT' }, user(), null),
    'alg NONE with signature': jwt({ alg: 'NONE' }, user(), SECRET),
    'wrong secret (service_role)': hs256({ role: 'service_role', exp: now() + 3600 }, 'wrong-secret-wrong-secret-wrong-secret-123'),
    'wrong secret (user)': hs256(user(), 'x'),
    'expired user token': hs256(user({ iat: now() - 7200, exp: now() - 3600 })),
    'not yet valid (nbf +1h)': hs256(user({ nbf: now() + 3600 })),
    'role postgres': hs256(user({ role: 'postgres' })),
    'role supabase_admin': hs256({ role: 'supabase_admin', exp: now() + 3600 }),
    'role with SQL': hs256(user({ role: "authenticated'; drop table jobs; --" })),
    'authenticated without sub': hs256(user({ sub: undefined })),
    'sub not a uuid (SQL)': hs256(user({ sub: "' or 1=1 --" })),
    'wrong audience': hs256(user({ aud: 'evil' })),
    'HS512 with the secret': jwt({ alg: 'HS512', typ: 'JWT' }, user()),
    'RS256 header, HMAC signature (confusion)': jwt({ alg: 'RS256', typ: 'JWT' }, user()),
    'ES256 unknown kid': jwt({ alg: 'ES256', typ: 'JWT', kid: '../../../etc/passwd' }, user(), 'x'),
    'exp as string': hs256(user({ exp: 'never' })),
    'claims not JSON': `${b64({ alg: 'HS256' })}.${Buffer.from('{not json').toString('base64url')}.AAAA`,
    'garbage': 'garbage',
    'three dots': '...',
    'two segments': 'abc.def',
    'non-base64 segments': '!!!.@@@.###',
    'long token (8 KB)': 'a'.repeat(4000) + '.' + 'b'.repeat(4000) + '.c',
    'unicode token (UTF-8 bytes)': Buffer.from('é\u202e.token.\u200b').toString('latin1'),
  };
}

// Field names used by the routes' request bodies (GoTrue, storage-api, /api, /slmgen, PostgREST rows).
const FIELDS = ['email', 'password', 'phone', 'token', 'token_hash', 'type', 'refresh_token', 'redirect_to',
  'data', 'name', 'title', 'full_name', 'avatar_url', 'id', 'user_id', 'dataset_id', 'job_id', 'session_id',
  'model_id', 'training_config_id', 'config', 'preset', 'task', 'task_type', 'deployment_target', 'messages',
  'bucketId', 'sourceKey', 'destinationKey', 'destinationBucket', 'prefix', 'prefixes', 'paths', 'limit',
  'offset', 'expiresIn', 'sortBy', 'search', 'public', 'file_size_limit', 'allowed_mime_types', 'status',
  'progress', 'event', 'step', 'loss', 'metadata', 'user_metadata', 'app_metadata', 'code_verifier',
  'auth_code', 'nonce', 'provider', 'email_confirm', 'role', 'learning_rate', 'epochs', 'batch_size',
  'lora_r', 'model', 'session', 'selected_model', 'filename', 'content'];
const fill = (f) => Object.fromEntries(FIELDS.map((k, i) => [k, f(k, i)]));

const deep = (n) => '['.repeat(n) + ']'.repeat(n);
const deepObj = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
export const SQL = ["' OR '1'='1", "'; DROP TABLE jobs; --", '1; select pg_sleep(5)', "\\'; delete from auth.users; --",
  '$1', "') union select * from auth.users --", '%', '_', '*'];
const ODD = ['\u202eRTL override', 'a\u200f\u200ebidi', '\u0000nul', 'zero\u200bwidth', '\ufeffbom', '\u{1F4A9}',
  'e\u0301', '\uffff', '\u2028line'];

/**
 * Bodies: name → [bytes, content-type, kind]. kind 'invalid' must be refused (4xx); kind 'odd-text' is
 * valid JSON whose strings are merely odd (a 2xx is acceptable where the route takes free text).
 */
export function hostileBodies() {
  const J = 'application/json';
  const raw = (s) => Buffer.from(s, 'utf8');
  const huge = 'A'.repeat(1_500_000);
  return {
    'empty body': [Buffer.alloc(0), J, 'invalid'],
    'truncated object': [raw('{"email": "a@b.c", "password": "abc'), J, 'invalid'],
    'truncated after key': [raw('{"a":'), J, 'invalid'],
    'lone brace': [raw('{'), J, 'invalid'],
    'not JSON': [raw('this is not json'), J, 'invalid'],
    'trailing garbage': [raw('{"name":"x"} extra'), J, 'invalid'],
    'single quotes': [raw("{'name':'x'}"), J, 'invalid'],
    'NaN literal': [raw('{"limit": NaN}'), J, 'invalid'],
    'null': [raw('null'), J, 'invalid'],
    'array of numbers': [raw('[1,2,3]'), J, 'invalid'],
    'bare string': [raw('"hello"'), J, 'invalid'],
    'huge integer': [raw('123456789012345678901234567890123456789012345678901234567890'), J, 'invalid'],
    'huge exponent': [raw('1e999999999'), J, 'invalid'],
    'wrong types (objects/arrays)': [raw(JSON.stringify(fill((k, i) => (i % 2 ? { $gt: '' } : [null, {}])))), J, 'invalid'],
    'wrong types (booleans/numbers)': [raw(JSON.stringify(fill((k, i) => (i % 2 ? true : -1)))), J, 'invalid'],
    'huge numbers in fields': [raw('{' + FIELDS.map((k, i) => `"${k}": ${i % 2 ? '1e400' : '-99999999999999999999999999999'}`).join(',') + '}'), J, 'invalid'],
    'huge string (1.5 MB) in every field': [raw(JSON.stringify({ name: huge, email: huge.slice(0, 1000) + '@x.y', password: huge.slice(0, 100_000), title: huge.slice(0, 10_000) })), J, 'invalid'],
    'deep array nesting (20k)': [raw(deep(20000)), J, 'invalid'],
    'deep object nesting (5k) in a field': [raw(`{"data": ${deepObj(5000)}, "config": ${deepObj(5000)}}`), J, 'invalid'],
    // the last duplicate wins, as in PostgreSQL's json, PostgREST and storage-api: a 2xx is acceptable
    'duplicate keys with different types': [raw('{"email":"a@b.c","email":{"x":1},"id":1,"id":"x"}'), J, 'odd-text'],
    'lone surrogates (escaped)': [raw(JSON.stringify(fill(() => 'x')).replace(/"x"/g, '"\\ud800\\udfff\\udc00x\\ud83d"')), J, 'odd-text'],
    'invalid UTF-8 bytes': [Buffer.concat([raw('{"name":"'), Buffer.from([0xc0, 0xaf, 0xff, 0xfe, 0xed, 0xa0, 0x80]), raw('","email":"'), Buffer.from([0xf8, 0x88]), raw('@x.y"}')]), J, 'odd-text'],
    'RTL / zero-width / NUL strings': [raw(JSON.stringify(fill((k, i) => ODD[i % ODD.length]))), J, 'odd-text'],
    'SQL-looking strings': [raw(JSON.stringify(fill((k, i) => SQL[i % SQL.length]))), J, 'odd-text'],
    // RFC 8259 lets a parser ignore a BOM, and Jackson detects UTF-16: a 2xx is acceptable for these two
    'UTF-8 BOM before JSON': [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), raw('{"name":"x"}')]), J, 'odd-text'],
    'UTF-16 JSON': [Buffer.from('{"name":"x"}', 'utf16le'), 'application/json; charset=utf-16', 'odd-text'],
    'JSON sent as text/plain': [raw('{"email":"a@b.c"}'), 'text/plain', 'invalid'],
    'form body with SQL': [raw("email=' OR 1=1 --&password[]=x&id=../../etc"), 'application/x-www-form-urlencoded', 'invalid'],
    'multipart with broken boundary': [raw('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n\r\n{"messages":'), 'multipart/form-data; boundary=ABC', 'invalid'],
    'multipart traversal filename': [raw('--B\r\nContent-Disposition: form-data; name="file"; filename="../../../etc/passwd\u0000.jsonl"\r\nContent-Type: application/json\r\n\r\n{"messages": 5}\n\r\n--B--\r\n'), 'multipart/form-data; boundary=B', 'invalid'],
    'content-type garbage': [raw('{"name":"x"}'), 'application/json\u00e9; charset="\'; drop', 'invalid'],
  };
}

/** Values for a path parameter (already URL-encoded where needed; sent as is). */
export const PATH_VALUES = {
  'dot-dot encoded %2e': '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'dot-dot with encoded slash': '..%2F..%2F..%2Fetc%2Fpasswd',
  'double-encoded dot-dot': '%252e%252e%252f%252e%252e%252fetc%252fpasswd',
  'backslash traversal': '..%5C..%5Cwindows%5Cwin.ini',
  'overlong UTF-8 dot': '%c0%ae%c0%ae%2f%c0%ae%c0%ae%2fetc',
  'encoded dot-dot only': '%2e%2e',
  'NUL byte': 'abc%00def',
  'NUL then extension': 'x%00.ipynb',
  'CRLF header injection': 'x%0d%0aX-Injected:%20yes%0d%0aSet-Cookie:%20injected=1',
  'SQL quote': "1'%20OR%20'1'%3D'1",
  'SQL comment': '1%3B%20DROP%20TABLE%20jobs%3B--',
  'RTL override': '%E2%80%AEgnp.exe',
  'encoded lone surrogate': '%ED%A0%80',
  'invalid UTF-8': '%FF%FE%C0',
  'long (4000 chars)': 'a'.repeat(4000),
  'negative number': '-1',
  'huge number': '999999999999999999999999999999',
  'NaN': 'NaN',
  'percent alone': '%',
  'absolute path': '%2Fetc%2Fpasswd',
};

/** Extra storage object paths (the {path: .+} parameter keeps slashes). */
export const OBJECT_PATHS = {
  'traversal in object path': '{uid}/..%2F..%2F..%2Fetc%2Fpasswd',
  'dot segments encoded': '{uid}/%2e%2e/%2e%2e/x.jsonl',
  'leading slash (double slash)': '/etc/passwd',
  'control character': '{uid}/a%01b.jsonl',
  'very long name (1200)': '{uid}/' + 'n'.repeat(1200),
  'folder with SQL': "{uid}/'%3Bdrop%20table%20storage.objects%3B--/x",
  'RTL name': '{uid}/%E2%80%AEgnp.exe',
};

/** Query strings per route family: name → query (appended with ? or &). Names starting with '!' must be refused on every method, '?' on reads; the others
 * may be answered 2xx where they are harmless (limit clamps, reads of nothing). */
export const QUERIES = {
  postgrest: {
    '!filter with SQL': "id=eq.' or 1=1 --",
    '!unknown operator': 'id=sqli.1',
    '?select with subquery': 'select=*,(select%20password%20from%20auth.users)',
    '?select unknown column': 'select=encrypted_password',
    '?order injection': 'order=created_at;drop%20table%20jobs',
    '?order unknown column': 'order=pg_sleep(5).desc',
    '!in() unbalanced': 'id=in.(1,2',
    'limit negative': 'limit=-1',
    'limit huge': 'limit=99999999999999999999999',
    'offset not a number': 'offset=abc',
    '!is. garbage': 'user_id=is.maybe',
    'like with NUL': 'name=like.%00',
    '!column with quote': '%22id%22%22=eq.1',
    'deeply nested or': 'or=(' + 'or('.repeat(200) + 'id.eq.1' + ')'.repeat(200) + ')',
    'lone surrogate in value (decoded as U+FFFD)': 'name=eq.%ED%A0%80',
    'huge value (6 KB)': 'name=eq.' + 'x'.repeat(6_000),
    'URI of 100 KB (over the gateway limit)': 'name=eq.' + 'x'.repeat(100_000),
  },
  api: {
    'limit not a number': 'limit=abc',
    'limit negative': 'limit=-5',
    'limit huge': 'limit=99999999999999999999999',
    'offset negative': 'offset=-1',
    'offset float': 'offset=1.5e308',
    'page SQL': "page=1' or '1'='1",
    'page_size huge': 'page=1&page_size=999999999999',
    'sort injection': 'sort=created_at;drop',
  },
};
