'use client';

import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useEffect, useState } from 'react';

import styles from './markdown.module.css';

// One parser for the portal: GitHub-flavoured markdown, no raw HTML passed through unsanitised.
const parser = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Markdown written by users (repository descriptions) as sanitised HTML: marked renders it,
 * DOMPurify (in the browser, on its DOM) removes scripts, event handlers, `javascript:` URLs,
 * forms, frames and styles. Links open outside the portal without handing it the opener.
 */
export function renderMarkdown(source: string): string {
  const html = parser.parse(source, { async: false });
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style', 'srcset'],
  });
}

let hooked = false;
function hookLinks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    // An image its author did not describe is taken as decorative.
    if (node.tagName === 'IMG' && !node.hasAttribute('alt')) node.setAttribute('alt', '');
    if (node.tagName === 'A' && node.getAttribute('href')) {
      node.setAttribute('rel', 'noopener noreferrer nofollow');
      node.setAttribute('target', '_blank');
    }
  });
}

/** Renders `source` after mount: sanitising needs the browser's DOM (the server render shows the text). */
export function Markdown({ source }: { source: string }) {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    if (!DOMPurify.isSupported) return;
    hookLinks();
    setHtml(renderMarkdown(source));
  }, [source]);
  if (html === null) {
    return (
      <div className={styles.markdown}>
        <p className={styles.plain}>{source}</p>
      </div>
    );
  }
  return <div className={styles.markdown} dangerouslySetInnerHTML={{ __html: html }} />;
}
