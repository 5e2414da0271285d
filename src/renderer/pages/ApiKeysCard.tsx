// Settings → API keys: named keys for the DeepL- and LibreTranslate-compatible APIs (docs/compat.md).
// A new key is shown once, here, right after it is made; the list shows each key's month of use.
import { useCallback, useEffect, useState } from 'react';
import type { ApiKeyInfo, CreatedApiKey } from '../../shared/keys.js';
import { useShell } from '../app-context.js';

/** A limit field's number, or undefined when left empty (no limit). */
function limitOf(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

export function ApiKeysCard() {
  const { api, fail, notify } = useShell();
  const [keys, setKeys] = useState<ApiKeyInfo[] | null>(null);
  const [name, setName] = useState('');
  const [chars, setChars] = useState('');
  const [rate, setRate] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const reload = useCallback(() => api.listKeys().then(setKeys, fail), [api, fail]);
  useEffect(() => void reload(), [reload]);

  const create = async () => {
    try {
      const charLimit = limitOf(chars);
      const ratePerMinute = limitOf(rate);
      const key = await api.createKey({ name: name.trim(), ...(charLimit !== undefined ? { charLimit } : {}), ...(ratePerMinute !== undefined ? { ratePerMinute } : {}) });
      setCreated(key);
      setName('');
      setChars('');
      setRate('');
      await reload();
    } catch (e) {
      fail(e);
    }
  };
  const revoke = async (keyName: string) => {
    try {
      await api.revokeKey(keyName);
      if (created?.name === keyName) setCreated(null);
      notify(`Revoked ${keyName}`);
      await reload();
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div className="card form" data-testid="api-keys">
      <h2 className="section-title">API keys</h2>
      <p className="muted">Keys for tools that speak DeepL&apos;s or LibreTranslate&apos;s API (Weblate, browser extensions, scripts). A key opens only those APIs.</p>
      <div className="form-row">
        <label className="field grow">
          Name
          <input className="input" value={name} placeholder="weblate" onChange={(e) => setName(e.target.value)} data-testid="key-name" />
        </label>
        <label className="field">
          Characters per month
          <input className="input" type="number" min={1} value={chars} placeholder="no limit" onChange={(e) => setChars(e.target.value)} data-testid="key-chars" />
        </label>
        <label className="field">
          Requests per minute
          <input className="input" type="number" min={1} value={rate} placeholder="no limit" onChange={(e) => setRate(e.target.value)} data-testid="key-rate" />
        </label>
        <button className="button primary" disabled={name.trim() === ''} onClick={() => void create()} data-testid="key-create">
          Create key
        </button>
      </div>
      {created && (
        <p className="key-once" data-testid="key-created">
          New key for <strong>{created.name}</strong>, shown only now: <code data-testid="key-text">{created.key}</code>
        </p>
      )}
      {keys && keys.length > 0 && (
        <div className="table-wrap key-list">
          <table className="preview" data-testid="key-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Characters this month</th>
                <th>Requests</th>
                <th>Rate</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.name} data-testid={`key-row-${k.name}`}>
                  <td>{k.name}</td>
                  <td>
                    {k.usage.characters.toLocaleString()}
                    {k.charLimit !== null && ` of ${k.charLimit.toLocaleString()}`}
                  </td>
                  <td>{k.usage.requests.toLocaleString()}</td>
                  <td>{k.ratePerMinute === null ? 'no limit' : `${k.ratePerMinute} / min`}</td>
                  <td>
                    <button className="button danger" onClick={() => void revoke(k.name)} data-testid={`key-revoke-${k.name}`}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
