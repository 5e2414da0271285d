// The localization test set: held-out Debian msgids with placeholders (built by
// tools/fixtures/localization_set.py) plus hand-written web and shop strings: HTML, ICU
// plural/select, braces of every templating style, product codes, URLs and e-mail addresses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/paths.js';
import { findSpans } from '../../src/core/protect/spans.js';

/** The Debian strings in which Parla finds a span (the builder's pattern is looser: `'<' at most, '>'`). */
export function debianStrings(): string[] {
  const file = join(packageRoot(), 'test', 'fixtures', 'localization-strings.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { strings: { source: string }[] }).strings
    .map((s) => s.source)
    .filter((s) => findSpans(s).length > 0);
}

export const HTML_STRINGS = [
  'Click <a href="/settings">here</a> to open your settings.',
  '<b>Warning:</b> this action cannot be undone.',
  'Read our <a href="https://example.com/terms" target="_blank">terms of service</a> before you continue.',
  'Press <kbd>Ctrl</kbd>+<kbd>S</kbd> to save the document.',
  'Your password must contain <strong>at least eight characters</strong>.',
  'The file was saved.<br>You can close this window now.',
  '<p>Welcome back!</p>',
  'Select a <em>file</em> or a <em>folder</em> to share.',
  '<span class="price">Free shipping</span> on all orders.',
  'Learn more about <a href="/privacy">how we use your data</a>.',
  'Drag files here or <button type="button">browse</button> your computer.',
  '<i>New:</i> export your history as a spreadsheet.',
  'Tom &amp; Jerry are waiting for you.',
  'Prices include VAT&nbsp;and delivery.',
  'This item is <b>out of <i>stock</i></b> today.',
  '<!-- tooltip --> Show hidden files',
  'Add <img src="/icons/star.svg" alt=""> to favourites.',
  'Contact <a href="mailto:support@example.com">our support team</a> for help.',
  '<label for="email">Email address</label>',
  'Your cart is empty. <a href="/shop">Continue shopping</a>',
];

export const ICU_STRINGS = [
  '{count, plural, one {# file} other {# files}} selected',
  'You have {count, plural, =0 {no new messages} one {one new message} other {# new messages}}.',
  '{gender, select, male {He replied} female {She replied} other {They replied}} to your comment.',
  '{count, plural, one {# item was deleted} other {# items were deleted}}',
  'It is your {year, selectordinal, one {#st} two {#nd} few {#rd} other {#th}} year with us.',
  '{count, plural, one {Remove # photo?} other {Remove # photos?}}',
  '{name} invited you and {count, plural, one {# other person} other {# other people}}.',
  '{count, plural, offset:1 =0 {Nobody liked this} =1 {{name} liked this} other {{name} and # others liked this}}',
  '{days, plural, one {Your trial ends in # day} other {Your trial ends in # days}}',
  '{status, select, paid {The order is paid} shipped {The order has shipped} other {The order is open}}',
  '{count, plural, one {# song} other {# songs}} in your library',
  'Delete {count, plural, one {this file} other {these # files}}?',
];

export const BRACE_STRINGS = [
  'Your order #{orderId} has shipped.',
  'Are you sure you want to delete {item}?',
  'Hello {{username}}, welcome back!',
  'Total: ${total} including taxes',
  'Copied %1$s to %2$s.',
  'Welcome, %(name)s! You have %(count)d new messages.',
  'Saved {0} of {1} files.',
  'The download of {fileName} failed.',
  '%{count} items in your cart',
  'Hi {firstName}, your subscription renews on {date}.',
  'Could not open %s: %s',
  'Uploading %d files to %s',
  'Last login: {lastLogin} from {ip}',
  '{user} shared {album} with you.',
  'Page {current} of {total}',
];

export const CODE_STRINGS = [
  'Product SKU-1003 is out of stock.',
  'Order ABC-12 was delivered yesterday.',
  'Version v2.3.1 is available for download.',
  'Update to 1.4.2 to fix this problem.',
  'Visit https://example.com/help for more information.',
  'Write to help@example.com if you need help.',
  'Run the installer with --no-update to keep your settings.',
  'Set max_connections to a higher value.',
  'The userId field is required.',
  'Model XR-200 comes with a two-year warranty.',
  'See www.example.org/docs for the manual.',
  'Part number PN-4471-B does not match.',
  'Reset the device with code RST-99.',
];

/** The whole set: at least 300 strings. */
export function localizationSet(): string[] {
  return [...debianStrings(), ...HTML_STRINGS, ...ICU_STRINGS, ...BRACE_STRINGS, ...CODE_STRINGS, ...TEMPLATED_STRINGS];
}

/** Plain everyday and UI strings with no spans: protection must not change their output. */
export const PLAIN_STRINGS = [
  'Open the file',
  'Save changes?',
  'The weather is nice today.',
  'Do you want to close this window?',
  'Print the current page',
  'Thank you for your order.',
  'Search for files and folders',
  'The connection was lost.',
];

const UI_PHRASES = [
  'Save your changes',
  'Delete the selected items',
  'Open a new window',
  'Show hidden files',
  'Print this page',
  'Check for updates',
  'Export your data',
  'Change your password',
  'Close all tabs',
  'Download the report',
];

/** Each UI phrase with a tag pair, a named placeholder and a printf placeholder around it. */
export const TEMPLATED_STRINGS = UI_PHRASES.flatMap((phrase) => [
  `<strong>${phrase}</strong> now`,
  `${phrase} for {name}`,
  `${phrase} (%d left)`,
]);
