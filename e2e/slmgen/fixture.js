// The dataset the SLMGEN replay test uploads. Every content has a fixed length so the expected
// numbers can be worked out by hand (see slmgen-app.test.js for the arithmetic):
//   user(i)      "Question 007: what does item 007 mean?"            38 code points → 9 tokens, 7 words
//   assistant(i) "Item 007 means the value 007 in our catalogue."     46 code points → 11 tokens, 9 words
//   SYSTEM       "You are a precise assistant."                      28 code points → 7 tokens, 5 words
//   follow-up    "And item 054 again?"                               19 code points → 4 tokens, 4 words
//   answer       "Yes, item 054 again means 054."                    30 code points → 7 tokens, 6 words
// Examples (0-based, valid ones only):
//   0..49  user + assistant                                   (50, single-turn)
//   50..53 system + user + assistant                          (4, single-turn, system prompt)
//   54..55 user + assistant + user + assistant                (2, multi-turn)
//   56, 57 exact copies of example 0; 58, 59 of example 1     (4 duplicates)
// Plus, between examples 9 and 10, one blank line and one invalid line (a single message), which
// SLMGEN skips: they count neither as examples nor as physical examples in the preview.
export const SYSTEM = 'You are a precise assistant.';
const p = (i) => String(i).padStart(3, '0');
export const user = (i) => `Question ${p(i)}: what does item ${p(i)} mean?`;
export const assistant = (i) => `Item ${p(i)} means the value ${p(i)} in our catalogue.`;
export const followUp = (i) => `And item ${p(i)} again?`;
export const answer = (i) => `Yes, item ${p(i)} again means ${p(i)}.`;

/** The messages of valid example k (0..59). */
export function messagesOf(k) {
  if (k < 50) return [{ role: 'user', content: user(k) }, { role: 'assistant', content: assistant(k) }];
  if (k < 54) return [{ role: 'system', content: SYSTEM }, { role: 'user', content: user(k) }, { role: 'assistant', content: assistant(k) }];
  if (k < 56) return [{ role: 'user', content: user(k) }, { role: 'assistant', content: assistant(k) },
    { role: 'user', content: followUp(k) }, { role: 'assistant', content: answer(k) }];
  return messagesOf(k < 58 ? 0 : 1);
}

export const EXAMPLES = 60;

/** The file's text: 60 valid examples, a blank line and an invalid line after the tenth. */
export function datasetText() {
  const lines = [];
  for (let k = 0; k < EXAMPLES; k++) {
    lines.push(JSON.stringify({ messages: messagesOf(k) }));
    if (k === 9) {
      lines.push('');
      lines.push(JSON.stringify({ messages: [{ role: 'user', content: 'lonely question' }] }));
    }
  }
  return lines.join('\n') + '\n';
}
