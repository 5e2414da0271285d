import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connect } from './client/index.js';
import './styles.css';

const { api, bridge } = connect();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={api} bridge={bridge} />
  </StrictMode>,
);
