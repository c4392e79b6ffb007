import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { initBackend } from './lib/api';
import { locale } from './lib/i18n/index.svelte';

document.documentElement.lang = locale();

initBackend().then(() => {
  mount(App, { target: document.getElementById('app')! });
});
