// next/font/google fetches its CSS and font files from Google at build time; machines without internet
// (CI, this sandbox) cannot. Next.js reads canned answers from the module named by
// NEXT_FONT_GOOGLE_MOCKED_RESPONSES (its own test hook): answer every font URL with an @font-face whose
// file is a local monospace font, so the unchanged app builds offline. Only the app's look is affected.
const fs = require('node:fs');
const candidates = [
  process.env.OFFLINE_FONT_FILE,
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf',
].filter(Boolean);
const file = candidates.find((f) => fs.existsSync(f));
if (!file) throw new Error(`no local font among ${candidates.join(', ')}: set OFFLINE_FONT_FILE`);
const css = `@font-face {
  font-family: 'JetBrains Mono';
  font-style: normal;
  font-weight: 100 800;
  font-display: swap;
  src: url(${file}) format('truetype');
}
`;
module.exports = new Proxy({}, { get: (_target, url) => (typeof url === 'string' ? css : undefined) });
