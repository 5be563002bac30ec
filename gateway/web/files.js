// Files the API sends (reports, the self-check workbook): the name the server
// gives in Content-Disposition, and saving a response as a download.
import { h } from './dom.js';

export function fileNameOf(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const star = cd.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) { try { return decodeURIComponent(star[1]); } catch { /* fall through */ } }
  const plain = cd.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : fallback;
}

// Saves a fetched file through a temporary link; returns the file's name.
export async function saveResponse(res, fallback) {
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: fileNameOf(res, fallback), class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
  return a.download;
}
