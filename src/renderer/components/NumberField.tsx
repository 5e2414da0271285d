// A number input whose field can be emptied while typing a new value: an empty or unreadable
// entry is NaN (the page refuses to save it and says which field), never a silent 0.
import type { InputHTMLAttributes } from 'react';

type NumberFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  value: number;
  onValue(value: number): void;
};

export function NumberField({ value, onValue, ...input }: NumberFieldProps) {
  return (
    <input
      {...input}
      className="input"
      type="number"
      value={Number.isNaN(value) ? '' : value}
      onChange={(e) => onValue(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value))}
    />
  );
}
