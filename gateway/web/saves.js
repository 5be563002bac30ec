// The saves of the sheet last shown. A page that reads the assessment (the
// sheet again after a language switch, the results) waits for them first, so
// it sees the latest answers and etag.
let lastChain = Promise.resolve();

// The sheet hands over its chain of saves each time it adds one.
export function trackSaves(chain) { lastChain = chain; }

export function savesSettled() {
  return lastChain.catch(() => {});
}
