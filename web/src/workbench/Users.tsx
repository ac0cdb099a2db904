/**
 * Accounts (administrators): the list of accounts with role and cities, and a form creating one (a city
 * officer is bound to one or more cities by adcode). The server checks the password policy and roles.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from './api.ts';
import type { WbProps } from './context.ts';
import { IssueList } from './rounds.tsx';

interface UserRow {
  id: number;
  username: string;
  role: string;
  cities: string[];
}

const ROLES = ['city', 'reviewer', 'author', 'admin', 'expert', 'reader'] as const;

export function UsersView(props: WbProps) {
  const { t } = props;
  const [users, setUsers] = useState<UserRow[]>([]);
  const [n, setN] = useState(0);
  const [msg, setMsg] = useState('');
  const [problem, setProblem] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    api<{ users: UserRow[] }>('GET', '/api/users')
      .then((r) => live && setUsers(r.users))
      .catch(() => live && setUsers([]));
    return () => {
      live = false;
    };
  }, [n]);
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const cities = String(f.get('cities') ?? '')
      .split(/[,，\s]+/)
      .filter(Boolean);
    setProblem(null);
    setMsg('');
    try {
      const r = await api<{ user: UserRow }>('POST', '/api/users', {
        username: String(f.get('username') ?? ''),
        password: String(f.get('password') ?? ''),
        role: String(f.get('role') ?? ''),
        ...(cities.length && { cities }),
      });
      setMsg(t('users.created', { name: r.user.username }));
      setN((x) => x + 1);
    } catch (err) {
      setProblem(err as ApiError);
    }
  };
  return (
    <section className="panel" aria-labelledby="wb-users-title">
      <h1 id="wb-users-title">{t('users.title')}</h1>
      <table className="wb-table" data-testid="users">
        <caption className="visually-hidden">{t('users.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('users.username')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.cities')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.username}</th>
              <td>{t(`roles.${u.role}`)}</td>
              <td>{u.cities.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('users.add')}</h2>
      <form onSubmit={create} className="wb-users-form">
        <p>
          <label>
            {t('users.username')} <input name="username" required maxLength={64} autoComplete="off" />
          </label>
        </p>
        <p>
          <label>
            {t('users.password')}{' '}
            <input
              name="password"
              type="password"
              required
              minLength={12}
              maxLength={1024}
              autoComplete="new-password"
            />
          </label>
        </p>
        <p>
          <label>
            {t('users.role')}{' '}
            <select name="role" defaultValue="city">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </label>
        </p>
        <p>
          <label>
            {t('users.cities')} <input name="cities" maxLength={2000} />
          </label>
        </p>
        <button type="submit">{t('users.create')}</button>
      </form>
      {msg ? <p role="status">{msg}</p> : null}
      <IssueList props={props} error={problem} />
    </section>
  );
}
