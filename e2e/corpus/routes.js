// Every route of every service (from the @Path annotations in */src/main/java), as the gateway
// exposes them. {x} marks a path parameter. `write` = the request may change the database.
// `bodyIgnored` = the route does not read a request body. `readLike` = a POST that only reads.
export const ROUTES = [
  // auth-service: seed /auth endpoints
  ['POST', '/auth/signup'], ['POST', '/auth/login'], ['POST', '/auth/logout', { bodyIgnored: true }],
  ['POST', '/auth/magic-link'], ['POST', '/auth/reset-password'], ['POST', '/auth/update-password'],
  ['GET', '/auth/callback'],
  // auth-service: GoTrue
  ['POST', '/auth/v1/signup'], ['POST', '/auth/v1/token?grant_type=password'],
  ['POST', '/auth/v1/token?grant_type=refresh_token'], ['POST', '/auth/v1/token?grant_type=pkce'],
  ['POST', '/auth/v1/token?grant_type=%27%3Bdrop'],
  ['GET', '/auth/v1/user'], ['PUT', '/auth/v1/user'], ['POST', '/auth/v1/logout', { bodyIgnored: true }],
  ['POST', '/auth/v1/otp'], ['POST', '/auth/v1/magiclink'], ['POST', '/auth/v1/recover'], ['POST', '/auth/v1/resend'],
  ['GET', '/auth/v1/verify'], ['POST', '/auth/v1/verify'], ['GET', '/auth/v1/authorize'],
  ['GET', '/auth/v1/callback'], ['GET', '/auth/v1/settings'], ['GET', '/auth/v1/health'],
  ['GET', '/auth/v1/.well-known/jwks.json'],
  ['GET', '/auth/v1/admin/users'], ['POST', '/auth/v1/admin/users'], ['GET', '/auth/v1/admin/users/{id}'],
  ['PUT', '/auth/v1/admin/users/{id}'], ['DELETE', '/auth/v1/admin/users/{id}'], ['POST', '/auth/v1/admin/generate_link'],
  ['GET', '/api/profile'], ['PATCH', '/api/profile'],
  // catalog-service
  ['POST', '/api/recommendations', { readLike: true }], ['POST', '/slmgen/recommend'],
  ['GET', '/api/training-configs'], ['POST', '/api/training-configs'], ['GET', '/api/training-configs/resolve'],
  ['GET', '/api/training-configs/{id}'], ['PUT', '/api/training-configs/{id}'],
  ['PATCH', '/api/training-configs/{id}'], ['DELETE', '/api/training-configs/{id}'],
  ['GET', '/api/models'], ['GET', '/api/models/{id}'], ['POST', '/api/models/validate', { readLike: true }],
  ['POST', '/slmgen/validate-model', { readLike: true }],
  // datasets-service
  ['POST', '/api/datasets'], ['GET', '/api/datasets'], ['GET', '/api/datasets/{id}'],
  ['GET', '/api/datasets/by-session/{session_id}'], ['GET', '/api/datasets/{id}/preview'],
  ['DELETE', '/api/datasets/{id}'], ['PUT', '/api/datasets/{id}/job'],
  ['GET', '/api/datasets/session-owner/{session_id}'], ['PUT', '/api/datasets/{id}/selection'],
  ['POST', '/slmgen/upload'], ['POST', '/slmgen/analyze'], ['GET', '/slmgen/preview/{session_id}'],
  ['GET', '/slmgen/preview/{session_id}/distribution'], ['GET', '/slmgen/preview/{session_id}/duplicates'],
  // jobs-service
  ['POST', '/api/jobs'], ['GET', '/api/jobs'], ['GET', '/api/jobs/by-session/{session_id}'],
  ['GET', '/api/jobs/{id}'], ['DELETE', '/api/jobs/{id}'], ['GET', '/api/jobs/{id}/notebook'],
  ['POST', '/api/jobs/{id}/cancel', { bodyIgnored: true }], ['POST', '/api/jobs/{id}/events'],
  ['GET', '/api/jobs/{id}/events', { sse: true }],
  ['POST', '/slmgen/generate-notebook'], ['GET', '/slmgen/download/{sid}'], ['GET', '/slmgen/notebooks/{sid}.ipynb'],
  ['GET', '/slmgen/jobs'], ['POST', '/slmgen/jobs'], ['GET', '/slmgen/jobs/session/{sid}'],
  ['GET', '/slmgen/jobs/{id}'], ['PATCH', '/slmgen/jobs/{id}'], ['DELETE', '/slmgen/jobs/{id}'],
  ['GET', '/slmgen/training/'], ['POST', '/slmgen/training/start'], ['POST', '/slmgen/training/webhook'],
  ['POST', '/slmgen/training/complete'], ['GET', '/slmgen/training/{sid}/status'],
  ['GET', '/slmgen/training/{sid}/events'], ['GET', '/slmgen/training/{sid}/latest'],
  ['GET', '/slmgen/training/{sid}/stream', { sse: true }],
  // PostgREST subset (shared-postgrest in each owner)
  ...['profiles', 'model_catalog', 'training_configs', 'datasets', 'jobs'].flatMap((t) => [
    ['GET', `/rest/v1/${t}`], ['HEAD', `/rest/v1/${t}`], ['POST', `/rest/v1/${t}`],
    ['PATCH', `/rest/v1/${t}?id=eq.00000000-0000-0000-0000-000000000000`],
    ['DELETE', `/rest/v1/${t}?id=eq.00000000-0000-0000-0000-000000000000`],
  ]),
  // storage-service
  ['GET', '/storage/v1/bucket'], ['GET', '/storage/v1/bucket/{bucket}'], ['POST', '/storage/v1/bucket'],
  ['PUT', '/storage/v1/bucket/{bucket}'], ['DELETE', '/storage/v1/bucket/{bucket}'],
  ['POST', '/storage/v1/bucket/{bucket}/empty'],
  ['POST', '/storage/v1/object/{bucket}/{path}', { upload: true }], ['PUT', '/storage/v1/object/{bucket}/{path}', { upload: true }],
  ['PUT', '/storage/v1/object/upload/sign/{bucket}/{path}', { upload: true }],
  ['POST', '/storage/v1/object/upload/sign/{bucket}/{path}'],
  ['GET', '/storage/v1/object/{bucket}/{path}'], ['HEAD', '/storage/v1/object/{bucket}/{path}'],
  ['GET', '/storage/v1/object/authenticated/{bucket}/{path}'], ['HEAD', '/storage/v1/object/authenticated/{bucket}/{path}'],
  ['GET', '/storage/v1/object/public/{bucket}/{path}'], ['HEAD', '/storage/v1/object/public/{bucket}/{path}'],
  ['GET', '/storage/v1/object/sign/{bucket}/{path}'], ['GET', '/storage/v1/object/info/{bucket}/{path}'],
  ['GET', '/storage/v1/object/info/authenticated/{bucket}/{path}'],
  ['POST', '/storage/v1/object/list/{bucket}', { readLike: true }], ['DELETE', '/storage/v1/object/{bucket}/{path}'],
  ['DELETE', '/storage/v1/object/{bucket}'], ['POST', '/storage/v1/object/move'], ['POST', '/storage/v1/object/copy'],
  ['POST', '/storage/v1/object/sign/{bucket}/{path}', { readLike: true }],
  ['POST', '/storage/v1/object/sign/{bucket}', { readLike: true }],
].map(([method, path, opts = {}]) => ({
  method, path,
  // DELETE reads no body, except storage's prefix removal and GoTrue's admin delete
  bodyIgnored: method === 'DELETE' && !/^\/storage\/v1\/object\/\{bucket\}$|^\/auth\/v1\/admin/.test(path),
  ...opts,
}));

/** The error body shape each path family must answer in (SPEC §1, shared-api ErrorShape). */
export function shapeOf(path) {
  if (path.startsWith('/auth/')) return 'gotrue';
  if (path.startsWith('/storage/v1')) return 'storage';
  if (path.startsWith('/rest/v1')) return 'postgrest';
  if (path.startsWith('/slmgen')) return 'fastapi';
  return 'api';
}

/** The gateway's own 404 for paths it does not route (after decoding and dot-segment removal). */
export const gatewayNotFound = (b) => (b && b.error === 'not_found' && b.message === 'No route for this path')
  // a request nginx cannot even parse (NUL byte, a lone '%') has no path to choose a shape by: the
  // gateway answers its one generic JSON body
  || (b && b.error === 'bad_request' && b.message === 'Malformed request' && b.status === 400);

export function hasShape(shape, b) {
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
  const str = (v) => typeof v === 'string';
  switch (shape) {
    case 'gotrue': return (typeof b.code === 'number' && str(b.error_code) && str(b.msg)) || (str(b.code) && str(b.message));
    case 'storage': return str(b.statusCode) && str(b.error) && str(b.message);
    case 'postgrest': return 'code' in b && 'details' in b && 'hint' in b && str(b.message);
    case 'fastapi': return 'detail' in b && (str(b.detail) || Array.isArray(b.detail));
    case 'api': return str(b.error) && str(b.message) && typeof b.status === 'number';
  }
  return false;
}
