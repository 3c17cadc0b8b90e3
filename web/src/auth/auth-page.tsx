import { useApolloClient, useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { graphql } from '../__generated__';
import { ErrorMessage } from '../ui/error-message';
import { setSession } from './token-store';

const SignUpMutation = graphql(`
  mutation SignUp($email: String!, $password: String!) {
    signUp(email: $email, password: $password) {
      token
      expiresAt
      user {
        id
      }
    }
  }
`);

const LogInMutation = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      token
      expiresAt
      user {
        id
      }
    }
  }
`);

/** Sign-up and log-in share one form; the server enforces the rules (10 to 128 characters, a valid address). */
export function AuthPage({ mode }: { mode: 'signup' | 'login' }) {
  const client = useApolloClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signUp, signUpState] = useMutation(SignUpMutation);
  const [logIn, logInState] = useMutation(LogInMutation);
  const state = mode === 'signup' ? signUpState : logInState;
  const returnTo = (location.state as { from?: string } | null)?.from ?? '/';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const variables = { email: email.trim(), password };
    try {
      const result = mode === 'signup' ? (await signUp({ variables })).data?.signUp : (await logIn({ variables })).data?.logIn;
      if (!result) return;
      setSession({ token: result.token, expiresAt: result.expiresAt, userId: result.user.id, email: variables.email });
      // Everything cached so far was fetched as someone else (or no one): fetch it again as this viewer.
      await client.resetStore();
      void navigate(returnTo, { replace: true });
    } catch {
      // Shown from the mutation's error state.
    }
  };

  return (
    <div className="auth-page">
      <h1>{mode === 'signup' ? 'Create an account' : 'Log in'}</h1>
      <form onSubmit={(event) => void submit(event)} className="auth-form">
        <label>
          Email
          <input type="email" name="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
            required
            minLength={mode === 'signup' ? 10 : undefined}
            maxLength={128}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {mode === 'signup' && <p className="muted">At least 10 characters.</p>}
        {state.error && <ErrorMessage error={state.error} />}
        <button type="submit" disabled={state.loading}>
          {state.loading ? 'Please wait…' : mode === 'signup' ? 'Sign up' : 'Log in'}
        </button>
      </form>
      <p>
        {mode === 'signup' ? (
          <>
            Already have an account?{' '}
            <Link to="/login" state={location.state as unknown}>
              Log in
            </Link>
          </>
        ) : (
          <>
            New here?{' '}
            <Link to="/signup" state={location.state as unknown}>
              Create an account
            </Link>
          </>
        )}
      </p>
    </div>
  );
}
