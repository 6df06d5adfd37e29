// The signed record of an approved certificate (services/credentials): downloads (zip with the
// JSON, the JWT and the QR code; the JSON and the JWT alone), the QR code of its public verify
// page and a share link to it.
import { h } from '../dom.js';
import { t, pick } from '../i18n.js';
import { blobImage } from './blob-image.js';
import { downloadLink } from './download-link.js';

export const PASSED = new Set(['approved', 'recorded', 'credit_pending']);

export function credentialCell(cert, credential, onError) {
  if (!PASSED.has(cert.status)) return '';
  if (!credential) return h('span', { class: 'muted', testid: 'cred-pending' }, t('cred.pending'));
  if (credential.state !== 'active') {
    return h('span', { testid: 'cred-state', 'data-state': credential.state }, credential.state_label);
  }
  const file = `credential-${credential.id}`;
  return h('div', { class: 'credential', testid: 'cred-cell', 'data-id': credential.id },
    downloadLink({ path: credential.download_url, label: t('cred.download'), testid: 'cred-download',
                   fallbackName: `${file}.zip`, onError }),
    h('div', { class: 'row-actions' },
      downloadLink({ path: credential.credential_url, label: 'JSON', testid: 'cred-json', fallbackName: `${file}.json`, onError }),
      downloadLink({ path: credential.credential_url, query: { format: 'jwt' }, label: 'JWT', testid: 'cred-jwt',
                     fallbackName: `${file}.jwt`, onError })),
    blobImage(credential.qr_url, { alt: t('cred.qr_alt', { name: pick(cert.entry_name, cert.entry_name_en) }), testid: 'cred-qr', className: 'qr' }),
    h('a', { href: credential.verify_url, target: '_blank', rel: 'noopener', testid: 'cred-share' }, t('cred.share')));
}
