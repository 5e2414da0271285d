import { languageName } from '../lib/languages.js';

export function LanguageSelect(props: { value: string; options: string[]; onChange(code: string): void; label: string; emptyLabel?: string; testId: string }) {
  return (
    <select className="select" aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
      {props.emptyLabel && <option value="">{props.emptyLabel}</option>}
      {props.options.map((code) => (
        <option key={code} value={code}>
          {languageName(code)}
        </option>
      ))}
    </select>
  );
}
